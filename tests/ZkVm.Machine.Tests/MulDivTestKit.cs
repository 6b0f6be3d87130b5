using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Stark;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests;

/// <summary>
/// Shared by the MULTIPLY and DIVREM chip tests: a real run's witness, one chip's table from it, and
/// what "rejected" means for a single table before the whole-machine check exists.
/// </summary>
static class MulDivTestKit
{
    /// <summary>The steps of a directed guest's run (it must pass its own checks) and the indices of one family's.</summary>
    public static (MachineStep[] Steps, int[] Rows) Run(string directed, InstructionFamily family)
    {
        var (_, witness) = MachineRuns.Directed(directed);
        Assert.True(witness.ExitCode == 0, $"{directed} failed its own check {witness.ExitCode}");
        var rows = Enumerable.Range(0, witness.Steps.Length)
            .Where(i => OpcodeTable.Get(witness.Steps[i].Record.Instruction.Op).Family == family).ToArray();
        return (witness.Steps, rows);
    }

    public static TableTrace Table(IInstructionChip chip, MachineStep[] steps, int[] rows) => new(chip, chip.Fill(steps, rows));

    public static TableTrace Copy(TableTrace table) => new(table.Air, table.Main.Clone());

    /// <summary>Every interaction of one row as text: bus, multiplicity and tuple.</summary>
    public static List<(uint Bus, string Text, BabyBear[] Values, BabyBear Multiplicity)> Interactions(TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        return evaluator.Entries.Select(e =>
        {
            var values = e.Values.Select(v => v.Value.C0).ToArray();
            return (e.Bus.Id, $"{e.Bus.Name} ×{e.Multiplicity.Value.C0}: ({string.Join(", ", values)})", values, e.Multiplicity.Value.C0);
        }).ToList();
    }

    /// <summary>Whether the byte table holds the tuple (op, x, y, z) of a lookup.</summary>
    public static bool InByteTable(BabyBear[] t)
    {
        return ByteTable.Holds(t[0].ToCanonical(), t[1].ToCanonical(), t[2].ToCanonical(), t[3].ToCanonical());
    }

    /// <summary>
    /// A table alone is rejected when a constraint fails or a lookup it makes is not in the byte
    /// table (the whole machine's bytes bus could not balance it).
    /// </summary>
    public static bool Rejected(TableTrace table, out string why)
    {
        try
        {
            TraceChecker.CheckConstraints(table);
        }
        catch (ZkVmException e)
        {
            why = e.Message;
            return true;
        }
        for (int row = 0; row < table.Height; row++)
            foreach (var (bus, text, values, multiplicity) in Interactions(table, row))
                if (bus == MachineBuses.Bytes.Id && !multiplicity.IsZero && !InByteTable(values))
                {
                    why = $"row {row}: lookup {text} is not in the byte table";
                    return true;
                }
        why = "accepted";
        return false;
    }

    /// <summary>
    /// A mutated row is caught when the table is rejected, or when the row's messages on the other
    /// buses (program, execution, memory) differ from the honest row's: the rest of the machine sends
    /// or receives exactly the honest ones, so the buses would not balance.
    /// </summary>
    public static bool Caught(TableTrace honest, TableTrace mutated, int row, out string why)
    {
        if (Rejected(mutated, out why)) return true;
        static List<string> Others(TableTrace t, int row) => Interactions(t, row)
            .Where(e => e.Bus != MachineBuses.Bytes.Id && !e.Multiplicity.IsZero).Select(e => e.Text).Order().ToList();
        var before = Others(honest, row);
        var after = Others(mutated, row);
        if (!before.SequenceEqual(after))
        {
            why = $"row {row}: bus messages changed ({string.Join("; ", after.Except(before))})";
            return true;
        }
        why = "accepted";
        return false;
    }

    /// <summary>The value the row writes to rd on the memory bus (lo, hi), or null when it writes nothing.</summary>
    public static uint? WrittenValue(TableTrace table, int row, uint ts)
    {
        foreach (var (bus, _, values, multiplicity) in Interactions(table, row))
            if (bus == MachineBuses.Memory.Id && multiplicity == BabyBear.One && values[4].ToCanonical() == ts + MachineLayout.SlotRd)
                return values[2].ToCanonical() | values[3].ToCanonical() << 16;
        return null;
    }

    /// <summary>Checks every column of each given row: adding 1 (and, for the wide ones, 2^16) to it must be caught.</summary>
    public static void MutateEveryColumn(TableTrace honest, IReadOnlyList<string> names, IEnumerable<int> rows)
    {
        var escaped = new List<string>();
        foreach (int row in rows)
            for (int c = 0; c < honest.Main.Width; c++)
                foreach (uint delta in new uint[] { 1, 1 << 16 })
                {
                    var mutated = Copy(honest);
                    mutated.Main[row, c] = mutated.Main[row, c] + BabyBear.FromCanonical(delta);
                    if (!Caught(honest, mutated, row, out _)) escaped.Add($"{names[c]} +{delta} at row {row}");
                }
        Assert.True(escaped.Count == 0, "mutations not caught: " + string.Join(", ", escaped));
    }
}
