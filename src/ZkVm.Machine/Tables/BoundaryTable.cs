using ZkVm.Riscv.Image;

namespace ZkVm.Machine.Tables;

/// <summary>
/// Opens every cell the run touches (and every image cell) on the page bus with tag 0, and closes it with its
/// final value and the tag of the shard that touched it last (docs/PROTOCOL.md §10.2). Real rows come first with
/// strictly increasing keys space·2^27 + index, so no cell is opened twice; a cell opens with 0 unless it is in
/// the image, whose bus then fixes its value. A run in shards splits the table by key into one piece per shard:
/// piece k holds the keys in [lo, hi) (public values), and the verifier checks that the pieces' ranges follow
/// each other from 0 to <see cref="MachineLayout.KeyEnd"/>, so across pieces too no cell opens twice.
/// </summary>
/// <remarks>
/// Memory map: each region of the program's map starts at a word whose row is a fence: it receives (word,
/// access) from the map bus, whose only senders are the verifier's terms, one per region. Every other memory
/// row inherits the access of the row before it, so (rows being sorted) a row carries the access of the
/// region it lies in; word 0 starts the first region, so the first memory row is a fence. A piece's first row,
/// if a memory row that is not a fence, takes the access the verifier computes for the piece's lo from the map. A read-write word
/// opens and closes in <see cref="MachineLayout.MemorySpace"/>, a read-only one in
/// <see cref="MachineLayout.ReadOnlySpace"/>, and an unmapped one must close with tag 0: no shard touched it.
/// Ordering: every index is below 2^27 (IndexLo and IndexHi are u16, 32·IndexHi too), so keys are below
/// 2^29; the gap between neighbouring keys minus one is GapLo + 2^16·GapHi with GapLo and 8·GapHi u16,
/// hence below 2^29 + 2^16 &lt; p/2 as an integer: the next key is larger, not wrapped around.
/// </remarks>
[ZkAir("boundary", PublicValues = 4)]
public partial struct BoundaryTable
{
    [Col] public BabyBear Real, NextReal, IsRegister, IsMemory, Index, IndexLo, IndexHi, InImage, InitLo;
    [Col] public BabyBear InitHi, FinalLo, FinalHi, FinalTag, GapLo, GapHi, Fence, Mapped, Writable;
    /// <summary>The next row is a memory row that is not a fence, so it inherits this row's access.</summary>
    [Col] public BabyBear NextInherits;
    /// <summary>key − lo and hi − 1 − key on a real row, each a u16 and a u13; on padding rows, like the gap after the last
    /// real row, they take part in nothing (every constraint and lookup naming them is multiplied by Real).</summary>
    [Col] public BabyBear LoGapLo, LoGapHi, HiGapLo, HiGapHi;

