namespace ZkVm.Field;

/// <summary>
/// Radix-2 number-theoretic transforms over the columns of a row-major matrix (every column is
/// transformed; a butterfly processes whole rows, vectorised across columns), and the coset
/// low-degree extension that the prover runs on every trace. Large transforms use every core.
/// </summary>
public static class Ntt
{
    /// <summary>In place: coefficients (natural order) → evaluations on the subgroup H of size height, natural order.</summary>
    public static void Forward(RowMajorMatrix matrix, PackingKind? packing = null) => Packing.Run(packing ?? Packing.ForRows(matrix.Width), new ForwardOp(matrix));

    /// <summary>In place: evaluations on H (natural order) → coefficients (natural order).</summary>
    public static void Inverse(RowMajorMatrix matrix, PackingKind? packing = null) => Packing.Run(packing ?? Packing.ForRows(matrix.Width), new InverseOp(matrix));

    /// <summary>In place: coefficients (natural order) → evaluations on H in bit-reversed order (one DIF transform, no permutation pass).</summary>
    public static void ForwardToBitReversed(RowMajorMatrix matrix, PackingKind? packing = null) =>
        Packing.Run(packing ?? Packing.ForRows(matrix.Width), new ForwardToBitReversedOp(matrix));

    /// <summary>
    /// In place: evaluations on H in bit-reversed order → the coefficients (natural order) times n, the height (one DIT
    /// transform with inverted twiddles: no permutation pass and no scaling pass; the caller folds 1/n into its own next pass).
    /// </summary>
    public static void ScaledInverseFromBitReversed(RowMajorMatrix matrix, PackingKind? packing = null) =>
        Packing.Run(packing ?? Packing.ForRows(matrix.Width), new ScaledInverseFromBitReversedOp(matrix));

    /// <summary>
    /// Evaluations of each column's polynomial (given by its values on H, |H| = height) on the coset
    /// shift·H' of the subgroup H' of size height·2^logBlowup, natural order: row i is the value at
    /// shift·ω^i. The input is not modified.
    /// </summary>
    public static RowMajorMatrix CosetLde(RowMajorMatrix matrix, int logBlowup, BabyBear shift, PackingKind? packing = null)
    {
        var op = new LdeOp(matrix, logBlowup, shift);
        Packing.Run(packing ?? Packing.ForRows(matrix.Width), op);
        return op.Result!;
    }

    /// <summary>
    /// The same extension as <see cref="CosetLde"/> with its rows in bit-reversed order (row r is the
    /// value at shift·ω^bitrev(r)), as commitments and FRI want it. Cheaper than extending and then
    /// permuting: only the n coefficient rows are permuted, and a DIF transform of the zero-padded
    /// coefficients yields the bit-reversed order directly.
    /// </summary>
    /// <param name="overwriteInput">Transform the input's values in place (they are left as its coefficients) instead of a copy: for an input that is garbage afterwards.</param>
    public static RowMajorMatrix CosetLdeBitReversed(RowMajorMatrix matrix, int logBlowup, BabyBear shift, PackingKind? packing = null, bool overwriteInput = false)
    {
        var op = new BitReversedLdeOp(matrix, logBlowup, shift, overwriteInput);
        Packing.Run(packing ?? Packing.ForRows(matrix.Width), op);
        return op.Result!;
    }

    /// <summary>Permutes rows to bit-reversed index order (an involution).</summary>
    public static void BitReverseRows(RowMajorMatrix matrix)
    {
        int logN = Log2Height(matrix);
        NttKernel<BabyBear>.BitReverseRows(matrix.Values, matrix.Width, logN);
    }

    internal static int Log2Height(RowMajorMatrix matrix)
    {
        int h = matrix.Height;
        if (h == 0 || (h & (h - 1)) != 0)
            throw new ArgumentException($"NTT height must be a power of two, got {h}", nameof(matrix));
        int logN = System.Numerics.BitOperations.Log2((uint)h);
        if (logN > BabyBear.TwoAdicity)
            throw new ArgumentException($"NTT height 2^{logN} exceeds BabyBear's two-adicity {BabyBear.TwoAdicity}", nameof(matrix));
        return logN;
    }

