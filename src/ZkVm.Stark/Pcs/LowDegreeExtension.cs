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

    /// <summary>
    /// The LDEs of p's two chunks, given p of degree &lt; 2n by its bit-reversed values on g·H(2n): p = p₀ + Xⁿ·p₁ with
    /// p₀, p₁ of degree &lt; n, each bit-reversed on g·H(n·2^logBlowup), p₀'s columns then p₁'s.
    /// </summary>
    /// <remarks>
    /// Rows 2r and 2r + 1 of the bit-reversed coset hold p(x) and p(−x), so one butterfly by hand splits p into
    /// E(X²) + X·O(X²): E(x²) = (p(x) + p(−x))/2 and O(x²) = (p(x) − p(−x))/(2x), both bit-reversed on g²·H(n). One inverse
    /// transform of height n and twice the width, taking them bit-reversed, gives n·E_k·g^(2k) and n·O_k·g^(2k), that is
    /// p_(2k) and p_(2k+1) times n·g^(2k). Coefficient j of p is coefficient i = j mod n of chunk ⌊j/n⌋, which the coset
    /// LDE scales by g^i: so each is written straight to its chunk's row times g^(i − 2k)/n, a constant for each parity
    /// and chunk (1 or g, times g^(−n) in the upper chunk, over n), and one forward transform, giving bit-reversed rows,
    /// extends both chunks.
    /// </remarks>
    public static RowMajorMatrix ChunkLdesFromBitReversed(RowMajorMatrix bitReversedOnCoset, int logBlowup)
    {
        int width = bitReversedOnCoset.Width, height = bitReversedOnCoset.Height;
        if (height < 2 || (height & (height - 1)) != 0) throw new ArgumentException($"height {height} is not a power of two of at least 2", nameof(bitReversedOnCoset));
        int half = height / 2, logHalf = System.Numerics.BitOperations.Log2((uint)half);
        // 1/(2x) for x = g·ω^i, i = bitrev(r) over half the rows: the points of the even rows.
        var inverseX = new BabyBear[half];
        FieldMath.Powers(BabyBear.TwoAdicGenerator(logHalf + 1).Inverse(), inverseX);
        BabyBear factor = (Domain.Shift + Domain.Shift).Inverse();
        var split = new RowMajorMatrix(2 * width, half);
        ParallelRanges.For(half, 2 * width, (from, to) =>
        {
            for (int r = from; r < to; r++)
            {
                BabyBear scale = factor * inverseX[BitReversal.Reverse(r, logHalf)];
                Span<BabyBear> plus = bitReversedOnCoset.Row(2 * r), minus = bitReversedOnCoset.Row(2 * r + 1), row = split.Row(r);
                for (int c = 0; c < width; c++)
                {
                    row[c] = (plus[c] + minus[c]).Halve();
                    row[width + c] = (plus[c] - minus[c]) * scale;
                }
            }
        });
        // The split rows are bit-reversed: a DIT transform takes them as they are and leaves n·(coefficients) in natural order.
        Ntt.ScaledInverseFromBitReversed(split);
        BabyBear g = Domain.Shift, upper = FieldMath.Pow(g, (ulong)half).Inverse(), inverseN = BabyBear.FromCanonical((uint)half).Inverse();
        BabyBear[] scales = [inverseN, inverseN * upper, inverseN * g, inverseN * g * upper]; // by parity, then chunk
        var lde = new RowMajorMatrix(2 * width, half << logBlowup);
        ParallelRanges.For(half, 2 * width, (from, to) =>
        {
            for (int k = from; k < to; k++)
                for (int parity = 0; parity < 2; parity++)
                {
                    int j = 2 * k + parity, chunk = j >= half ? 1 : 0;
                    BabyBear scale = scales[2 * parity + chunk];
                    Span<BabyBear> source = split.Row(k).Slice(parity * width, width), target = lde.Row(j - chunk * half).Slice(chunk * width, width);
                    for (int c = 0; c < width; c++) target[c] = source[c] * scale;
                }
        });
        Ntt.ForwardToBitReversed(lde);
        return lde;
    }
}
