using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.LogUp;

/// <summary>
/// The constraints that bind a table's LogUp columns to its interactions, written once for every
/// builder: each fraction column equals the sum of its group's signed fractions; the running sum
/// starts with the first row's fractions, adds each next row's, and ends at the claimed cumulative sum.
/// </summary>
public static class LogUpConstraints
{
    /// <param name="entries">The table's interactions on the current row, in interaction order, multiplicities signed.</param>
    public static void Eval<TB, TE>(TB b, LogUpLayout layout, IReadOnlyList<BusEntry<TE>> entries)
        where TB : ILogUpBuilder<TE> where TE : IAirExpression<TE>
    {
        if (layout.Width == 0) return;
        TE alpha = b.Alpha, beta = b.Beta;
        TE fractions = TE.Constant(BabyBear.Zero), nextFractions = TE.Constant(BabyBear.Zero);
        for (int g = 0; g < layout.Groups.Count; g++)
        {
            int[] group = layout.Groups[g];
            var denominators = new TE[group.Length];
            for (int k = 0; k < group.Length; k++)
                denominators[k] = LogUpChallenges.Denominator(alpha, beta, entries[group[k]].Bus, b.Shard, entries[group[k]].Values);
            TE product = TE.Constant(BabyBear.One);
            foreach (TE d in denominators) product *= d;
            TE numerator = TE.Constant(BabyBear.Zero);
            for (int k = 0; k < group.Length; k++)
            {
                TE term = entries[group[k]].Multiplicity;
                for (int j = 0; j < group.Length; j++)
                    if (j != k) term *= denominators[j];
                numerator += term;
            }
            TE h = b.Aux(g);
            b.AssertZero(h * product - numerator, $"LogUp fraction column {g} (interactions {string.Join(", ", group)})");
            fractions += h;
            nextFractions += b.AuxNext(g);
        }
        TE sum = b.Aux(layout.RunningSumColumn);
        b.AssertZero(b.IsFirstRow * (sum - fractions), "LogUp running sum starts with the first row's fractions");
        b.AssertZero(b.IsTransition * (b.AuxNext(layout.RunningSumColumn) - sum - nextFractions), "LogUp running sum adds the next row's fractions");
        b.AssertZero(b.IsLastRow * (sum - b.CumulativeSum), "LogUp running sum ends at the claimed cumulative sum");
    }
}
