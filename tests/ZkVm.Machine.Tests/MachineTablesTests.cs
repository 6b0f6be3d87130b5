using ZkVm.Field;
using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests;

/// <summary>The fixed and memory tables (program, image, boundary, bytes) on real runs, and forgeries of them.</summary>
public class MachineTablesTests
{
    [Theory]
    [InlineData("upper_jumps.S")]
    [InlineData("memory.S")]
    [InlineData("c_semantics.c")]
    public void Every_table_of_a_real_run_satisfies_its_constraints(string file)
    {
        var (program, witness) = MachineRuns.Directed(file);
        foreach (var table in new MachineCircuit(program).Traces(witness))
            TraceChecker.CheckConstraints(table);
    }

    [Fact]
    public void The_boundary_holds_every_image_cell_and_sp()
    {
        var (program, witness) = MachineRuns.Directed("c_semantics.c");
        var keys = witness.Boundary.Select(e => e.Key).ToHashSet();
        Assert.All(program.Image, w => Assert.Contains(w.Key, keys));
        Assert.Contains(witness.Boundary, e => e.Space == MachineLayout.RegisterSpace && e.Index == 2 && e.Initial == 0x2000_0000 && e.InImage);
    }

    static TableTrace BoundaryTrace(MachineProgram program, BoundaryEntry[] entries) =>
        new(new BoundaryTable(), BoundaryTable.Fill(entries, program.Map), BoundaryTable.PublicValuesOf(0, MachineLayout.KeyEnd, program.Map));

    /// <summary>
    /// The forger's gap for keys that do not increase: next − key − 1 solved in the field (p − k), which
    /// satisfies every constraint; only the range check on the gap's high limb (8·hi a u16) can refuse it,
    /// and no byte table answers it.
    /// </summary>
    static void AssertOnlyTheGapRangeCheckRefuses(TableTrace trace, int row)
    {
        var m = trace.Main;
        uint key = (uint)(m[row, Columns.Index(trace.Air, "IsRegister")].ToCanonical() * MachineLayout.RegisterSpace
            + m[row, Columns.Index(trace.Air, "IsMemory")].ToCanonical() * MachineLayout.MemorySpace) * (1u << 27) + m[row, Columns.Index(trace.Air, "Index")].ToCanonical();
        uint nextKey = (uint)(m[row + 1, Columns.Index(trace.Air, "IsRegister")].ToCanonical() * MachineLayout.RegisterSpace
            + m[row + 1, Columns.Index(trace.Air, "IsMemory")].ToCanonical() * MachineLayout.MemorySpace) * (1u << 27) + m[row + 1, Columns.Index(trace.Air, "Index")].ToCanonical();
        Assert.True(nextKey <= key);
        var gap = BabyBear.FromCanonical(nextKey) - BabyBear.FromCanonical(key) - BabyBear.One;
        m[row, Columns.Index(trace.Air, "GapLo")] = BabyBear.FromCanonical(gap.ToCanonical() & 0xFFFF);
        m[row, Columns.Index(trace.Air, "GapHi")] = BabyBear.FromCanonical(gap.ToCanonical() >> 16);
        TraceChecker.CheckConstraints(trace);
        var e = Assert.Throws<ZkVmException>(() => ByteLookups.Count([trace]));
        Assert.Equal(MachineErrors.WitnessMismatch, e.Code);
        Assert.Contains($"'boundary' row {row} asks the byte table for (0, ", e.Message);
    }

    [Fact]
    public void A_cell_opened_twice_is_rejected()
    {
        var (program, witness) = MachineRuns.Directed("memory.S");
        var entries = witness.Boundary.ToList();
        int i = entries.FindIndex(e => e.Space == MachineLayout.MemorySpace && !e.InImage && e.FinalTs != 0);
        // The same word again, opened at 0 and closed untouched: its accesses could then start over from 0.
        entries.Insert(i + 1, entries[i] with { Final = 0, FinalTs = 0 });
        AssertOnlyTheGapRangeCheckRefuses(BoundaryTrace(program, [.. entries]), i);
    }

    [Fact]
    public void Cells_out_of_order_are_rejected()
    {
        var (program, witness) = MachineRuns.Directed("memory.S");
        var entries = witness.Boundary.ToArray();
        (entries[1], entries[2]) = (entries[2], entries[1]);
        var trace = BoundaryTrace(program, entries);
        AssertOnlyTheGapRangeCheckRefuses(trace, 1);
    }

    [Fact]
    public void A_real_row_after_padding_is_rejected()
    {
        var (program, witness) = MachineRuns.Directed("memory.S");
        var trace = BoundaryTrace(program, witness.Boundary);
        int last = witness.Boundary.Length - 1;
        Assert.True(last + 2 < trace.Height, "the test needs two padding rows");
        // Move the last real row one row down, leaving a padding row between it and the rest.
        var m = trace.Main;
        m.Row(last).CopyTo(m.Row(last + 1));
        m.Row(last).Clear();
        m[last - 1, 1] = BabyBear.Zero; // NextReal of the row before the gap, now followed by padding
        var e = Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(new TableTrace(new BoundaryTable(), m, trace.PublicValues)));
        Assert.Equal("ZK3306", e.Code);
    }
}
