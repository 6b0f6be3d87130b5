using ZkVm.Riscv;
using ZkVm.Riscv.Image;

namespace ZkVm.Machine;

/// <summary>
/// What the circuit knows of a guest before it runs: its ROM (from <see cref="HarvardProgram"/>) and
/// its initial image, the nonzero words of the data segments and the registers' start values
/// (only sp is nonzero). Both become fixed columns, so the verification key and the ImageId bind them.
/// </summary>
public sealed class MachineProgram
{
    public MachineProgram(HarvardProgram program)
    {
        Program = program;
        var words = new SortedDictionary<uint, uint>();
        foreach (var segment in program.Data)
            for (int i = 0; i < segment.Bytes.Length; i++)
            {
                if (segment.Bytes[i] == 0) continue;
                uint address = segment.Address + (uint)i;
                words.TryGetValue(address >> 2, out uint word);
                words[address >> 2] = word | (uint)segment.Bytes[i] << (int)(8 * (address & 3));
            }
        var image = new List<ImageWord> { new(MachineLayout.RegisterSpace, 2, GuestMemoryMap.StackTop) };
        image.AddRange(words.Select(w => new ImageWord(MachineLayout.MemorySpace, w.Key, w.Value)));
        Image = image;
        ImageByKey = image.ToDictionary(w => w.Key, w => w.Value);
    }

    public HarvardProgram Program { get; }

    public uint Entry => Program.Entry;

    /// <summary>The nonzero initial cells, registers first, each space in increasing index order.</summary>
    public IReadOnlyList<ImageWord> Image { get; }

    internal IReadOnlyDictionary<uint, uint> ImageByKey { get; }
}

/// <summary>A nonzero cell of the initial image.</summary>
public readonly record struct ImageWord(uint Space, uint Index, uint Value)
{
    public uint Key => (Space << 27) + Index;
}
