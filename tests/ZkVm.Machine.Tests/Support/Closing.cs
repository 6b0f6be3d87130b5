using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// Where a run of one shard closes a cell, for forgeries that change how a cell ends: its page row takes the shard's
/// last access from the memory bus (OutLo, OutHi, OutTs) and hands the value to its boundary row (FinalLo, FinalHi,
/// FinalTag 1) on the page bus. A cell the shard never touches has no page row and closes with tag 0.
/// </summary>
sealed class Closing(TableTrace page, TableTrace boundary)
{
    public Closing(TableTrace[] traces) : this(traces.Single(t => t.Air.Name == "page"), traces.Single(t => t.Air.Name == "boundary"))
    {
    }

    BabyBear P(int row, string column) => page.Main[row, Columns.Index(page.Air, column)];
    BabyBear B(int row, string column) => boundary.Main[row, Columns.Index(boundary.Air, column)];
    void SetP(int row, string column, BabyBear value) => page.Main[row, Columns.Index(page.Air, column)] = value;
    void SetB(int row, string column, BabyBear value) => boundary.Main[row, Columns.Index(boundary.Air, column)] = value;

    /// <summary>The page row of the cell of boundary row <paramref name="row"/>, or −1 when the shard never touches it.</summary>
    public int PageRow(int row)
    {
        var space = B(row, "IsRegister") * BabyBear.FromCanonical(MachineLayout.RegisterSpace)
            + B(row, "IsMemory") * BabyBear.FromCanonical(MachineLayout.MemorySpace) + (B(row, "IsMemory") - B(row, "Writable"));
        return Enumerable.Range(0, page.Height).FirstOrDefault(r => P(r, "Real") == BabyBear.One && P(r, "Space") == space && P(r, "Index") == B(row, "Index"), -1);
    }

    /// <summary>The timestamp of the cell's last access in the shard (0 when untouched).</summary>
    public BabyBear LastTs(int row) => PageRow(row) is var p and >= 0 ? P(p, "OutTs") : BabyBear.Zero;

    /// <summary>Closes the cell at <paramref name="ts"/>: with a page row (added when the cell had none), or untouched at 0.</summary>
    public void SetLastTs(int row, BabyBear ts)
    {
        int p = PageRow(row);
        if (ts.IsZero)
        {
            Untouched(row);
            return;
        }
        if (p < 0) throw new InvalidOperationException($"boundary row {row} has no page row; the forgery would add one");
        SetP(p, "OutTs", ts);
    }

    /// <summary>Closes the cell with (lo, hi): its page-out and the boundary's final value.</summary>
    public void SetFinal(int row, BabyBear lo, BabyBear hi)
    {
        int p = PageRow(row);
        if (p >= 0)
        {
            SetP(p, "OutLo", lo);
            SetP(p, "OutHi", hi);
        }
        SetB(row, "FinalLo", lo);
        SetB(row, "FinalHi", hi);
    }

    /// <summary>The cell closes as it opened, untouched: no page row, final value the initial one, tag 0.</summary>
    public void Untouched(int row)
    {
        int p = PageRow(row);
        if (p >= 0)
            for (int c = 0; c < page.Air.MainWidth; c++) page.Main[p, c] = BabyBear.Zero;
        SetB(row, "FinalLo", B(row, "InitLo"));
        SetB(row, "FinalHi", B(row, "InitHi"));
        SetB(row, "FinalTag", BabyBear.Zero);
    }
}
