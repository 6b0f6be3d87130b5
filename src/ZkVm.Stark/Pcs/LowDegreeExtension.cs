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
    public static RowMajorMatrix CoefficientsFromBitReversed(RowMajorMatrix bitReversedOnCoset)
    {
        var m = bitReversedOnCoset.Clone();
        Ntt.BitReverseRows(m);
        Ntt.Inverse(m);
        BabyBear inverseShift = Domain.Shift.Inverse(), power = BabyBear.One;
        for (int i = 0; i < m.Height; i++)
        {
            for (int c = 0; c < m.Width; c++) m[i, c] *= power;
            power *= inverseShift;
        }
        return m;
    }
}
