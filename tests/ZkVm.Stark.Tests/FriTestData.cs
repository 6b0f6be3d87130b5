using System.Numerics;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Fri;

namespace ZkVm.Stark.Tests;

/// <summary>Codewords, transcripts and proofs for the FRI tests.</summary>
internal static class FriTestData
{
    public static readonly BabyBear Shift = BabyBear.Generator;
    private const string DomainSeparator = "zkvm-fri-test v1";

    public static BabyBear Element(Random r) => BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P));
    public static BabyBearExt4 Ext(Random r) => new(Element(r), Element(r), Element(r), Element(r));
    public static BabyBearExt4[] RandomVector(Random r, int length) => [.. Enumerable.Range(0, length).Select(_ => Ext(r))];

    /// <summary>A transcript bound to something before FRI, as a caller's would be.</summary>
    public static Transcript NewTranscript()
    {
        var t = new Transcript(DomainSeparator);
        t.ObserveLabel("fri inputs committed here");
        return t;
    }

    /// <summary>
    /// The bit-reversed codeword on Shift·H_{2^logN} of the polynomial with these coefficients (a power-of-two
    /// count), built the way the STARK builds its LDEs: coefficients → values on the small subgroup (NTT)
    /// → coset LDE → bit-reversal.
    /// </summary>
    public static BabyBearExt4[] CosetLdeCodeword(BabyBearExt4[] coefficients, int logN)
    {
        int logDegree = BitOperations.Log2((uint)coefficients.Length);
        var matrix = ToMatrix(coefficients);
        Ntt.Forward(matrix);
        var lde = Ntt.CosetLde(matrix, logN - logDegree, Shift);
        Ntt.BitReverseRows(lde);
        return FromMatrix(lde);
    }

    /// <summary>
    /// The bit-reversed codeword on shift·H_{2^logN} of any polynomial of degree &lt; 2^logN: coefficient i
    /// scaled by shift^i, zero-padded, forward NTT, bit-reversal.
    /// </summary>
    public static BabyBearExt4[] Evaluate(BabyBearExt4[] coefficients, int logN, BabyBear shift)
    {
        var padded = new BabyBearExt4[1 << logN];
        BabyBear scale = BabyBear.One;
        for (int i = 0; i < coefficients.Length; i++, scale *= shift) padded[i] = coefficients[i] * scale;
        var matrix = ToMatrix(padded);
        Ntt.Forward(matrix);
        Ntt.BitReverseRows(matrix);
        return FromMatrix(matrix);
    }

    /// <summary>A random polynomial's codeword: degree &lt; 2^(logN − logBlowup), i.e. exactly low enough.</summary>
    public static BabyBearExt4[] LowDegree(Random r, int logN, int logBlowup) =>
        CosetLdeCodeword(RandomVector(r, 1 << (logN - logBlowup)), logN);

    /// <summary>A codeword of degree exactly 2^(logN − logBlowup): one more than FRI accepts.</summary>
    public static BabyBearExt4[] OneDegreeTooHigh(Random r, int logN, int logBlowup)
    {
        var coefficients = RandomVector(r, (1 << (logN - logBlowup)) + 1);
        coefficients[^1] = BabyBearExt4.One + coefficients[^1] * coefficients[^1]; // nonzero in practice; checked below
        Assert.False(coefficients[^1].IsZero);
        return Evaluate(coefficients, logN, Shift);
    }

    /// <summary>Degree of the polynomial behind a bit-reversed codeword on shift·H (−1 for zero).</summary>
    public static int Degree(BabyBearExt4[] codeword, BabyBear shift)
    {
        var coefficients = FriFolding.Interpolate(codeword, shift);
        int degree = coefficients.Length - 1;
        while (degree >= 0 && coefficients[degree].IsZero) degree--;
        return degree;
    }

    public static int[] LogHeights(IReadOnlyList<BabyBearExt4[]> codewords) => [.. codewords.Select(c => BitOperations.Log2((uint)c.Length))];

    /// <summary>An honest caller's openInputs: each codeword read at its row for each query index.</summary>
    public static Func<int[], BabyBearExt4[][]> Opener(IReadOnlyList<BabyBearExt4[]> codewords)
    {
        int[] logHeights = LogHeights(codewords);
        return indices => [.. indices.Select(index => codewords.Select((c, j) => c[index >> (logHeights[0] - logHeights[j])]).ToArray())];
    }

    public static FriProof Prove(FriParameters parameters, IReadOnlyList<BabyBearExt4[]> codewords, bool checkFinalDegree = true) =>
        FriProver.Prove(parameters, Shift, codewords, NewTranscript(), checkFinalDegree);

    public static void Verify(FriParameters parameters, IReadOnlyList<BabyBearExt4[]> codewords, FriProof proof) =>
        FriVerifier.Verify(parameters, Shift, LogHeights(codewords), proof, NewTranscript(), Opener(codewords));

    /// <summary>Asserts the verifier rejects with a typed FRI error (optionally a given code) and returns it.</summary>
    public static ZkVmException Rejected(Action verify, string? code = null)
    {
        var e = Assert.Throws<ZkVmException>(verify);
        Assert.StartsWith("ZK31", e.Code);
        if (code is not null) Assert.True(code == e.Code, $"expected {code}, got {e.Message}");
        return e;
    }

    /// <summary>A copy sharing no array with the original, so a test can mutate any part of it.</summary>
    public static FriProof DeepCopy(FriProof p) => new(
        [.. p.Commitments],
        [.. p.FinalPolynomial],
        p.PowWitness,
        [.. p.Layers.Select(l => new FriLayerOpening([.. l.Siblings], [.. l.Path]))],
        [.. p.CommitPowWitnesses]);

    /// <summary>The digest with its first element changed.</summary>
    public static Digest Tweak(Digest d)
    {
        Span<BabyBear> e = stackalloc BabyBear[Digest.Length];
        d.CopyTo(e);
        e[0] += BabyBear.One;
        return new Digest(e);
    }

    private static RowMajorMatrix ToMatrix(BabyBearExt4[] values)
    {
        var m = new RowMajorMatrix(4, values.Length);
        for (int i = 0; i < values.Length; i++)
            for (int c = 0; c < 4; c++) m[i, c] = values[i][c];
        return m;
    }

    private static BabyBearExt4[] FromMatrix(RowMajorMatrix m) =>
        [.. Enumerable.Range(0, m.Height).Select(i => new BabyBearExt4(m[i, 0], m[i, 1], m[i, 2], m[i, 3]))];
}
