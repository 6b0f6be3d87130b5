using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;

namespace ZkVm.Stark.LogUp;

/// <summary>A table's LogUp columns (row-major, extension field) and the sum they add up to.</summary>
public sealed record LogUpTrace(BabyBearExt4[] Columns, int Width, BabyBearExt4 CumulativeSum)
{
    public BabyBearExt4 this[int row, int column] => Columns[row * Width + column];

    /// <summary>Builds the columns of <paramref name="layout"/> from the table's witness.</summary>
    public static LogUpTrace Build(TableTrace table, LogUpLayout layout, LogUpChallenges challenges) =>
        Build(table, layout, challenges, packing: null);

    /// <param name="packing">Forces the packing of the interaction pass (tests compare packings).</param>
    internal static LogUpTrace Build(TableTrace table, LogUpLayout layout, LogUpChallenges challenges, PackingKind? packing)
    {
        int width = layout.Width, height = table.Height;
        var columns = new BabyBearExt4[height * width];
        if (width == 0) return new LogUpTrace(columns, 0, BabyBearExt4.Zero);

        int interactions = layout.Groups.Sum(g => g.Length);
        var fractions = new Fractions(table, interactions, challenges);
        Packing.Run(height >= 16 ? packing ?? Packing.Best : PackingKind.Scalar, fractions);
        BabyBearExt4[] denominators = fractions.Denominators, multiplicities = fractions.Multiplicities;
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

    /// <summary>
    /// Every interaction's denominator and signed multiplicity on every row, row-major: the table's
    /// interactions evaluated TP.Width rows at a time by the prover's packed builder, on every core.
    /// </summary>
    private sealed class Fractions(TableTrace table, int interactions, LogUpChallenges challenges) : IPackedOperation
    {
        public BabyBearExt4[] Denominators = [], Multiplicities = [];

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int height = table.Height;
            var denominators = new BabyBearExt4[height * interactions];
            var multiplicities = new BabyBearExt4[height * interactions];
            var alpha = PackedExtension<TP>.Broadcast(challenges.Alpha);
            var beta = PackedExtension<TP>.Broadcast(challenges.Beta);
            Parallel.For(0, height / TP.Width, () => new PackedRowBuilder<TP>(table), (block, _, builder) =>
            {
                int first = block * TP.Width;
                builder.Evaluate(first);
                Span<BabyBearExt4> lanes = stackalloc BabyBearExt4[TP.Width];
                for (int k = 0; k < interactions; k++)
                {
                    var e = builder.Entries[k];
                    LogUpChallenges.Denominator(alpha, beta, e.Bus, challenges.Shard, e.Values).CopyTo(lanes);
                    for (int lane = 0; lane < TP.Width; lane++) denominators[(first + lane) * interactions + k] = lanes[lane];
                    e.Multiplicity.CopyTo(lanes);
                    for (int lane = 0; lane < TP.Width; lane++) multiplicities[(first + lane) * interactions + k] = lanes[lane];
                }
                return builder;
            }, _ => { });
            Denominators = denominators;
            Multiplicities = multiplicities;
        }
    }
}