    /// <summary>The public values of the piece holding keys [<paramref name="firstKey"/>, <paramref name="endKey"/>): the range and the access of the
    /// memory region <paramref name="firstKey"/> lies in (0, 0 below memory).</summary>
    public static BabyBear[] PublicValuesOf(uint firstKey, uint endKey, MemoryMap map)
    {
        var access = firstKey >> 27 == MachineLayout.MemorySpace ? map.AccessOf((firstKey - (MachineLayout.MemorySpace << 27)) << 2) : PageAccess.None;
        return [F(firstKey), F(endKey), F(access != PageAccess.None ? 1u : 0), F(access == PageAccess.ReadWrite ? 1u : 0)];
    }

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), limb = TE.From(1 << 16), spaceUnit = TE.From(1 << 27);
        TE register = TE.From(MachineLayout.RegisterSpace), memory = TE.From(MachineLayout.MemorySpace);
        b.AssertBool(local.Real);
        b.AssertBool(local.IsRegister);
        b.AssertBool(local.IsMemory);
        b.AssertZero(local.IsRegister + local.IsMemory - local.Real);
        b.AssertBool(local.InImage);
        b.AssertZero(local.InImage * (one - local.Real));

        // Real rows form a prefix, and NextReal mirrors the next row's Real (0 after the last row).
        b.AssertZero(b.IsTransition * (local.NextReal - next.Real));
        b.AssertZero(b.IsLastRow * local.NextReal);
        b.When(one - local.Real).AssertZero(local.NextReal);

        // index < 2^27.
        b.AssertZero(local.Index - local.IndexLo - limb * local.IndexHi);
        Gadgets.RangeU16(b, local.Real, local.IndexLo);
        Gadgets.RangeU16(b, local.Real, local.IndexHi);
        Gadgets.RangeU16(b, local.Real, TE.From(32) * local.IndexHi);

        // Keys strictly increase from one real row to the next.
        TE space = local.IsRegister * register + local.IsMemory * memory;
        TE nextSpace = next.IsRegister * register + next.IsMemory * memory;
        TE key = space * spaceUnit + local.Index;
        TE nextKey = nextSpace * spaceUnit + next.Index;
        b.AssertZero(local.NextReal * (nextKey - key - one - local.GapLo - limb * local.GapHi));
        Gadgets.RangeU16(b, local.NextReal, local.GapLo);
        Gadgets.RangeU16(b, local.NextReal, TE.From(8) * local.GapHi);

        // The piece's keys lie in [lo, hi) (public): every real row's key is at least lo and below hi. Both sides stay
        // below 2^29 + 2^16 < p/2, as the gap's, so neither wraps.
        TE lo = b.Public(0), hi = b.Public(1);
        b.AssertZero(local.Real * (key - lo - local.LoGapLo - limb * local.LoGapHi));
        b.AssertZero(local.Real * (hi - one - key - local.HiGapLo - limb * local.HiGapHi));
        Gadgets.RangeU16(b, local.Real, local.LoGapLo);
        Gadgets.RangeU16(b, local.Real, TE.From(8) * local.LoGapHi);
        Gadgets.RangeU16(b, local.Real, local.HiGapLo);
        Gadgets.RangeU16(b, local.Real, TE.From(8) * local.HiGapHi);

        // Memory map: fences take their region's access from the map bus, the rows after them inherit it.
        b.AssertBool(local.Fence);
        b.AssertBool(local.Mapped);
        b.AssertBool(local.Writable);
        b.AssertZero(local.Fence * (one - local.IsMemory));
        b.AssertZero(local.Mapped * (one - local.IsMemory));
        b.AssertZero(local.Writable * (one - local.Mapped));
        b.Receive(MachineBuses.MemoryMap, local.Fence, local.Index, local.Mapped + local.Writable);
        b.AssertZero(b.IsTransition * (local.NextInherits - next.IsMemory * (one - next.Fence)));
        b.AssertZero(b.IsLastRow * local.NextInherits);
        b.AssertZero(local.NextInherits * (next.Mapped - local.Mapped));
        b.AssertZero(local.NextInherits * (next.Writable - local.Writable));
        // A piece's first row, a memory row that is not a fence (IsMemory − Fence: a fence is a memory row), takes the
        // access of the region its piece starts in, which the verifier computes from the map.
        b.AssertZero(b.IsFirstRow * (local.IsMemory - local.Fence) * (local.Mapped - b.Public(2)));
        b.AssertZero(b.IsFirstRow * (local.IsMemory - local.Fence) * (local.Writable - b.Public(3)));
        // An unmapped word is never accessed: no shard pages it in, so it closes with the opening's tag 0.
        b.AssertZero((local.IsMemory - local.Mapped) * local.FinalTag);

        // A cell outside the image opens with 0; one in the image opens with the image's value.
        b.When(one - local.InImage).AssertZero(local.InitLo);
        b.When(one - local.InImage).AssertZero(local.InitHi);
        b.Receive(MachineBuses.Image, local.InImage, space, local.Index, local.InitLo, local.InitHi);
        // The space on the memory bus: registers, read-write memory, or read-only (and unmapped) memory.
        TE busSpace = space + (local.IsMemory - local.Writable);
        b.Send(MachineBuses.Page, local.Real, busSpace, local.Index, local.InitLo, local.InitHi, zero);
        b.Receive(MachineBuses.Page, local.Real, busSpace, local.Index, local.FinalLo, local.FinalHi, local.FinalTag);
    }

    /// <summary>The space a cell travels in on the memory and page buses: registers, read-write memory, or read-only (and unmapped) memory.</summary>
    public static uint BusSpace(uint space, uint index, MemoryMap map) =>
        space == MachineLayout.MemorySpace && map.AccessOf(index << 2) != PageAccess.ReadWrite ? MachineLayout.ReadOnlySpace : space;

    /// <summary>A cell's value as the buses carry it: two u16 limbs, but the journal cursor as a plain field element in lo (SyscallChip writes it so).</summary>
    public static (BabyBear Lo, BabyBear Hi) CellLimbs(uint space, uint index, uint value) =>
        space == MachineLayout.RegisterSpace && index == MachineLayout.JournalCursor ? (F(value), BabyBear.Zero) : Limbs(value);

    /// <summary>The piece of the boundary holding <paramref name="entries"/>, whose keys lie in [<paramref name="firstKey"/>, <paramref name="endKey"/>).</summary>
    public static RowMajorMatrix Fill(BoundaryEntry[] entries, MemoryMap map, uint firstKey = 0, uint endKey = MachineLayout.KeyEnd)
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
            (row.FinalLo, row.FinalHi) = CellLimbs(e.Space, e.Index, e.Final);
            row.FinalTag = F(e.FinalTag);
            if (e.Space == MachineLayout.MemorySpace)
            {
                var access = map.AccessOf(e.Index << 2);
                row.Fence = F(IsRegionStart(map, e.Index) ? 1u : 0);
                row.Mapped = F(access != PageAccess.None ? 1u : 0);
                row.Writable = F(access == PageAccess.ReadWrite ? 1u : 0);
            }
            (row.LoGapLo, row.LoGapHi) = Limbs(e.Key - firstKey);
            (row.HiGapLo, row.HiGapHi) = Limbs(endKey - 1 - e.Key);
            if (i + 1 < entries.Length)
            {
                var n = entries[i + 1];
                row.NextInherits = F(n.Space == MachineLayout.MemorySpace && !IsRegionStart(map, n.Index) ? 1u : 0);
                uint gap = entries[i + 1].Key - e.Key - 1;
                (row.GapLo, row.GapHi) = Limbs(gap);
            }
        });
        return trace;
    }

    static bool IsRegionStart(MemoryMap map, uint index) =>
        (index & ((MemoryMap.PageSize >> 2) - 1)) == 0 && map.AccessOf((index << 2) - 4) != map.AccessOf(index << 2) || index == 0;
}
