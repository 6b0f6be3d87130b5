using ZkVm.Field;
using ZkVm.Stark.LogUp;

namespace ZkVm.Stark.Air;

/// <summary>
/// The debug builder's check of a whole witness before proving: every constraint of every table on
/// every row, and the balance of every bus as a multiset (which tuple, on which bus, is left over).
/// Failures are typed errors that name the table, the constraint or bus, and the row.
/// </summary>
public static class TraceChecker
{
    public static void Check(IReadOnlyList<TableTrace> tables, IReadOnlyList<PublicBusEntry>? publicEntries = null)
    {
        AirShape.CheckBusArities(tables.Select(t => AirShape.ForAir(t.Air)));
        var balance = new Dictionary<(uint Bus, string Tuple), (BabyBearExt4 Net, Bus Bus, string Where)>();
        foreach (var table in tables)
        {
            var evaluator = new RowEvaluator(table);
            for (int row = 0; row < table.Height; row++)
            {
                evaluator.EvaluateRow(row);
                ThrowOnFailedConstraint(table, evaluator, row);
                foreach (var entry in evaluator.Entries)
                    Add(balance, entry.Bus, entry.Multiplicity.Value, entry.Values.Select(v => v.Value), $"table '{table.Air.Name}' row {row}");
            }
        }
        foreach (var entry in publicEntries ?? [])
            Add(balance, entry.Bus, entry.Multiplicity, entry.Values.Select(v => (BabyBearExt4)v), "public input");

        foreach (var ((_, tuple), (net, bus, where)) in balance)
            if (!net.IsZero)
                throw new ZkVmException(AirErrors.BusUnbalanced, $"bus '{bus.Name}' is unbalanced: tuple ({tuple}) has net multiplicity {Format(net)} (sent minus received; first seen at {where})");
    }

    /// <summary>Checks one table's constraints on every row, without its bus interactions (a chip tested alone).</summary>
    public static void CheckConstraints(TableTrace table)
    {
        var evaluator = new RowEvaluator(table);
        for (int row = 0; row < table.Height; row++)
        {
            evaluator.EvaluateRow(row);
            ThrowOnFailedConstraint(table, evaluator, row);
        }
    }

    /// <summary>
    /// Checks a table's LogUp columns against its witness, row by row, with the sum the proof would
    /// claim; <see cref="LogUpTrace.Build(TableTrace, LogUpLayout, LogUpChallenges)"/> output passes for every honest witness.
    /// </summary>
    public static void CheckLogUp(TableTrace table, LogUpTrace trace, LogUpChallenges challenges, BabyBearExt4 claimedSum)
    {
        var evaluator = new RowEvaluator(table, LogUpLayout.For(AirShape.ForAir(table.Air)), trace, challenges, claimedSum);
        for (int row = 0; row < table.Height; row++)
        {
            evaluator.EvaluateRow(row);
            ThrowOnFailedConstraint(table, evaluator, row);
        }
    }

    private static void ThrowOnFailedConstraint(TableTrace table, RowEvaluator evaluator, int row)
    {
        for (int c = 0; c < evaluator.Constraints.Count; c++)
        {
            var (name, value) = evaluator.Constraints[c];
            if (!value.IsZero)
                throw new ZkVmException(AirErrors.ConstraintFailed, $"table '{table.Air.Name}' constraint {c} ({name}) is {value} at row {row}, not zero");
        }
    }

    /// <summary>Base-field values (all that traces hold) print as plain numbers.</summary>
    private static string Format(BabyBearExt4 x) => x.C1.IsZero && x.C2.IsZero && x.C3.IsZero ? x.C0.ToString() : x.ToString();

    private static void Add(Dictionary<(uint, string), (BabyBearExt4, Bus, string)> balance, Bus bus, BabyBearExt4 multiplicity, IEnumerable<BabyBearExt4> values, string where)
    {
        var key = (bus.Id, string.Join(", ", values.Select(Format)));
        balance[key] = balance.TryGetValue(key, out var seen) ? (seen.Item1 + multiplicity, bus, seen.Item3) : (multiplicity, bus, where);
    }
}
