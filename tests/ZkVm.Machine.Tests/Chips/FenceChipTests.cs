using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.FenceChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class FenceChipTests
{
    static string Fences() => Bare("fences.S", """
            fence
            fence r, w
            fence i, o
            fence.tso
        """);

    [Fact]
    public void Fences_fill_a_trace_that_satisfies_every_constraint()
    {
        var (table, steps) = Fill(new FenceChip(), Run(Fences()));
        Assert.Equal(4, steps.Length);
        Assert.Equal(4, steps.Select(s => s.Record.Instruction.Imm).Distinct().Count());
        TraceChecker.CheckConstraints(table);
        AssertLookupsValid(table);
    }

    [Fact]
    public void A_run_without_fences_fills_only_padding()
    {
        var (table, steps) = Fill(new FenceChip(), Run(Guests.SampleElf("sort"), Guests.SampleInput("sort")));
        Assert.Empty(steps);
        Assert.Equal(4, table.Height);
        Assert.All(table.Main.Values, v => Assert.Equal(BabyBear.Zero, v));
        TraceChecker.CheckConstraints(table);
    }

    [Fact]
    public void A_fence_row_cannot_jump()
    {
        var (table, _) = Fill(new FenceChip(), Run(Fences()));
        // The execution bus carries pc + 4 from the row's own pc; a different pc also changes the fetch.
        int pc = Columns.Index(table.Air, "Pc");
        var forged = With(table, m => m[1, pc] = m[1, pc] + BabyBear.FromCanonical(4));
        Assert.True(Caught(table, forged, 1));
    }
}
