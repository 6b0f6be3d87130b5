using System.Numerics;
using ZkVm.Field;

namespace ZkVm.Stark.Fri;

/// <summary>The arithmetic prover and verifier share: folding a pair, and the final polynomial.</summary>
internal static class FriFolding
{
    private static readonly BabyBear Half = BabyBear.FromCanonical(2).Inverse();

    /// <summary>
    /// f(x) = f_e(x²) + x·f_o(x²) given a = f(x), b = f(−x): returns f_e(x²) + β·f_o(x²)
    /// = (a + b)/2 + β·(a − b)/(2x).
    /// </summary>
    public static BabyBearExt4 Fold(BabyBearExt4 a, BabyBearExt4 b, BabyBearExt4 beta, BabyBear xInverse) =>
        (a + b + beta * ((a - b) * xInverse)) * Half;

    /// <summary>
    /// The point of entry <paramref name="pairIndex"/> of the folded codeword's pair, i.e. of entry
    /// 2·pairIndex of a bit-reversed codeword of length 2^logLength on shift·H: shift·ω^bitrev(pairIndex).
    /// </summary>
    public static BabyBear PairPoint(BabyBear shift, int logLength, int pairIndex) =>
        shift * FieldMath.Pow(BabyBear.TwoAdicGenerator(logLength), (ulong)BitReversal.Reverse(pairIndex, logLength - 1));

    /// <summary>Folds a bit-reversed codeword on shift·H_N into one of length N/2 on shift²·H_{N/2}.</summary>
    public static BabyBearExt4[] FoldLayer(BabyBearExt4[] current, BabyBear shift, BabyBearExt4 beta)
    {
        int half = current.Length / 2;
        int logLength = BitOperations.Log2((uint)current.Length);
        // 1/x for the pair point x = shift·ω^bitrev(i) is shift⁻¹·(ω⁻¹)^bitrev(i): powers, no inversion.
        var inversePowers = new BabyBear[half];
        FieldMath.Powers(BabyBear.TwoAdicGenerator(logLength).Inverse(), inversePowers);
        BabyBear shiftInverse = shift.Inverse();
        var next = new BabyBearExt4[half];
        ParallelRanges.For(half, 8, (from, to) =>
        {
            for (int i = from; i < to; i++)
                next[i] = Fold(current[2 * i], current[2 * i + 1], beta, shiftInverse * inversePowers[BitReversal.Reverse(i, logLength - 1)]);
        });
        return next;
    }

    /// <summary>
    /// All coefficients (constant first) of the polynomial of degree &lt; M whose values on shift·H_M are
    /// the bit-reversed codeword: un-bit-reverse, inverse NTT (which yields the coefficients of
    /// p(shift·y)), then divide coefficient i by shift^i.
    /// </summary>
    public static BabyBearExt4[] Interpolate(BabyBearExt4[] codeword, BabyBear shift)
    {
        int m = codeword.Length;
        int logM = BitOperations.Log2((uint)m);
        // The NTT is linear over the base field: transform the four coordinates as four columns.
        var matrix = new RowMajorMatrix(4, m);
        for (int i = 0; i < m; i++)
        {
            BabyBearExt4 v = codeword[BitReversal.Reverse(i, logM)];
            matrix[i, 0] = v.C0;
            matrix[i, 1] = v.C1;
            matrix[i, 2] = v.C2;
            matrix[i, 3] = v.C3;
        }
        Ntt.Inverse(matrix);
        var coefficients = new BabyBearExt4[m];
        BabyBear shiftInverse = shift.Inverse(), scale = BabyBear.One;
        for (int i = 0; i < m; i++)
        {
            coefficients[i] = new BabyBearExt4(matrix[i, 0], matrix[i, 1], matrix[i, 2], matrix[i, 3]) * scale;
            scale *= shiftInverse;
        }
        return coefficients;
    }

    /// <summary>Σ c_i·x^i by Horner's rule.</summary>
    public static BabyBearExt4 Evaluate(BabyBearExt4[] coefficients, BabyBear x)
    {
        BabyBearExt4 acc = BabyBearExt4.Zero;
        for (int i = coefficients.Length - 1; i >= 0; i--) acc = acc * x + coefficients[i];
        return acc;
    }
}
