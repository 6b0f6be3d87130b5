using ZkVm.Field;

namespace ZkVm.Stark.Pcs;

/// <summary>
/// Points and polynomials of a table's domains. A table of height n lives on the subgroup H of order
/// n; its low-degree extensions live on the coset g·H' (|H'| = n·2^logBlowup, g = 31) in bit-reversed
/// order, so that row r is the point g·ω^bitrev(r) and the first 2n rows form the coset g·H₂ₙ on
/// which quotients are computed.
/// </summary>
public static class Domain
{
    public static BabyBear Shift => BabyBear.Generator;

    /// <summary>The point of row <paramref name="row"/> of a bit-reversed evaluation on g·H(2^logSize).</summary>
    public static BabyBear BitReversedPoint(int logSize, int row) =>
        Shift * FieldMath.Pow(BabyBear.TwoAdicGenerator(logSize), (ulong)BitReversal.Reverse(row, logSize));

    /// <summary>All points of a bit-reversed evaluation on g·H(2^logSize).</summary>
    public static BabyBear[] BitReversedPoints(int logSize) => BitReversedPoints(logSize, Shift);

    /// <summary>shift·ω^bitrev(r) for every row r of a bit-reversed evaluation on shift·H(2^logSize), on every core.</summary>
    private static BabyBear[] BitReversedPoints(int logSize, BabyBear shift)
    {
        int size = 1 << logSize;
        var natural = new BabyBear[size];
        FieldMath.Powers(BabyBear.TwoAdicGenerator(logSize), natural);
        var points = new BabyBear[size];
        ParallelRanges.For(size, 1, (from, to) => { for (int r = from; r < to; r++) points[r] = shift * natural[BitReversal.Reverse(r, logSize)]; });
        return points;
    }

    /// <summary>Z_H(x) = xⁿ − 1, the polynomial that vanishes on H.</summary>
    public static T Vanishing<T>(T x, int logN) where T : unmanaged, IField<T>
    {
        T power = x;
        for (int i = 0; i < logN; i++) power = power.Square();
        return power - T.One;
    }

    /// <summary>
    /// The selectors at x for a table of height 2^logN: L_first(x) = Z(x)/(n·(x − 1)), L_last(x) =
    /// h·Z(x)/(n·(x − h)) with h = ω⁻¹ the last row's point, and x − h, which vanishes on the last row only.
    /// </summary>
    public static (BabyBearExt4 First, BabyBearExt4 Last, BabyBearExt4 Transition) Selectors(BabyBearExt4 x, int logN)
    {
        BabyBear last = BabyBear.TwoAdicGenerator(logN).Inverse();
        BabyBear nInverse = BabyBear.FromCanonical(1u << logN).Inverse();
        BabyBearExt4 z = Vanishing(x, logN);
        BabyBearExt4 first = z * (x - BabyBear.One).Inverse() * nInverse;
        BabyBearExt4 lastSelector = z * (x - last).Inverse() * (nInverse * last);
        return (first, lastSelector, x - last);
    }

    /// <summary>
    /// Evaluates at z (outside H) every column of a matrix of values on H (natural order) by the
    /// barycentric formula p(z) = (zⁿ − 1)/n · Σ ωⁱ·vᵢ/(z − ωⁱ).
    /// </summary>
    public static BabyBearExt4[] EvaluateOutside(RowMajorMatrix valuesOnH, BabyBearExt4 z) =>
        EvaluateOutside(valuesOnH, BarycentricWeights(z, System.Numerics.BitOperations.Log2((uint)valuesOnH.Height)));

    /// <param name="weights">
    /// One weight per row, for z: <see cref="BarycentricWeights"/> over values on H, or <see cref="LdeWeights"/> over a
    /// bit-reversed LDE, of which the first rows are read. Shared by every matrix of one height.
    /// </param>
    public static BabyBearExt4[] EvaluateOutside(RowMajorMatrix valuesOnH, BabyBearExt4[] weights)
    {
        if (weights.Length > valuesOnH.Height) throw new ArgumentException($"{weights.Length} weights for {valuesOnH.Height} rows", nameof(weights));
        var sum = new WeightedColumnSums(valuesOnH, weights);
        Packing.Run(Packing.Best, sum);
        return sum.Sums;
    }

    /// <summary>(zⁿ − 1)/n · ωⁱ/(z − ωⁱ) for every point ωⁱ of H: the per-point part of <see cref="EvaluateOutside(RowMajorMatrix, BabyBearExt4)"/>.</summary>
    public static BabyBearExt4[] BarycentricWeights(BabyBearExt4 z, int logN) => Weights(z, logN, bitReversed: false);

    /// <summary>
    /// Weights that evaluate at z, through <see cref="EvaluateOutside(RowMajorMatrix, BabyBearExt4[])"/>, a polynomial of degree
    /// below n = 2^logN from the first n rows of its bit-reversed LDE on the coset g·H' (any blowup): those rows are its
    /// values on g·H in bit-reversed order, and p(z) = q(z/g) for q(X) = p(g·X), whose values on H they are.
    /// </summary>
    public static BabyBearExt4[] LdeWeights(BabyBearExt4 z, int logN) => Weights(z * Shift.Inverse(), logN, bitReversed: true);

