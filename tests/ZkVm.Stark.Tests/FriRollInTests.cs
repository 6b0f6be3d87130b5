using ZkVm.Field;
using ZkVm.Stark.Fri;
using static ZkVm.Stark.Tests.FriTestData;

namespace ZkVm.Stark.Tests;

/// <summary>
/// Regression for GHSA-f69f-5fx9-w9r9 (Plonky3's FRI verifier added lower-height inputs to the folded
/// value with no challenge factor). Take a high-degree F on the domain of height N/2 and two inputs:
/// "f" of height N whose even part is F, f(x) = low(x) + F(x²), and "g" of height N/2 equal to
/// −F + low'. Folding f with any β gives fold(low) + F, so without a challenge factor the roll-in
/// sum fold(f) + g = fold(low) + low' is low-degree and a verifier would accept two high-degree inputs.
/// With each input multiplied by its own power of the challenge (β_k² at layer k), F survives with
/// factor (1 − β²) — or (β_0² − β_1²) when f itself was rolled in at the layer before — and is caught.
/// The test shows the cancellation is real (the unweighted sum is low-degree) and that our verifier
/// rejects the pair anyway.
/// </summary>
public class FriRollInTests
{
    private const int LogBlowup = 1;

    /// <summary>The bit-reversed codeword of low(x) + F(x²) on Shift·H_{2N}, given F's codeword on Shift²·H_N.</summary>
    private static BabyBearExt4[] PlusEvenPart(BabyBearExt4[] low, BabyBearExt4[] bigF) =>
        [.. low.Select((v, i) => v + bigF[i >> 1])];

    /// <param name="fIsTheTallest">f is codeword 0 (else codeword 0 is honest and f, g are inputs 1 and 2).</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Two_high_degree_inputs_whose_unweighted_roll_in_cancels_are_rejected(bool fIsTheTallest)
    {
        var r = new Random(fIsTheTallest ? 1000 : 1001);
        const int logF = 9;
        var bigF = RandomVector(r, 1 << (logF - 1)); // high degree on the domain of g
        var f = PlusEvenPart(LowDegree(r, logF, LogBlowup), bigF);
        var g = LowDegree(r, logF - 1, LogBlowup).Select((v, i) => v - bigF[i]).ToArray();
        BabyBear fShift = fIsTheTallest ? Shift : Shift.Square();
        int bound = 1 << (logF - LogBlowup);
        Assert.True(Degree(f, fShift) >= bound);
        Assert.True(Degree(g, fShift.Square()) >= bound / 2);

        // What a verifier without challenge factors would check: fold(f) + g is low-degree, for any β.
        BabyBearExt4 anyBeta = Ext(r);
        var unweighted = FriFolding.FoldLayer(f, fShift, anyBeta).Select((v, i) => v + g[i]).ToArray();
        Assert.True(Degree(unweighted, fShift.Square()) < bound / 2);
        // With the β² factor the cancellation is gone.
        var weighted = FriFolding.FoldLayer(f, fShift, anyBeta).Select((v, i) => v + anyBeta.Square() * g[i]).ToArray();
        Assert.True(Degree(weighted, fShift.Square()) >= bound / 2);

        BabyBearExt4[][] codewords = fIsTheTallest ? [f, g] : [LowDegree(r, logF + 1, LogBlowup), f, g];
        var parameters = new FriParameters(LogBlowup, 0, 20, 0);
        Assert.Throws<InvalidOperationException>(() => Prove(parameters, codewords));
        var proof = Prove(parameters, codewords, checkFinalDegree: false);
        Rejected(() => Verify(parameters, codewords, proof), FriErrors.FinalPolynomial);
    }
}
