using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Pcs;
using ZkVm.Stark.Proving;

namespace ZkVm.Stark.LogUp;

/// <summary>
/// A table's LogUp columns and the sum they add up to. <see cref="Values"/> holds each extension column as its four
/// base parts (column c in base columns 4c … 4c + 3), the form the prover commits.
/// </summary>
public sealed record LogUpTrace(RowMajorMatrix Values, int Width, BabyBearExt4 CumulativeSum)
{
    public BabyBearExt4 this[int row, int column] => Extension.At(Values, row, column);

    /// <summary>Builds the columns of <paramref name="layout"/> from the table's witness.</summary>
    public static LogUpTrace Build(TableTrace table, LogUpLayout layout, LogUpChallenges challenges) =>
        Build(table, layout, challenges, packing: null);

    /// <param name="packing">Forces the packing of the interaction pass (tests compare packings).</param>
    internal static LogUpTrace Build(TableTrace table, LogUpLayout layout, LogUpChallenges challenges, PackingKind? packing)
    {
        int width = layout.Width, height = table.Height;
        if (width == 0) return new LogUpTrace(new RowMajorMatrix(0, 0), 0, BabyBearExt4.Zero);
        var pass = new InteractionPass(table, layout, challenges);
        Packing.Run(height >= 16 ? packing ?? Packing.Best : PackingKind.Scalar, pass);
        return new LogUpTrace(pass.Values!, width, pass.Sum);
    }

    /// <summary>
    /// The scalar reference of <see cref="Build(TableTrace, LogUpLayout, LogUpChallenges)"/>: the interactions of each
    /// row from the generic row evaluator, each fraction inverted alone, the suffix sum added from the last row up.
    /// </summary>
    internal static LogUpTrace BuildReference(TableTrace table, LogUpLayout layout, LogUpChallenges challenges)
    {
        int width = layout.Width;
        var values = new RowMajorMatrix(4 * width, width == 0 ? 0 : table.Height);
        if (width == 0) return new LogUpTrace(values, 0, BabyBearExt4.Zero);
        var evaluator = new RowEvaluator(table);
        var fractions = new BabyBearExt4[table.Height];
        for (int row = 0; row < table.Height; row++)
        {
            evaluator.EvaluateRow(row);
            for (int g = 0; g < layout.Groups.Count; g++)
            {
                BabyBearExt4 h = BabyBearExt4.Zero;
                foreach (int k in layout.Groups[g])
                {
                    var e = evaluator.Entries[k];
                    h += e.Multiplicity.Value * LogUpChallenges.Denominator<ExtensionValue>(challenges.Alpha, challenges.Beta, e.Bus, challenges.Shard, e.Values).Value.Inverse();
                }
                fractions[row] += h;
                if (g < layout.SumColumn) Set(values, row, g, h);
            }
        }
        BabyBearExt4 sum = BabyBearExt4.Zero;
        for (int row = table.Height - 1; row >= 0; row--)
        {
            sum += fractions[row];
            Set(values, row, layout.SumColumn, sum);
        }
        return new LogUpTrace(values, width, sum);
    }

    private static void Set(RowMajorMatrix values, int row, int column, BabyBearExt4 x)
    {
        for (int j = 0; j < 4; j++) values[row, 4 * column + j] = x[j];
    }

