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
    public static BabyBear[] BitReversedPoints(int logSize)
    {
        int size = 1 << logSize;
        var natural = new BabyBear[size];
        FieldMath.Powers(BabyBear.TwoAdicGenerator(logSize), natural);
        var points = new BabyBear[size];
        for (int r = 0; r < size; r++) points[r] = Shift * natural[BitReversal.Reverse(r, logSize)];
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
    public static BabyBearExt4[] EvaluateOutside(RowMajorMatrix valuesOnH, BabyBearExt4 z)
    {
        int n = valuesOnH.Height, logN = System.Numerics.BitOperations.Log2((uint)n), width = valuesOnH.Width;
        var roots = new BabyBear[n];
        FieldMath.Powers(BabyBear.TwoAdicGenerator(logN), roots);
        var differences = new BabyBearExt4[n];
        for (int i = 0; i < n; i++) differences[i] = z - roots[i];
        var weights = new BabyBearExt4[n];
        FieldMath.BatchInverse<BabyBearExt4>(differences, weights);
        // Rows split over the cores, each part summing into its own vector.
        int parts = n * width >= 1 << 14 ? Environment.ProcessorCount : 1;
        var partial = new BabyBearExt4[parts][];
        Parallel.For(0, parts, part =>
        {
            var local = new BabyBearExt4[width];
            for (int i = (int)((long)n * part / parts); i < (int)((long)n * (part + 1) / parts); i++)
            {
                BabyBearExt4 w = weights[i] * roots[i];
                ReadOnlySpan<BabyBear> row = valuesOnH.Row(i);
                for (int c = 0; c < width; c++) local[c] += w * row[c];
            }
            partial[part] = local;
        });
        var sums = new BabyBearExt4[width];
        foreach (var local in partial)
            for (int c = 0; c < width; c++) sums[c] += local[c];
        BabyBearExt4 factor = Vanishing(z, logN) * BabyBear.FromCanonical((uint)n).Inverse();
        for (int c = 0; c < width; c++) sums[c] *= factor;
        return sums;
    }
}
