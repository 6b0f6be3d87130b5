using ZkVm.Riscv.Image;

namespace ZkVm.Machine.Tables;

/// <summary>
/// The cells a shard touches, each paged in and out once (docs/PROTOCOL.md §10.2). A row takes the cell from the
/// page bus as an earlier shard left it (a tag at most the shard's index k; tag 0 is the boundary's opening),
/// opens it on the shard's memory bus at timestamp 0, closes it where the shard's accesses left it, and
/// gives it back to the page bus tagged k + 1.
/// </summary>
/// <remarks>
/// Soundness: tags only grow, so the shards that touch a cell form one chain. Shard k can take only tokens
/// tagged at most k: the boundary's one opening and the page-outs of earlier shards. Counting per cell, the
/// shards up to k give out at most as many such tokens as they take, plus the opening. So each shard pages a
/// cell in at most once, and it receives the value the last earlier shard to touch the cell left, or the
/// opening's. The tag gap k − tag is a u16 and a byte, so a tag above k would wrap to a gap near p.
/// </remarks>
[ZkAir("page", PublicValues = 1)]
public partial struct PageTable
{
    [Col] public BabyBear Real, Space, Index, InLo, InHi, InTag, OutLo, OutHi, OutTs, GapLo, GapHi;

    /// <summary>The public values: the shard's index.</summary>
    public static BabyBear[] PublicValuesOf(int shard) => [F((uint)shard)];

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE shard = b.Public(0), zero = TE.From(0);
        b.AssertBool(local.Real);
        b.Receive(MachineBuses.Page, local.Real, local.Space, local.Index, local.InLo, local.InHi, local.InTag);
        b.Send(MachineBuses.Memory, local.Real, local.Space, local.Index, local.InLo, local.InHi, zero);
        b.Receive(MachineBuses.Memory, local.Real, local.Space, local.Index, local.OutLo, local.OutHi, local.OutTs);
        b.Send(MachineBuses.Page, local.Real, local.Space, local.Index, local.OutLo, local.OutHi, shard + TE.From(1));
        b.AssertZero(local.Real * (shard - local.InTag - local.GapLo - TE.From(1 << 16) * local.GapHi));
        Gadgets.RangeU16(b, local.Real, local.GapLo);
        Gadgets.Bytes(b, local.Real, local.GapHi, zero);
    }

    public static RowMajorMatrix Fill(PageEntry[] pages, int shard, MemoryMap map)
    {
        var trace = Allocate(new PageTable().MainWidth, pages.Length);
        ForEachRow(pages.Length, i =>
        {
            var e = pages[i];
            var row = new MainRow<BabyBear>(trace.Row(i));
            row.Real = BabyBear.One;
            row.Space = F(BoundaryTable.BusSpace(e.Space, e.Index, map));
            row.Index = F(e.Index);
            (row.InLo, row.InHi) = BoundaryTable.CellLimbs(e.Space, e.Index, e.In);
            row.InTag = F(e.InTag);
            (row.OutLo, row.OutHi) = BoundaryTable.CellLimbs(e.Space, e.Index, e.Out);
            row.OutTs = F(e.OutTs);
            (row.GapLo, row.GapHi) = Limbs((uint)shard - e.InTag);
        });
        return trace;
    }
}