    /// <summary>
    /// The interactions compiled once (<see cref="ConstraintProgram.ForInteractions"/>) and run a block of rows at a
    /// time on every core, in the base field. Each block inverts its denominators together (one inversion per lane),
    /// writes each group's Σ m/d (but the last's) and the sum of the fractions of the block's rows before each row; a
    /// second pass turns those into suffix sums, σ minus the fractions of every row before. Nothing per interaction
    /// outlives its block.
    /// </summary>
    private sealed class InteractionPass(TableTrace table, LogUpLayout layout, LogUpChallenges challenges) : IPackedOperation
    {
        public RowMajorMatrix? Values;
        public BabyBearExt4 Sum;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int height = table.Height, sumColumn = layout.SumColumn, width = 4 * layout.Width;
            var program = ConstraintProgram.ForInteractions(ExpressionRecorder.Record(table.Air, null, challenges.Shard),
                new(table.PublicValues, challenges.Alpha, challenges.Beta, BabyBearExt4.Zero));
            var domain = new TraceDomain(height);
            int block = Math.Min(ColumnEvaluator<TP>.MaxBlockRows, height), blocks = height / block;
            var values = new RowMajorMatrix(width, height);
            var totals = new BabyBearExt4[blocks];
            Parallel.For(0, blocks, Kernels.Options, () => new Block<TP>(new ColumnEvaluator<TP>(program, table.Main, table.Preprocessed, null, domain, block), program.Fractions.Length),
                (b, _, state) =>
                {
                    totals[b] = state.Fill(b * block, program, layout, values);
                    return state;
                }, _ => { });
            // Block b's rows follow the fractions of every earlier block: S = σ − (those + the block's own before the row).
            var before = new BabyBearExt4[blocks];
            for (int b = 1; b < blocks; b++) before[b] = before[b - 1] + totals[b - 1];
            BabyBearExt4 total = before[blocks - 1] + totals[blocks - 1];
            Parallel.For(0, blocks, Kernels.Options, b =>
            {
                BabyBearExt4 start = total - before[b];
                for (int row = b * block; row < (b + 1) * block; row++)
                {
                    Span<BabyBear> sum = values.Row(row).Slice(4 * sumColumn, 4);
                    for (int j = 0; j < 4; j++) sum[j] = start[j] - sum[j];
                }
            });
            Values = values;
            Sum = total;
        }
    }

    /// <summary>One thread's block state: the evaluator and room for the block's prefix products (four parts each).</summary>
    private sealed class Block<TP>(ColumnEvaluator<TP> evaluator, int interactions) where TP : unmanaged, IPackedField<TP>
    {
        private readonly TP[] prefix = new TP[4 * interactions * (evaluator.BlockRows / TP.Width)];

        /// <summary>Fills rows [first, first + block) and returns their fractions' sum.</summary>
        public BabyBearExt4 Fill(int first, ConstraintProgram program, LogUpLayout layout, RowMajorMatrix values)
        {
            evaluator.Run(first);
            int vectors = evaluator.BlockRows / TP.Width, count = interactions;
            // Montgomery's batch inversion over the whole block, each lane its own chain.
            TP one = TP.Broadcast(BabyBear.One), zero = TP.Broadcast(BabyBear.Zero);
            TP a0 = one, a1 = zero, a2 = zero, a3 = zero;
            for (int v = 0; v < vectors; v++)
                for (int k = 0; k < count; k++)
                {
                    int at = 4 * (v * count + k), unit = program.Denominators + 4 * k;
                    (prefix[at], prefix[at + 1], prefix[at + 2], prefix[at + 3]) = (a0, a1, a2, a3);
                    ColumnEvaluator<TP>.Multiply(a0, a1, a2, a3, evaluator.LoadBase(unit, v), evaluator.LoadBase(unit + 1, v), evaluator.LoadBase(unit + 2, v), evaluator.LoadBase(unit + 3, v),
                        out a0, out a1, out a2, out a3);
                }
            Span<BabyBearExt4> lanes = stackalloc BabyBearExt4[TP.Width];
            new PackedExtension<TP>(a0, a1, a2, a3).CopyTo(lanes);
            for (int lane = 0; lane < TP.Width; lane++)
            {
                if (lanes[lane].IsZero)
                    throw new DivideByZeroException($"a LogUp denominator is zero in rows {first}…{first + evaluator.BlockRows - 1}");
                lanes[lane] = lanes[lane].Inverse();
            }
            var inverse = PackedExtension<TP>.FromLanes(lanes);
            TP i0 = inverse.C0, i1 = inverse.C1, i2 = inverse.C2, i3 = inverse.C3;
            for (int v = vectors - 1; v >= 0; v--)
                for (int k = count - 1; k >= 0; k--)
                {
                    int at = 4 * (v * count + k), unit = program.Denominators + 4 * k;
                    ColumnEvaluator<TP>.Multiply(prefix[at], prefix[at + 1], prefix[at + 2], prefix[at + 3], i0, i1, i2, i3,
                        out prefix[at], out prefix[at + 1], out prefix[at + 2], out prefix[at + 3]);
                    ColumnEvaluator<TP>.Multiply(i0, i1, i2, i3, evaluator.LoadBase(unit, v), evaluator.LoadBase(unit + 1, v), evaluator.LoadBase(unit + 2, v), evaluator.LoadBase(unit + 3, v),
                        out i0, out i1, out i2, out i3);
                }

            int groups = layout.Groups.Count, sumColumn = layout.SumColumn, width = values.Width;
            BabyBearExt4 sum = BabyBearExt4.Zero;
            Span<BabyBearExt4> h = stackalloc BabyBearExt4[TP.Width], rowSums = stackalloc BabyBearExt4[TP.Width];
            for (int v = 0; v < vectors; v++)
            {
                rowSums.Clear();
                for (int g = 0; g < groups; g++)
                {
                    TP h0 = zero, h1 = zero, h2 = zero, h3 = zero;
                    foreach (int k in layout.Groups[g])
                    {
                        TP m = evaluator.LoadBase(program.Multiplicities + k, v);
                        int at = 4 * (v * count + k);
                        h0 += m * prefix[at]; h1 += m * prefix[at + 1]; h2 += m * prefix[at + 2]; h3 += m * prefix[at + 3];
                    }
                    new PackedExtension<TP>(h0, h1, h2, h3).CopyTo(h);
                    for (int lane = 0; lane < TP.Width; lane++)
                    {
                        rowSums[lane] += h[lane];
                        if (g == sumColumn) continue; // the last group's fractions live in S only
                        int at = (first + v * TP.Width + lane) * width + 4 * g;
                        values.Values[at] = h[lane].C0; values.Values[at + 1] = h[lane].C1;
                        values.Values[at + 2] = h[lane].C2; values.Values[at + 3] = h[lane].C3;
                    }
                }
                for (int lane = 0; lane < TP.Width; lane++)
                {
                    // The block's fractions before this row, for the second pass to subtract from its start.
                    Span<BabyBear> row = values.Row(first + v * TP.Width + lane);
                    row[4 * sumColumn] = sum.C0; row[4 * sumColumn + 1] = sum.C1; row[4 * sumColumn + 2] = sum.C2; row[4 * sumColumn + 3] = sum.C3;
                    sum += rowSums[lane];
                }
            }
            return sum;
        }
    }
}
