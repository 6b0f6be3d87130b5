using ZkVm.Field;
namespace ZkVm.Machine.Chips;

/// <summary>The table that proves every executed instruction of some opcodes, usually one family (docs/MACHINE.md §3).</summary>
public interface IInstructionChip : IAir
{
    /// <summary>The instructions this chip proves; in a machine, each opcode has exactly one chip.</summary>
    IReadOnlyList<Opcode> Opcodes { get; }

    /// <summary>
    /// The trace of the steps <paramref name="rows"/> (indices into <paramref name="steps"/>, in cycle
    /// order, each of one of <see cref="Opcodes"/>): one row each, then all-zero padding rows up to
    /// <see cref="ChipTrace.Height"/>.
    /// </summary>
    RowMajorMatrix Fill(MachineStep[] steps, int[] rows);
}

/// <summary>Helpers every chip's trace filling shares.</summary>
public static class ChipTrace
{
    /// <summary>Rows a table of <paramref name="count"/> real rows has: the next power of two, at least 4.</summary>
    public static int Height(int count) => Math.Max(4, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 1)));

    /// <summary>A zeroed trace for <paramref name="count"/> rows of a table <paramref name="width"/> wide.</summary>
    public static RowMajorMatrix Allocate(int width, int count) => new(width, Height(count));

    public static BabyBear F(uint value) => BabyBear.FromCanonical(value);

    /// <summary>The low and high 16 bits of a word, as a chip's two limbs.</summary>
    public static (BabyBear Lo, BabyBear Hi) Limbs(uint value) => (F(value & 0xFFFF), F(value >> 16));

    /// <summary>Runs <paramref name="fill"/> for each row index in parallel chunks (rows are independent).</summary>
    public static void ForEachRow(int count, Action<int> fill)
    {
        const int Chunk = 4096;
        if (count <= Chunk)
        {
            for (int i = 0; i < count; i++) fill(i);
            return;
        }
        Parallel.For(0, (count + Chunk - 1) / Chunk, Kernels.Options, c =>
        {
            int end = Math.Min(count, (c + 1) * Chunk);
            for (int i = c * Chunk; i < end; i++) fill(i);
        });
    }
}
