using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.LogUp;

/// <summary>
/// The constraints that bind a table's LogUp columns to its interactions, written once for every
/// builder. The fractions of row i, f_i = Σ_g h_g(i), add up to σ, the claimed cumulative sum: column S
/// holds S(i) = Σ_(j ≥ i) f_j, so f_i = S(i) − S(i + 1) on every row but the last, where
/// f = S(n − 1) − S(0) + σ (the next row of the last is the first, and S(0) = σ). One constraint per
/// group, on every row: a group with a column states h·Π d − Σ m·Π_(j≠k) d = 0; the last group takes
/// h = S − S_next + σ·L_last − Σ (the other columns), which needs no column. Summed over the rows, the
/// S terms cancel and Σ_i f_i = σ whatever S holds, so S needs no boundary constraint.
/// </summary>
public static class LogUpConstraints
{
    /// <param name="entries">The table's interactions on the current row, in interaction order, multiplicities signed.</param>
    public static void Eval<TB, TE>(TB b, LogUpLayout layout, IReadOnlyList<BusEntry<TE>> entries)
        where TB : ILogUpBuilder<TE> where TE : IAirExpression<TE>
    {
        if (layout.Width == 0) return;
        TE alpha = b.Alpha, beta = b.Beta;
        int last = layout.Groups.Count - 1;
        // S − S_next + σ·L_last: the row's fractions, all groups together.
        TE rest = b.Aux(layout.SumColumn) - b.AuxNext(layout.SumColumn) + b.IsLastRow * b.CumulativeSum;
        for (int g = 0; g < last; g++) rest -= b.Aux(g);
        for (int g = 0; g <= last; g++)
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
            TE h = g < last ? b.Aux(g) : rest;
            string what = g < last ? $"LogUp fraction column {g}" : "LogUp suffix sum: the row's last fractions";
            b.AssertZero(h * product - numerator, $"{what} (interactions {string.Join(", ", group)})");
        }
    }
}