    /// <summary>
    /// The barycentric weights at the points of H, in natural or bit-reversed order, range by range on every core:
    /// x/(z − x) = −x·(1/(x − z)), whose inverses come through the norm (<see cref="BabyBearExt4.InverseDifferences(ReadOnlySpan{BabyBear}, BabyBearExt4, Span{BabyBearExt4}, PackingKind)"/>).
    /// </summary>
    private static BabyBearExt4[] Weights(BabyBearExt4 z, int logN, bool bitReversed)
    {
        int n = 1 << logN;
        BabyBear[] points;
        if (bitReversed) points = BitReversedPoints(logN, BabyBear.One);
        else FieldMath.Powers(BabyBear.TwoAdicGenerator(logN), points = new BabyBear[n]);
        var weights = new BabyBearExt4[n];
        BabyBearExt4 factor = -(Vanishing(z, logN) * BabyBear.FromCanonical((uint)n).Inverse());
        ParallelRanges.For(n, 8, (from, to) =>
        {
            Span<BabyBearExt4> range = weights.AsSpan(from, to - from);
            BabyBearExt4.InverseDifferences(points.AsSpan(from, to - from), z, range, Packing.Best);
            for (int i = 0; i < range.Length; i++) range[i] = factor * (range[i] * points[from + i]);
        });
        return weights;
    }

    /// <summary>
    /// Σᵢ wᵢ·vᵢ,c for every column c, with the rows split over the cores and TP.Width columns per packed
    /// operation: an extension weight times base values is four packed products, one per coefficient.
    /// </summary>
    private sealed class WeightedColumnSums(RowMajorMatrix values, BabyBearExt4[] weights) : IPackedOperation
    {
        public BabyBearExt4[] Sums = [];

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int n = weights.Length, width = values.Width, packed = width / TP.Width * TP.Width;
            // Columns past the last whole vector: one vector overlapping the packed ones (its lanes for them are
            // dropped), or, in a matrix narrower than a vector, one by one.
            bool overlap = packed < width && width >= TP.Width;
            // At least one part per core, and parts of at most about 2^22 products, so that a cancelled proof stops soon.
            long work = (long)n * width;
            int parts = work >= 1 << 14 ? (int)Math.Min(n, Math.Max(Environment.ProcessorCount, work >> 22)) : 1;
            var partial = new BabyBearExt4[parts][];
            Parallel.For(0, parts, Kernels.Options, part =>
            {
                var acc = new TP[4 * (packed / TP.Width + (overlap ? 1 : 0))];
                var tail = new BabyBearExt4[overlap ? 0 : width - packed];
                int last = 4 * (packed / TP.Width);
                for (int i = (int)((long)n * part / parts); i < (int)((long)n * (part + 1) / parts); i++)
                {
                    BabyBearExt4 w = weights[i];
                    TP w0 = TP.Broadcast(w.C0), w1 = TP.Broadcast(w.C1), w2 = TP.Broadcast(w.C2), w3 = TP.Broadcast(w.C3);
                    BabyBear[] row = values.Values;
                    int offset = i * width;
                    for (int c = 0, chunk = 0; c < packed; c += TP.Width, chunk += 4)
                    {
                        TP v = TP.Load(ref row[offset + c]);
                        acc[chunk] += w0 * v;
                        acc[chunk + 1] += w1 * v;
                        acc[chunk + 2] += w2 * v;
                        acc[chunk + 3] += w3 * v;
                    }
                    if (overlap)
                    {
                        TP v = TP.Load(ref row[offset + width - TP.Width]);
                        acc[last] += w0 * v;
                        acc[last + 1] += w1 * v;
                        acc[last + 2] += w2 * v;
                        acc[last + 3] += w3 * v;
                    }
                    else
                        for (int c = packed; c < width; c++) tail[c - packed] += w * row[offset + c];
                }
                var local = new BabyBearExt4[width];
                var lanes = new BabyBearExt4[TP.Width];
                void Lanes(int chunk)
                {
                    Span<BabyBear> c0 = stackalloc BabyBear[TP.Width], c1 = stackalloc BabyBear[TP.Width], c2 = stackalloc BabyBear[TP.Width], c3 = stackalloc BabyBear[TP.Width];
                    TP.Store(ref c0[0], acc[chunk]);
                    TP.Store(ref c1[0], acc[chunk + 1]);
                    TP.Store(ref c2[0], acc[chunk + 2]);
                    TP.Store(ref c3[0], acc[chunk + 3]);
                    for (int k = 0; k < TP.Width; k++) lanes[k] = new BabyBearExt4(c0[k], c1[k], c2[k], c3[k]);
                }
                for (int c = 0, chunk = 0; c < packed; c += TP.Width, chunk += 4)
                {
                    Lanes(chunk);
                    lanes.CopyTo(local, c);
                }
                if (overlap)
                {
                    Lanes(last);
                    lanes.AsSpan(TP.Width - (width - packed)).CopyTo(local.AsSpan(packed));
                }
                else tail.CopyTo(local, packed);
                partial[part] = local;
            });
            var sums = new BabyBearExt4[width];
            foreach (var local in partial)
                for (int c = 0; c < width; c++) sums[c] += local[c];
            Sums = sums;
        }
    }
}
