using ZkVm.Field;

namespace ZkVm.Stark.Pcs;

/// <summary>Bit-reversed coset LDEs of traces and quotient chunks, as committed and opened.</summary>
public static class LowDegreeExtension
{
    /// <summary>From values on H (natural order) to the bit-reversed evaluation on g·H(n·2^logBlowup).</summary>
    public static RowMajorMatrix FromValues(RowMajorMatrix valuesOnH, int logBlowup) =>
        Ntt.CosetLdeBitReversed(valuesOnH, logBlowup, Domain.Shift);

    /// <summary><see cref="FromValues"/> for values that are garbage afterwards: they are transformed in place, not copied.</summary>
    public static RowMajorMatrix FromValuesConsuming(RowMajorMatrix valuesOnH, int logBlowup) =>
        Ntt.CosetLdeBitReversed(valuesOnH, logBlowup, Domain.Shift, overwriteInput: true);

    /// <summary>From coefficients (natural order, height n) to the bit-reversed evaluation on g·H(n·2^logBlowup).</summary>
    public static RowMajorMatrix FromCoefficients(RowMajorMatrix coefficients, int logBlowup)
    {
        int width = coefficients.Width;
        var padded = new RowMajorMatrix(width, coefficients.Height << logBlowup);
        BabyBear power = BabyBear.One;
        for (int i = 0; i < coefficients.Height; i++)
        {
            for (int c = 0; c < width; c++) padded[i, c] = coefficients[i, c] * power;
            power *= Domain.Shift;
        }
        Ntt.Forward(padded);
        Ntt.BitReverseRows(padded);
        return padded;
    }

    /// <summary>Coefficients of the polynomials whose bit-reversed evaluations on g·H are given.</summary>
    /// <remarks>
    /// Rows 2r and 2r + 1 of the bit-reversed coset hold p(x) and p(−x), so one butterfly by hand splits p into
    /// E(X²) + X·O(X²): E(x²) = (p(x) + p(−x))/2 and O(x²) = (p(x) − p(−x))/(2x), both given in bit-reversed order on
    /// g²·H of half the size. Their coefficients come from one inverse transform of half the height and twice the
    /// width (the quotient's 4 columns become 8, which the packed kernels cover), and interleave into p's.
    /// </remarks>
    public static RowMajorMatrix CoefficientsFromBitReversed(RowMajorMatrix bitReversedOnCoset)
    {
        int width = bitReversedOnCoset.Width, height = bitReversedOnCoset.Height;
        if (height < 2) return CoefficientsFromBitReversed(bitReversedOnCoset.Clone(), Domain.Shift);
        int half = height / 2, logHalf = System.Numerics.BitOperations.Log2((uint)half);
        // 1/(2x) for x = g·ω^i, i = bitrev(r) over half the rows: the points of the even rows.
        var inverseX = new BabyBear[half];
        FieldMath.Powers(BabyBear.TwoAdicGenerator(logHalf + 1).Inverse(), inverseX);
        BabyBear factor = (Domain.Shift + Domain.Shift).Inverse();
        var split = new RowMajorMatrix(2 * width, half);
        for (int r = 0; r < half; r++)
        {
            BabyBear scale = factor * inverseX[BitReversal.Reverse(r, logHalf)];
            Span<BabyBear> plus = bitReversedOnCoset.Row(2 * r), minus = bitReversedOnCoset.Row(2 * r + 1), row = split.Row(r);
            for (int c = 0; c < width; c++)
            {
                row[c] = (plus[c] + minus[c]).Halve();
                row[width + c] = (plus[c] - minus[c]) * scale;
            }
        }
        RowMajorMatrix halves = CoefficientsFromBitReversed(split, Domain.Shift * Domain.Shift);
        var coefficients = new RowMajorMatrix(width, height);
        for (int k = 0; k < half; k++)
        {
            halves.Row(k).Slice(0, width).CopyTo(coefficients.Row(2 * k));
            halves.Row(k).Slice(width, width).CopyTo(coefficients.Row(2 * k + 1));
        }
        return coefficients;
    }

    /// <summary>The coefficients of polynomials given bit-reversed on shift·H, transforming <paramref name="values"/> in place.</summary>
    private static RowMajorMatrix CoefficientsFromBitReversed(RowMajorMatrix values, BabyBear shift)
    {
        Ntt.BitReverseRows(values);
        Ntt.Inverse(values);
        BabyBear inverseShift = shift.Inverse(), power = BabyBear.One;
        for (int i = 0; i < values.Height; i++)
        {
            for (int c = 0; c < values.Width; c++) values[i, c] *= power;
            power *= inverseShift;
        }
        return values;
    }
}
