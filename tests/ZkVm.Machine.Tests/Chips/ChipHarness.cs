using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>
/// One chip's table over a real run, judged as the whole machine would judge it (in the spirit of OpenVM's
/// VmChipTestBuilder). The other tables are stood in for: the byte table answers every lookup it holds
/// and no other; the program, execution and memory buses are answered by the honest table's own terms, so
/// a forged row is rejected when a constraint fails, when it asks the byte table for a tuple it lacks, or
/// when its other bus terms differ from the honest row's (nothing else in the machine could balance them).
/// Pranks (a copy with cells changed) are what the tests forge; <see cref="Rejects"/> is the one judge.
/// </summary>
static class ChipHarness
{
    public static MachineWitness Run(string elf, byte[]? input = null) => MachineRuns.Run(elf, input).Witness;

    /// <summary>A directed guest's run, which must pass its own checks.</summary>
    public static MachineWitness Directed(string file)
    {
        var witness = Run(Guests.DirectedElf(file));
        Assert.True(witness.ExitCode == 0, $"{file} failed its own check {witness.ExitCode}");
        return witness;
    }

    /// <summary>The programs the memory and control-flow chips are tested on.</summary>
    public static IEnumerable<object[]> Programs() =>
    [
        ["branches.S"], ["upper_jumps.S"], ["memory.S"], [MemOffsetsProgram.Name], ["sort"],
    ];

    public static MachineWitness Program(string name) => name switch
    {
        MemOffsetsProgram.Name => Run(Guests.FromText(name, MemOffsetsProgram.Text, bare: true)),
        _ when name.EndsWith(".S") => Run(Guests.DirectedElf(name)),
        _ => Run(Guests.SampleElf(name), Guests.SampleInput(name)),
    };

    /// <summary>A bare guest: <paramref name="body"/>, then HALT with exit code 0.</summary>
    public static string Bare(string name, string body) => Guests.FromText(name, $"""
            .text
            .globl _start
        _start:
        {body}
            li a0, 0
            li a7, 0
            ecall
        """, bare: true);

    /// <summary>The steps of a run whose instruction <paramref name="chip"/> proves.</summary>
    public static int[] RowsOf(MachineWitness witness, IInstructionChip chip) =>
        [.. Enumerable.Range(0, witness.Steps.Length).Where(i => chip.Opcodes.Contains(witness.Steps[i].Record.Instruction.Op))];

    /// <summary>The chip's table over a run and, per table row, the step it proves.</summary>
    public static (TableTrace Table, MachineStep[] Steps) Fill(IInstructionChip chip, MachineWitness witness)
    {
        var table = Table(chip, witness, out var rows);
        return (table, [.. rows.Select(i => witness.Steps[i])]);
    }

    /// <summary>The chip's table over a run, and the steps (indices into the run's) its rows prove.</summary>
    public static TableTrace Table(IInstructionChip chip, MachineWitness witness, out int[] rows)
    {
        rows = RowsOf(witness, chip);
        return new TableTrace(chip, chip.Fill(witness.Steps, rows));
    }

    public static BabyBear F(uint v) => BabyBear.FromCanonical(v);

    public static TableTrace Copy(TableTrace table) => new(table.Air, table.Main.Clone());

    /// <summary>A prank: a copy of <paramref name="table"/> with <paramref name="forge"/> applied to its cells.</summary>
    public static TableTrace With(TableTrace table, Action<RowMajorMatrix> forge)
    {
        var copy = Copy(table);
        forge(copy.Main);
        return copy;
    }

    /// <summary>
    /// Why the machine rejects <paramref name="forged"/>, whose only changed row is <paramref name="row"/>, or null
    /// if it would accept it. Without <paramref name="honest"/> (a row written from scratch) only the chip's own
    /// constraints and lookups judge it. A chip's constraints read only the local row, so only that row can fail.
    /// </summary>
    public static string? Rejects(TableTrace? honest, TableTrace forged, int row)
    {
        var f = new RowEvaluator(forged);
        f.EvaluateRow(row);
        for (int c = 0; c < f.Constraints.Count; c++)
            if (!f.Constraints[c].Value.IsZero) return $"constraint {c} ({f.Constraints[c].Name})";
        if (BadLookup(forged, row) is { } lookup) return $"bytes {lookup}";
        if (honest is null) return null;
        var h = new RowEvaluator(honest);
        h.EvaluateRow(row);
        var before = Footprint(h.Entries);
        var after = Footprint(f.Entries);
        // The first term whose count differs (a term repeated or dropped changes a count, not the set).
        var changed = after.Union(before).FirstOrDefault(t => after.Count(x => x == t) != before.Count(x => x == t));
        return changed is null ? null : "bus " + changed.Split(':')[0];
    }

