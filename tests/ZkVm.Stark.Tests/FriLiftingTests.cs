using ZkVm.Field;
using ZkVm.Stark.Fri;
using static ZkVm.Stark.Tests.FriTestData;

namespace ZkVm.Stark.Tests;

/// <summary>
/// Lower inputs are lifted into the tallest codeword (entry i of the tallest takes entry i >> d of an input d heights
/// lower), each times its own challenge μ_j. GHSA-f69f-5fx9-w9r9 (Plonky3's FRI verifier added lower-height inputs with
/// no challenge factor) has a lifted form: take a high-degree F on the domain of height N/2, an input f of height N equal
/// to low + lift(F), and an input g of height N/2 equal to low' − F. The unweighted sum f + lift(g) = low + lift(low') is
/// low-degree, so a verifier without μ would accept two high-degree inputs; with μ, (1 − μ)·lift(F) survives and is caught.
/// The test shows the cancellation is real and that our prover and verifier refuse the pair.
/// </summary>
public class FriLiftingTests
{
    private const int LogBlowup = 1;

    /// <param name="fIsTheTallest">f is codeword 0 (else codeword 0 is honest and f, g are inputs 1 and 2).</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Two_high_degree_inputs_whose_unweighted_lifted_sum_cancels_are_rejected(bool fIsTheTallest)
    {
        var r = new Random(fIsTheTallest ? 1000 : 1001);
        const int logF = 9;
        var bigF = RandomVector(r, 1 << (logF - 1)); // high degree on the domain of g
        var f = LowDegree(r, logF, LogBlowup).Select((v, i) => v + bigF[i >> 1]).ToArray();
        var g = LowDegree(r, logF - 1, LogBlowup).Select((v, i) => v - bigF[i]).ToArray();
        int bound = 1 << (logF - LogBlowup);
        Assert.True(Degree(f, Shift) >= bound);
        Assert.True(Degree(g, Shift) >= bound / 2);

        // What a verifier without the μ_j would check: f + lift(g) is low-degree.
        var unweighted = f.Select((v, i) => v + g[i >> 1]).ToArray();
        Assert.True(Degree(unweighted, Shift) < bound);
        // With a challenge factor the cancellation is gone.
        BabyBearExt4 mu = Ext(r);
        var weighted = f.Select((v, i) => v + mu * g[i >> 1]).ToArray();
        Assert.True(Degree(weighted, Shift) >= bound);

        BabyBearExt4[][] codewords = fIsTheTallest ? [f, g] : [LowDegree(r, logF + 1, LogBlowup), f, g];
        var parameters = new FriParameters(LogBlowup, 0, 20, 0);
        Assert.Throws<InvalidOperationException>(() => Prove(parameters, codewords));
        var proof = Prove(parameters, codewords, checkFinalDegree: false);
        Rejected(() => Verify(parameters, codewords, proof), FriErrors.FinalPolynomial);
    }

    [Fact]
    public void A_lifted_low_degree_input_is_low_degree_on_the_tallest_domain()
    {
        // Entry i >> d of an input on Shift·H_(2^(n−d)) is its polynomial at Shift^(1−2^d)·x^(2^d), x entry i's point:
        // a polynomial in x of degree below 2^d times the input's bound, that is the tallest's bound.
        var r = new Random(1002);
        for (int d = 1; d <= 4; d++)
        {
            var low = LowDegree(r, 10 - d, LogBlowup);
            var lifted = Enumerable.Range(0, 1 << 10).Select(i => low[i >> d]).ToArray();
            Assert.True(Degree(lifted, Shift) < 1 << (10 - LogBlowup), $"d = {d}");
        }
    }
}
