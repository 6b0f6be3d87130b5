using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>
/// Runs a guest, fills one chip from its steps and judges forged rows: a forgery is caught when a
/// constraint fails, when a tuple on a bus other than the byte table's changes (the machine's other
/// tables hold the honest counterpart, so the bus no longer balances), or when a byte-table lookup
/// asks for a row the byte table does not have.
/// </summary>
static class AluFamiliesHarness
{
    public static MachineWitness Run(string elf, byte[]? input = null) => MachineRuns.Run(elf, input).Witness;

    public static int[] RowsOf(MachineWitness witness, InstructionFamily family) =>
        [.. Enumerable.Range(0, witness.Steps.Length).Where(i => witness.Steps[i].Record.Instruction.Spec.Family == family)];

    /// <summary>The chip's table over a run and, per table row, the step it proves.</summary>
    public static (TableTrace Table, MachineStep[] Steps) Fill(IInstructionChip chip, MachineWitness witness)
    {
        var rows = RowsOf(witness, chip.Family);
        return (new TableTrace(chip, chip.Fill(witness.Steps, rows)), [.. rows.Select(i => witness.Steps[i])]);
    }

    public static TableTrace With(TableTrace table, Action<RowMajorMatrix> forge)
    {
        var main = table.Main.Clone();
        forge(main);
        return new TableTrace(table.Air, main);
    }

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
        foreach (var entry in evaluator.Entries.Where(e => e.Bus.Id == MachineBuses.Bytes.Id))
        {
            var m = Base(entry.Multiplicity);
            if (m is null || m > 1) return $"multiplicity {entry.Multiplicity.Value}";
            if (m == 0) continue;
            var v = entry.Values.Select(Base).ToArray();
            if (v.Any(x => x is null)) return "a value outside the base field";
            uint op = v[0]!.Value, x = v[1]!.Value, y = v[2]!.Value, z = v[3]!.Value;
            if (!ByteTable.Holds(op, x, y, z)) return $"({op}, {x}, {y}, {z})";
        }
        return null;
    }

    static uint? Base(ExtensionValue value) =>
        value.Value.C1 == BabyBear.Zero && value.Value.C2 == BabyBear.Zero && value.Value.C3 == BabyBear.Zero ? value.Value.C0.ToCanonical() : null;

    static List<string> OtherBusTuples(TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        // A tuple sent with multiplicity 0 is no term of any bus: editing it changes nothing the verifier sees.
        return [.. evaluator.Entries.Where(e => e.Bus.Id != MachineBuses.Bytes.Id && !e.Multiplicity.IsZero)
            .Select(e => $"{e.Bus.Name} {e.Multiplicity.Value} ({string.Join(", ", e.Values.Select(v => v.Value))})").Order()];
    }

    /// <summary>Whether the machine rejects <paramref name="forged"/>, which differs from <paramref name="honest"/> only in <paramref name="row"/>.</summary>
    public static bool Caught(TableTrace honest, TableTrace forged, int row) =>
        ConstraintsFail(forged)
        || !OtherBusTuples(honest, row).SequenceEqual(OtherBusTuples(forged, row))
        || BadLookup(forged, row) is not null;

    /// <summary>Every byte-table lookup of every row is answerable (an honest trace's must be).</summary>
    public static void AssertLookupsValid(TableTrace table)
    {
        for (int row = 0; row < table.Height; row++)
            Assert.Null(BadLookup(table, row));
    }

    /// <summary>
    /// Adds 1 to each column of one row per opcode (and per rd = x0 or not) and requires the machine
    /// to reject every change: no column of a real row is free, not even those of an access the row
    /// does not make (they are constrained to 0).
    /// </summary>
    public static void AssertEveryColumnBound(TableTrace table, MachineStep[] steps, string[] names)
    {
        var picked = Enumerable.Range(0, steps.Length)
            .GroupBy(i => (steps[i].Record.Instruction.Op, steps[i].Record.Instruction.Rd == 0))
            .Select(g => g.First()).ToArray();
        Assert.NotEmpty(picked);
        var missed = new List<string>();
        foreach (int row in picked)
        {
            var ins = steps[row].Record.Instruction;
            for (int column = 0; column < names.Length; column++)
            {
                var forged = With(table, m => m[row, column] += BabyBear.One);
                if (!Caught(table, forged, row)) missed.Add($"{names[column]} on {ins.Op} (row {row})");
            }
        }
        Assert.Empty(missed);
    }

    /// <summary>The rd value a row writes equals what the emulator computed.</summary>
    public static void AssertWrites(TableTrace table, MachineStep[] steps, int lo, int hi)
    {
        for (int row = 0; row < steps.Length; row++)
        {
            var r = steps[row].Record;
            if (r.Instruction.Rd == 0) continue;
            uint written = table.Main[row, lo].ToCanonical() | table.Main[row, hi].ToCanonical() << 16;
            Assert.True(written == r.RdValue, $"{r.Instruction.Op} at {r.Pc:x8}: row writes {written:x8}, the emulator {r.RdValue:x8}");
        }
    }

    public static string Bare(string name, string body) => Guests.FromText(name, $"""
            .text
            .globl _start
        _start:
        {body}
            li a0, 0
            li a7, 0
            ecall
        """, bare: true);
}
