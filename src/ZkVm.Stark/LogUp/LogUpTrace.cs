using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.LogUp;

/// <summary>A table's LogUp columns (row-major, extension field) and the sum they add up to.</summary>
public sealed record LogUpTrace(BabyBearExt4[] Columns, int Width, BabyBearExt4 CumulativeSum)
{
    public BabyBearExt4 this[int row, int column] => Columns[row * Width + column];

    /// <summary>Builds the columns of <paramref name="layout"/> from the table's witness.</summary>
    public static LogUpTrace Build(TableTrace table, LogUpLayout layout, LogUpChallenges challenges)
    {
        int width = layout.Width, height = table.Height;
        var columns = new BabyBearExt4[height * width];
        if (width == 0) return new LogUpTrace(columns, 0, BabyBearExt4.Zero);

        int interactions = layout.Groups.Sum(g => g.Length);
        var denominators = new BabyBearExt4[height * interactions];
        var multiplicities = new BabyBearExt4[height * interactions];
        Parallel.For(0, height, () => new RowEvaluator(table), (row, _, evaluator) =>
        {
            evaluator.EvaluateRow(row);
            for (int k = 0; k < interactions; k++)
            {
                var e = evaluator.Entries[k];
                denominators[row * interactions + k] = LogUpChallenges.Denominator<ExtensionValue>(challenges.Alpha, challenges.Beta, e.Bus, e.Values).Value;
                multiplicities[row * interactions + k] = e.Multiplicity.Value;
            }
            return evaluator;
        }, _ => { });
        var inverses = new BabyBearExt4[denominators.Length];
        FieldMath.BatchInverse<BabyBearExt4>(denominators, inverses);

        BabyBearExt4 sum = BabyBearExt4.Zero;
        for (int row = 0; row < height; row++)
        {
            for (int g = 0; g < layout.Groups.Count; g++)
            {
                BabyBearExt4 h = BabyBearExt4.Zero;
                foreach (int k in layout.Groups[g]) h += multiplicities[row * interactions + k] * inverses[row * interactions + k];
                columns[row * width + g] = h;
                sum += h;
            }
            columns[row * width + layout.RunningSumColumn] = sum;
        }
        return new LogUpTrace(columns, width, sum);
    }
}
