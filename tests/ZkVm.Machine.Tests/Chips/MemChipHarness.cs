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
/// Runs real guests and fills one chip's table from them, and judges a forged row the way the whole
/// machine would: a failed constraint, a byte-table lookup the table does not hold, or a changed
/// tuple on any other bus (which the rest of the machine, built from the honest run, cannot balance).
/// </summary>
static class MemChipHarness
{
    public static MachineWitness Run(string elf, byte[]? input = null) => MachineRuns.Run(elf, input).Witness;

    /// <summary>The programs every chip of this family is tested on.</summary>
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

    public static TableTrace Table(IInstructionChip chip, MachineWitness witness, out int[] rows)
    {
        rows = Enumerable.Range(0, witness.Steps.Length)
            .Where(i => witness.Steps[i].Record.Instruction.Spec.Family == chip.Family).ToArray();
        return new TableTrace(chip, chip.Fill(witness.Steps, rows));
    }

    public static BabyBear F(uint v) => BabyBear.FromCanonical(v);

    /// <summary>Every byte-table lookup of every row is one the table holds (CheckConstraints does not look).</summary>
    public static void AssertLookupsValid(TableTrace table)
    {
        var evaluator = new RowEvaluator(table);
        for (int row = 0; row < table.Height; row++)
        {
            evaluator.EvaluateRow(row);
            foreach (var e in evaluator.Entries)
                if (e.Bus.Id == MachineBuses.Bytes.Id && !e.Multiplicity.Value.IsZero)
                    Assert.True(ValidLookup(e.Values), $"row {row}: lookup ({string.Join(", ", e.Values.Select(v => v.Value))}) is not in the byte table");
        }
    }

    /// <summary>
    /// Why the machine rejects <paramref name="forged"/> (a copy of <paramref name="honest"/> with row
    /// <paramref name="row"/> changed), or null if it would accept it. The chips' constraints only read
    /// the local row, so only that row can fail.
    /// </summary>
    public static string? Rejects(TableTrace honest, TableTrace forged, int row)
    {
        var f = new RowEvaluator(forged);
        f.EvaluateRow(row);
        for (int c = 0; c < f.Constraints.Count; c++)
            if (!f.Constraints[c].Value.Value.IsZero) return $"constraint {c}";
        foreach (var e in f.Entries)
            if (e.Bus.Id == MachineBuses.Bytes.Id && !e.Multiplicity.Value.IsZero && !ValidLookup(e.Values))
                return "bytes";
        var h = new RowEvaluator(honest);
        h.EvaluateRow(row);
        var honestTuples = Footprint(h.Entries);
        var forgedTuples = Footprint(f.Entries);
        foreach (var t in honestTuples.Union(forgedTuples))
            if (Count(honestTuples, t) != Count(forgedTuples, t)) return "bus " + t.Split(':')[0];
        return null;
    }

    static List<string> Footprint(List<BusEntry<ExtensionValue>> entries) =>
        entries.Where(e => e.Bus.Id != MachineBuses.Bytes.Id && !e.Multiplicity.Value.IsZero)
            .Select(e => $"{e.Bus.Name}:{e.Multiplicity.Value}:{string.Join(",", e.Values.Select(v => v.Value))}").ToList();

    static int Count(List<string> list, string t) => list.Count(x => x == t);

    static bool ValidLookup(ExtensionValue[] values)
    {
        if (values.Any(v => !(v.Value.C1.IsZero && v.Value.C2.IsZero && v.Value.C3.IsZero))) return false;
        return ByteTable.Holds(values[0].Value.C0.ToCanonical(), values[1].Value.C0.ToCanonical(),
            values[2].Value.C0.ToCanonical(), values[3].Value.C0.ToCanonical());
    }

    public static TableTrace Copy(TableTrace table) => new(table.Air, table.Main.Clone());

    /// <summary>
    /// Adds 1 to each column of each real row (at most <paramref name="perOpcode"/> rows per opcode) and
    /// collects the mutations the machine would accept, unless <paramref name="free"/> says that column
    /// is a witness the row leaves free (it multiplies zero).
    /// </summary>
    public static List<string> UncaughtMutations(TableTrace honest, MachineWitness witness, int[] rows, string[] names,
        Func<int, int, bool>? free = null, int perOpcode = 6)
    {
        var picked = rows.Select((step, row) => (step, row))
            .GroupBy(x => witness.Steps[x.step].Record.Instruction.Op)
            .SelectMany(g => g.Take(perOpcode)).Select(x => x.row).ToList();
        Assert.NotEmpty(picked);
        foreach (int row in picked)
            Assert.Null(Rejects(honest, honest, row));
        var uncaught = new List<string>();
        var forged = Copy(honest);
        foreach (int row in picked)
            for (int c = 0; c < honest.Main.Width; c++)
            {
                if (free?.Invoke(row, c) == true) continue;
                var original = forged.Main[row, c];
                forged.Main[row, c] = original + BabyBear.One;
                if (Rejects(honest, forged, row) is null)
                    uncaught.Add($"{names[c]} at row {row} ({witness.Steps[rows[row]].Record.Instruction.Op})");
                forged.Main[row, c] = original;
            }
        return uncaught;
    }
}
