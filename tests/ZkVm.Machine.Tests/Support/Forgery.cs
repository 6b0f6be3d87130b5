using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// The debug builder's verdict on a one-cell change to a valid multi-table witness, computed locally:
/// a cell of row r only enters rows r − 1 and r (constraints see the next row), so the change is caught
/// exactly when a constraint of those rows fails or their bus terms change the (balanced) multiset.
/// Equivalent to <see cref="TraceChecker.Check"/> on the whole witness, and thousands of times faster.
/// </summary>
static class Forgery
{
    public static bool Caught(TableTrace table, int row, int column, BabyBear value)
    {
        int before = (row - 1 + table.Height) % table.Height;
        var original = table.Main[row, column];
        var delta = new Dictionary<string, BabyBearExt4>();
        Add(table, [before, row], delta, -1);
        table.Main[row, column] = value;
        try
        {
            if (FailsConstraint(table, before) || FailsConstraint(table, row)) return true;
            Add(table, [before, row], delta, +1);
            return delta.Values.Any(v => !v.IsZero);
        }
        finally
        {
            table.Main[row, column] = original;
        }
    }

    static bool FailsConstraint(TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        return evaluator.Constraints.Any(c => !c.Value.IsZero);
    }

    static void Add(TableTrace table, int[] rows, Dictionary<string, BabyBearExt4> delta, int sign)
    {
        var evaluator = new RowEvaluator(table);
        foreach (int row in rows.Distinct())
        {
            evaluator.EvaluateRow(row);
            foreach (var entry in evaluator.Entries)
            {
                if (entry.Multiplicity.IsZero) continue;
                string key = entry.Bus.Id + ":" + string.Join(",", entry.Values.Select(v => v.Value.ToString()));
                var m = sign > 0 ? entry.Multiplicity.Value : -entry.Multiplicity.Value;
                delta[key] = delta.TryGetValue(key, out var seen) ? seen + m : m;
            }
        }
    }
}
