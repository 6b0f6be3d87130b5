using ZkVm.Air;
using ZkVm.Field;
using ZkVm.Machine.Witness;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Chips.ChipTrace;

namespace ZkVm.Machine.Tables;

/// <summary>
/// Opens every cell the run touches (and every image cell) at timestamp 0 and closes it with its final
/// value and timestamp. Real rows come first with strictly increasing keys space·2^27 + index, so no
/// cell is opened twice; a cell opens with 0 unless it is in the image, whose bus then fixes its value.
/// </summary>
/// <remarks>
/// Ordering: every index is below 2^27 (IndexLo and IndexHi are u16, 32·IndexHi too), so keys are below
/// 2^29; the gap between neighbouring keys minus one is GapLo + 2^16·GapHi with GapLo and 8·GapHi u16,
/// hence below 2^29 + 2^16 &lt; p/2 as an integer: the next key is larger, not wrapped around.
/// </remarks>
[ZkAir("boundary")]
public partial struct BoundaryTable
{
    [Col] public BabyBear Real;
    [Col] public BabyBear NextReal;
    [Col] public BabyBear IsRegister;
    [Col] public BabyBear IsMemory;
    [Col] public BabyBear Index;
    [Col] public BabyBear IndexLo;
    [Col] public BabyBear IndexHi;
    [Col] public BabyBear InImage;
    [Col] public BabyBear InitLo;
    [Col] public BabyBear InitHi;
    [Col] public BabyBear FinalLo;
    [Col] public BabyBear FinalHi;
    [Col] public BabyBear FinalTs;
    [Col] public BabyBear GapLo;
    [Col] public BabyBear GapHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.Constant(BabyBear.One);
        TE zero = TE.Constant(BabyBear.Zero);
        TE limb = TE.Constant(BabyBear.FromCanonical(1 << 16));
        TE spaceUnit = TE.Constant(BabyBear.FromCanonical(1 << 27));
        TE register = TE.Constant(BabyBear.FromCanonical(MachineLayout.RegisterSpace));
        TE memory = TE.Constant(BabyBear.FromCanonical(MachineLayout.MemorySpace));
        b.AssertZero(local.Real * (local.Real - one));
        b.AssertZero(local.IsRegister * (local.IsRegister - one));
        b.AssertZero(local.IsMemory * (local.IsMemory - one));
        b.AssertZero(local.IsRegister + local.IsMemory - local.Real);
        b.AssertZero(local.InImage * (local.InImage - one));
        b.AssertZero(local.InImage * (one - local.Real));

        // Real rows form a prefix, and NextReal mirrors the next row's Real (0 after the last row).
        b.AssertZero(b.IsTransition * (local.NextReal - next.Real));
        b.AssertZero(b.IsLastRow * local.NextReal);
        b.AssertZero((one - local.Real) * local.NextReal);

        // index < 2^27.
        b.AssertZero(local.Index - local.IndexLo - limb * local.IndexHi);
        Gadgets.RangeU16(b, local.Real, local.IndexLo);
        Gadgets.RangeU16(b, local.Real, local.IndexHi);
        Gadgets.RangeU16(b, local.Real, TE.Constant(BabyBear.FromCanonical(32)) * local.IndexHi);

        // Keys strictly increase from one real row to the next.
        TE space = local.IsRegister * register + local.IsMemory * memory;
        TE nextSpace = next.IsRegister * register + next.IsMemory * memory;
        TE key = space * spaceUnit + local.Index;
        TE nextKey = nextSpace * spaceUnit + next.Index;
        b.AssertZero(local.NextReal * (nextKey - key - one - local.GapLo - limb * local.GapHi));
        Gadgets.RangeU16(b, local.NextReal, local.GapLo);
        Gadgets.RangeU16(b, local.NextReal, TE.Constant(BabyBear.FromCanonical(8)) * local.GapHi);

        // A cell outside the image opens with 0; one in the image opens with the image's value.
        b.AssertZero((one - local.InImage) * local.InitLo);
        b.AssertZero((one - local.InImage) * local.InitHi);
        b.Receive(MachineBuses.Image, local.InImage, space, local.Index, local.InitLo, local.InitHi);
        b.Send(MachineBuses.Memory, local.Real, space, local.Index, local.InitLo, local.InitHi, zero);
        b.Receive(MachineBuses.Memory, local.Real, space, local.Index, local.FinalLo, local.FinalHi, local.FinalTs);
    }

    public static RowMajorMatrix Fill(BoundaryEntry[] entries)
    {
        var trace = Allocate(new BoundaryTable().MainWidth, entries.Length);
        ForEachRow(entries.Length, i =>
        {
            var e = entries[i];
            var row = new MainRow<BabyBear>(trace.Row(i));
            row.Real = BabyBear.One;
            row.NextReal = F(i + 1 < entries.Length ? 1u : 0);
            row.IsRegister = F(e.Space == MachineLayout.RegisterSpace ? 1u : 0);
            row.IsMemory = F(e.Space == MachineLayout.MemorySpace ? 1u : 0);
            row.Index = F(e.Index);
            (row.IndexLo, row.IndexHi) = Limbs(e.Index);
            row.InImage = F(e.InImage ? 1u : 0);
            (row.InitLo, row.InitHi) = Limbs(e.Initial);
            // The journal cursor is a plain field element in lo, hi 0 (SyscallChip writes it so).
            (row.FinalLo, row.FinalHi) = e.Space == MachineLayout.RegisterSpace && e.Index == MachineLayout.JournalCursor
                ? (F(e.Final), BabyBear.Zero) : Limbs(e.Final);
            row.FinalTs = F(e.FinalTs);
            if (i + 1 < entries.Length)
            {
                uint gap = entries[i + 1].Key - e.Key - 1;
                (row.GapLo, row.GapHi) = Limbs(gap);
            }
        });
        return trace;
    }
}