    /// <summary>Whether the machine rejects <paramref name="forged"/>, which differs from <paramref name="honest"/> only in <paramref name="row"/>.</summary>
    public static bool Caught(TableTrace honest, TableTrace forged, int row) => Rejects(honest, forged, row) is not null;

    /// <summary>Whether a table written from scratch is rejected on its own: some row fails a constraint or a lookup.</summary>
    public static bool Rejected(TableTrace table, out string why)
    {
        for (int row = 0; row < table.Height; row++)
            if (Rejects(null, table, row) is { } reason)
            {
                why = $"row {row}: {reason}";
                return true;
            }
        why = "accepted";
        return false;
    }

    /// <summary>Whether a constraint fails anywhere in the table (the debug check's first verdict).</summary>
    public static bool ConstraintsFail(TableTrace table)
    {
        try
        {
            TraceChecker.CheckConstraints(table);
            return false;
        }
        catch (ZkVmException)
        {
            return true;
        }
    }

    /// <summary>The first byte-table lookup of <paramref name="row"/> that no byte-table row answers, or null.</summary>
    public static string? BadLookup(TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        foreach (var entry in evaluator.Entries.Where(e => e.Bus.Id == MachineBuses.Bytes.Id && !e.Multiplicity.IsZero))
        {
            if (Base(entry.Multiplicity) is not 1) return $"multiplicity {entry.Multiplicity.Value}";
            var v = entry.Values.Select(Base).ToArray();
            if (v.Any(x => x is null)) return "a value outside the base field";
            if (!ByteTable.Holds(v[0]!.Value, v[1]!.Value, v[2]!.Value, v[3]!.Value)) return $"({string.Join(", ", v)})";
        }
        return null;
    }

    /// <summary>Every byte-table lookup of every row is answerable (an honest trace's must be).</summary>
    public static void AssertLookupsValid(TableTrace table)
    {
        for (int row = 0; row < table.Height; row++)
            Assert.True(BadLookup(table, row) is null, $"row {row}: lookup {BadLookup(table, row)} is not in the byte table");
    }

    /// <summary>The value the row writes to rd on the memory bus (at its rd slot), or null when it writes nothing.</summary>
    public static uint? WrittenValue(TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        int ts = Columns.Index(table.Air, "Ts");
        foreach (var e in evaluator.Entries)
            if (e.Bus.Id == MachineBuses.Memory.Id && e.Multiplicity.Value == BabyBearExt4.One
                && e.Values[4].Value.C0 == table.Main[row, ts] + F(MachineLayout.SlotRd))
                return e.Values[2].Value.C0.ToCanonical() | e.Values[3].Value.C0.ToCanonical() << 16;
        return null;
    }

    /// <summary>Every row that writes rd writes what the emulator computed, and no other row writes.</summary>
    public static void AssertWrites(TableTrace table, MachineStep[] steps)
    {
        for (int row = 0; row < steps.Length; row++)
        {
            var r = steps[row].Record;
            uint? expected = r.Instruction.WritesRd ? r.RdValue : null;
            Assert.True(WrittenValue(table, row) == expected, $"{r.Instruction.Op} at {r.Pc:x8}: the row writes {WrittenValue(table, row):x8}, the emulator {expected:x8}");
        }
    }

    /// <summary>An honest table: every constraint holds, every lookup is the byte table's, and each row writes rd exactly as the emulator did.</summary>
    public static void AssertHonest(TableTrace table, MachineStep[] steps)
    {
        TraceChecker.CheckConstraints(table);
        AssertLookupsValid(table);
        AssertWrites(table, steps);
    }

    static uint? Base(ExtensionValue value) =>
        value.Value.C1.IsZero && value.Value.C2.IsZero && value.Value.C3.IsZero ? value.Value.C0.ToCanonical() : null;

    /// <summary>A row's terms on the buses other than the byte table's, as a sorted multiset.</summary>
    static List<string> Footprint(List<BusEntry<ExtensionValue>> entries) =>
        [.. entries.Where(e => e.Bus.Id != MachineBuses.Bytes.Id && !e.Multiplicity.IsZero)
            .Select(e => $"{e.Bus.Name}:{e.Multiplicity.Value}:{string.Join(",", e.Values.Select(v => v.Value))}").Order()];
}
