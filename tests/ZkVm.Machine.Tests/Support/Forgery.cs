using ZkVm.Field;
using ZkVm.Machine.Tables;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>Net bus terms of a change: (bus, tuple) → (net multiplicity, the tuple's values).</summary>
sealed class BusDelta : Dictionary<(uint Bus, string Tuple), (BabyBearExt4 Net, BabyBearExt4[] Values)> { }

/// <summary>
/// The debug builder's verdict on a one-cell change to a valid multi-table witness, computed locally:
/// a cell of row r only enters rows r − 1 and r (constraints see the next row), so the change is caught
/// exactly when a constraint of those rows fails or their bus terms change the (balanced) multiset.
/// </summary>
/// <remarks>
/// Lookups into tables whose multiplicities the prover chooses (the byte table; the program table when
/// <see cref="Caught"/> is given the program) are judged as a forger would use them: a changed tuple that the
/// table holds is answered by recounting its multiplicities, so only a tuple it does not hold is caught.
/// A change to one of those multiplicities itself is caught whenever it unbalances the bus.
/// </remarks>
static class Forgery
{
    public static bool Caught(TableTrace table, int row, int column, BabyBear value, MachineProgram? program = null)
    {
        int before = (row - 1 + table.Height) % table.Height;
        var original = table.Main[row, column];
        var delta = new BusDelta();
        Add(table, [before, row], delta, -1);
        table.Main[row, column] = value;
        try
        {
            if (FailsConstraint(table, before) || FailsConstraint(table, row)) return true;
            Add(table, [before, row], delta, +1);
            return Unabsorbed(delta, table, program is null || table.Air is ProgramTable ? null : RomTuples(program));
        }
        finally
        {
            table.Main[row, column] = original;
        }
    }

    /// <summary>Whether a constraint of this row (with its next row) fails.</summary>
    public static bool FailsConstraint(TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        return evaluator.Constraints.Any(c => !c.Value.IsZero);
    }

    static void Add(TableTrace table, int[] rows, BusDelta delta, int sign)
    {
        var evaluator = new RowEvaluator(table);
        foreach (int row in rows.Distinct())
        {
            evaluator.EvaluateRow(row);
            AddTerms(delta, evaluator.Entries, sign);
        }
    }

    /// <summary>Adds the bus terms of one evaluated row to <paramref name="delta"/> (with <paramref name="sign"/>),
    /// leaving out the interaction at position <paramref name="excluded"/>.</summary>
    public static void AddTerms(BusDelta delta, IReadOnlyList<BusEntry<ExtensionValue>> entries, int sign, int excluded = -1)
    {
        for (int k = 0; k < entries.Count; k++)
        {
            var entry = entries[k];
            if (k == excluded || entry.Multiplicity.IsZero) continue;
            var values = entry.Values.Select(v => v.Value).ToArray();
            var key = (entry.Bus.Id, Key(values));
            var m = sign > 0 ? entry.Multiplicity.Value : -entry.Multiplicity.Value;
            delta[key] = delta.TryGetValue(key, out var seen) ? (seen.Net + m, values) : (m, values);
        }
    }

    /// <summary>
    /// Whether a change of bus terms is caught: some term does not cancel and the forger cannot recount it away
    /// (a byte-table lookup it holds, or a ROM lookup when <paramref name="rom"/> is given). A change to the
    /// looked-up table's own multiplicities is not absorbed: nothing else changed to match it.
    /// </summary>
    public static bool Unabsorbed(BusDelta delta, TableTrace table, HashSet<string>? rom)
    {
        bool bytesAbsorb = table.Air is not ByteTable;
        return delta.Any(d => !d.Value.Net.IsZero && d.Key.Bus switch
        {
            var bus when bus == MachineBuses.Bytes.Id && bytesAbsorb => !InByteTable(d.Value.Values),
            var bus when bus == MachineBuses.Program.Id && rom is not null => !rom.Contains(d.Key.Tuple),
            _ => true,
        });
    }

    static string Key(IEnumerable<BabyBearExt4> values) => string.Join(",", values.Select(v => v.ToString()));

    /// <summary>Whether the byte table holds (op, x, y, z).</summary>
    static bool InByteTable(BabyBearExt4[] t)
    {
        if (t.Any(v => !v.C1.IsZero || !v.C2.IsZero || !v.C3.IsZero)) return false;
        return ByteTable.Holds(t[0].C0.ToCanonical(), t[1].C0.ToCanonical(), t[2].C0.ToCanonical(), t[3].C0.ToCanonical());
    }

    public static HashSet<string> RomTuples(MachineProgram program)
    {
        var air = new ProgramTable(program);
        var rows = air.Preprocessed(1 << air.FixedLogHeight!.Value)!;
        return [.. Enumerable.Range(0, rows.Height).Select(r => Key(rows.Row(r).ToArray().Select(v => (BabyBearExt4)v)))];
    }
}