    private readonly struct ForwardOp(RowMajorMatrix m) : IPackedOperation
    {
        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int logN = Log2Height(m);
            NttKernel<TP>.BitReverseRows(m.Values, m.Width, logN);
            NttKernel<TP>.Dit(m.Values, m.Width, logN, 0, Twiddles.Get(logN, inverted: false));
        }
    }

    private readonly struct ForwardToBitReversedOp(RowMajorMatrix m) : IPackedOperation
    {
        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int logN = Log2Height(m);
            NttKernel<TP>.Dif(m.Values, m.Width, logN, Twiddles.Get(logN, inverted: false));
        }
    }

    private readonly struct ScaledInverseFromBitReversedOp(RowMajorMatrix m) : IPackedOperation
    {
        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int logN = Log2Height(m);
            NttKernel<TP>.Dit(m.Values, m.Width, logN, 0, Twiddles.Get(logN, inverted: true));
        }
    }

    private readonly struct InverseOp(RowMajorMatrix m) : IPackedOperation
    {
        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int logN = Log2Height(m);
            NttKernel<TP>.Dif(m.Values, m.Width, logN, Twiddles.Get(logN, inverted: true));
            NttKernel<TP>.BitReverseRows(m.Values, m.Width, logN);
            BabyBear nInv = BabyBear.FromCanonical((uint)(1 << logN) % BabyBear.P).Inverse();
            NttKernel<TP>.ScaleAll(m.Values, nInv);
        }
    }

    /// <summary>
    /// Checks an LDE's size and turns a copy of the evaluations (natural order) into coefficients, unscaled
    /// by 1/n, in bit-reversed order (a DIF transform; no permutation pass).
    /// </summary>
    private static BabyBear[] BitReversedCoefficients<TP>(RowMajorMatrix m, int logBlowup, out int logN, bool overwriteInput = false) where TP : unmanaged, IPackedField<TP>
    {
        logN = Log2Height(m);
        ArgumentOutOfRangeException.ThrowIfNegative(logBlowup);
        if (logN + logBlowup > BabyBear.TwoAdicity)
            throw new ArgumentException($"LDE size 2^{logN + logBlowup} exceeds BabyBear's two-adicity");
        var coefficients = overwriteInput ? m.Values : (BabyBear[])m.Values.Clone();
        NttKernel<TP>.Dif(coefficients, m.Width, logN, Twiddles.Get(logN, inverted: true));
        return coefficients;
    }

    private sealed class LdeOp(RowMajorMatrix m, int logBlowup, BabyBear shift) : IPackedOperation
    {
        public RowMajorMatrix? Result;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            BabyBear[] coefficients = BitReversedCoefficients<TP>(m, logBlowup, out int logN);
            int logLde = logN + logBlowup;
            // Coefficient i becomes c_i·shift^i/n (moving the evaluation domain to the coset), and is
            // spread over a block of 2^logBlowup rows: in the bit-reversed layout of the longer transform
            // the zero-padding sits inside each block, and the first logBlowup DIT layers of a block
            // holding one value and zeros just copy that value.
            // Every element is written by ScaleSpread, so the GC need not zero 2^logBlowup × the trace first.
            var output = GC.AllocateUninitializedArray<BabyBear>(checked(m.Values.Length << logBlowup));
            NttKernel<TP>.ScaleSpread(coefficients, output, m.Width, logN, logBlowup, shift);
            NttKernel<TP>.Dit(output, m.Width, logLde, logBlowup, Twiddles.Get(logLde, inverted: false));
            Result = new RowMajorMatrix(output, m.Width);
        }
    }

    private sealed class BitReversedLdeOp(RowMajorMatrix m, int logBlowup, BabyBear shift, bool overwriteInput) : IPackedOperation
    {
        public RowMajorMatrix? Result;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            BabyBear[] coefficients = BitReversedCoefficients<TP>(m, logBlowup, out int logN, overwriteInput);
            int logLde = logN + logBlowup;
            NttKernel<TP>.BitReverseRows(coefficients, m.Width, logN);
            // Coefficient i times shift^i/n in the first n rows, zeros above: the coset polynomial, padded.
            var output = new BabyBear[checked(m.Values.Length << logBlowup)];
            NttKernel<TP>.ScaleRows(coefficients, output, m.Width, logN, shift);
            NttKernel<TP>.Dif(output, m.Width, logLde, Twiddles.Get(logLde, inverted: false));
            Result = new RowMajorMatrix(output, m.Width);
        }
    }
}
