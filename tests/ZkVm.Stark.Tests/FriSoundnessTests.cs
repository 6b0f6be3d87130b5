using ZkVm.Field;
using ZkVm.Stark.Fri;
using static ZkVm.Stark.Tests.FriTestData;

namespace ZkVm.Stark.Tests;

public class FriSoundnessTests
{
    // Two rounds of 8 (2^8 → 2^5 → 2^2), the inputs of 2^6 and 2^3 lifted into the 2^8 codeword, grinding on.
    private static readonly FriParameters Parameters = new(LogBlowup: 1, LogFinalPolyLength: 1, NumQueries: 6, QueryPowBits: 6);
    private static readonly BabyBearExt4[][] Codewords = MakeCodewords();
    private static readonly FriProof Valid = Prove(Parameters, Codewords);

    private static BabyBearExt4[][] MakeCodewords()
    {
        var r = new Random(800);
        return [LowDegree(r, 8, 1), LowDegree(r, 6, 1), LowDegree(r, 3, 1)];
    }

    private static ZkVmException RejectedAfter(Action<FriProof> tamper, string? code = null)
    {
        var proof = DeepCopy(Valid);
        tamper(proof);
        return Rejected(() => Verify(Parameters, Codewords, proof), code);
    }

    [Fact]
    public void The_fixture_proof_verifies()
    {
        Verify(Parameters, Codewords, Valid);
        Assert.Equal([3, 3], Parameters.RoundLogArities(8));
        Assert.Equal(2, Valid.Commitments.Length);
    }

    public static TheoryData<int, int, int, int> TooHighCases()
    {
        // logBlowup, logFinalPolyLength, logN; then each at binary folding and at the default arity
        (int, int, int)[] cases = [(1, 0, 10), (1, 2, 8), (2, 0, 9), (2, 2, 12), (3, 1, 7), (3, 0, 3)];
        var data = new TheoryData<int, int, int, int>();
        foreach (var (lb, lf, n) in cases)
            foreach (int logArity in new[] { 1, FriParameters.DefaultMaxLogArity })
                data.Add(lb, lf, n, logArity);
        return data;
    }

    /// <summary>
    /// A prover that folds honestly but skips its own final-degree check and truncates the final
    /// polynomial: the verifier's fixed final length (no room for the extra coefficient) and its
    /// evaluation check reject it.
    /// </summary>
    [Theory]
    [MemberData(nameof(TooHighCases))]
    public void A_codeword_one_degree_too_high_is_rejected(int logBlowup, int logFinal, int logN, int logArity)
    {
        var parameters = new FriParameters(logBlowup, logFinal, 10, 0, MaxLogArity: logArity);
        BabyBearExt4[][] codewords = [OneDegreeTooHigh(new Random(801 + logN), logN, logBlowup)];
        Assert.Equal(1 << (logN - logBlowup), Degree(codewords[0], Shift));
        var proof = Prove(parameters, codewords, checkFinalDegree: false);
        var e = Rejected(() => Verify(parameters, codewords, proof), FriErrors.FinalPolynomial);
        Assert.Contains("query 0", e.Message);
    }

    [Theory]
    [MemberData(nameof(TooHighCases))]
    public void A_random_vector_is_rejected(int logBlowup, int logFinal, int logN, int logArity)
    {
        var parameters = new FriParameters(logBlowup, logFinal, 10, 0, MaxLogArity: logArity);
        BabyBearExt4[][] codewords = [RandomVector(new Random(802 + logN), 1 << logN)];
        var proof = Prove(parameters, codewords, checkFinalDegree: false);
        Rejected(() => Verify(parameters, codewords, proof), FriErrors.FinalPolynomial);
    }

    /// <summary>
    /// GHSA-f69f-5fx9-w9r9, second half: a verifier that accepted a final polynomial of any length would
    /// accept every codeword. Ours requires exactly 2^LogFinalPolyLength coefficients.
    /// </summary>
    [Fact]
    public void A_final_polynomial_of_full_degree_is_refused()
    {
        var parameters = new FriParameters(1, 1, 10, 0);
        BabyBearExt4[][] codewords = [RandomVector(new Random(803), 1 << 7)];
        var proof = Prove(parameters, codewords, checkFinalDegree: false);
        var cheat = proof with { FinalPolynomial = [.. proof.FinalPolynomial, BabyBearExt4.One, BabyBearExt4.One] };
        Rejected(() => Verify(parameters, codewords, cheat), FriErrors.MalformedProof);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_lower_height_input_of_too_high_degree_is_rejected(bool oneTooHigh)
    {
        var r = new Random(804);
        var parameters = new FriParameters(2, 1, 10, 0);
        var low = oneTooHigh ? OneDegreeTooHigh(r, 6, 2) : RandomVector(r, 1 << 6);
        BabyBearExt4[][] codewords = [LowDegree(r, 10, 2), LowDegree(r, 8, 2), low];
        var proof = Prove(parameters, codewords, checkFinalDegree: false);
        Rejected(() => Verify(parameters, codewords, proof), FriErrors.FinalPolynomial);
    }

    [Fact]
    public void Each_layer_commitment_changed_is_rejected()
    {
        for (int k = 0; k < Valid.Commitments.Length; k++)
            RejectedAfter(p => p.Commitments[k] = Tweak(p.Commitments[k]));
    }

    [Fact]
    public void Each_final_polynomial_coefficient_changed_is_rejected()
    {
        for (int i = 0; i < Valid.FinalPolynomial.Length; i++)
            for (int c = 0; c < 4; c++)
            {
                var delta = new BabyBearExt4(c == 0 ? BabyBear.One : default, c == 1 ? BabyBear.One : default, c == 2 ? BabyBear.One : default, c == 3 ? BabyBear.One : default);
                RejectedAfter(p => p.FinalPolynomial[i] += delta);
            }
    }

    [Fact]
    public void A_changed_proof_of_work_witness_is_rejected()
    {
        var proof = Valid with { PowWitness = Valid.PowWitness + BabyBear.One };
        var e = Rejected(() => Verify(Parameters, Codewords, proof), FriErrors.ProofOfWork);
        Assert.Contains("proof-of-work", e.Message);
    }

    [Fact]
    public void Each_sibling_and_each_path_digest_changed_at_each_layer_of_each_query_is_rejected()
    {
        for (int k = 0; k < Valid.Commitments.Length; k++)
        {
            for (int i = 0; i < Valid.Layers[k].Siblings.Length; i++) // every value of every query's row
            {
                var e = RejectedAfter(p => p.Layers[k].Siblings[i] += BabyBearExt4.One, FriErrors.LayerOpening);
                Assert.Contains($"layer {k}:", e.Message);
            }
            for (int d = 0; d < Valid.Layers[k].Path.Length; d++)
                RejectedAfter(p => p.Layers[k].Path[d] = Tweak(p.Layers[k].Path[d]), FriErrors.LayerOpening);
        }
    }

    /// <summary>
    /// Queries that meet in a layer share the path above the meeting point, so one honest path could vouch for a
    /// second query's forged row. Forge exactly that: two queries whose rows (of eight values in round 0) share a node,
    /// the second given another sibling. The layer's batch opening must refuse the two different rows for one node.
    /// </summary>
    [Fact]
    public void Two_queries_opening_one_pair_row_with_different_siblings_are_rejected()
    {
        var parameters = Parameters with { NumQueries = 64 };
        var proof = Prove(parameters, Codewords);
        var indices = FriVerifier.DeriveChallenges(parameters, Codewords.Length, 8, proof, NewTranscript()).QueryIndices;
        // A later query whose row an earlier one already opened (64 queries into 32 rows: one exists).
        int second = Enumerable.Range(1, indices.Length - 1).First(b => Enumerable.Range(0, b).Any(a => indices[a] >> 3 == indices[b] >> 3));
        var forged = DeepCopy(proof);
        forged.Layers[0].Siblings[7 * second] += BabyBearExt4.One;
        var e = Rejected(() => Verify(parameters, Codewords, forged), FriErrors.LayerOpening);
        Assert.Contains("different rows", e.Message);
        Assert.Contains($"and {second} open node", e.Message);
    }

    private static void Malformed(FriProof proof, string expectedReason)
    {
        var e = Rejected(() => Verify(Parameters, Codewords, proof), FriErrors.MalformedProof);
        Assert.Contains(expectedReason, e.Message);
    }

    private static FriProof WithLayer(int k, FriLayerOpening? layer)
    {
        var p = DeepCopy(Valid);
        p.Layers[k] = layer!;
        return p;
    }

    [Fact]
    public void Missing_or_extra_layers_queries_coefficients_and_path_digests_are_rejected()
    {
        Malformed(Valid with { Commitments = Valid.Commitments[..^1] }, "1 layer commitments, expected 2");
        Malformed(Valid with { Commitments = [.. Valid.Commitments, Valid.Commitments[0]] }, "3 layer commitments, expected 2");
        Malformed(Valid with { FinalPolynomial = Valid.FinalPolynomial[..^1] }, "final polynomial has 1 coefficients, expected 2");
        Malformed(Valid with { FinalPolynomial = [.. Valid.FinalPolynomial, BabyBearExt4.Zero] }, "final polynomial has 3 coefficients, expected 2");
        Malformed(Valid with { Layers = Valid.Layers[..^1] }, "1 layer openings, expected 2");
        Malformed(Valid with { Layers = [.. Valid.Layers, Valid.Layers[0]] }, "3 layer openings, expected 2");
        int[] arities = Parameters.RoundLogArities(8);
        for (int k = 0, logLength = 8; k < Valid.Layers.Length; logLength -= arities[k++])
        {
            var layer = Valid.Layers[k];
            int others = (1 << arities[k]) - 1, count = 6 * others;
            Malformed(WithLayer(k, layer with { Siblings = layer.Siblings[..^1] }), $"layer {k}: {count - 1} siblings, expected {others} per query ({count})");
            Malformed(WithLayer(k, layer with { Siblings = [.. layer.Siblings, layer.Siblings[0]] }), $"layer {k}: {count + 1} siblings, expected {others} per query ({count})");
            int bound = Parameters.NumQueries * (logLength - arities[k]);
            Malformed(WithLayer(k, layer with { Path = new Crypto.Digest[bound + 1] }), $"layer {k}: {bound + 1} path digests, more than");
            // Within the bound, a path one digest short or long fails the batch opening's count.
            ZkVmException e;
            if (layer.Path.Length > 0)
            {
                e = Rejected(() => Verify(Parameters, Codewords, WithLayer(k, layer with { Path = layer.Path[..^1] })), FriErrors.LayerOpening);
                Assert.Contains("fewer than its paths need", e.Message);
            }
            e = Rejected(() => Verify(Parameters, Codewords, WithLayer(k, layer with { Path = [.. layer.Path, default] })), FriErrors.LayerOpening);
            Assert.Contains($"its paths need {layer.Path.Length}", e.Message);
        }
    }

    [Fact]
    public void Null_parts_are_rejected_with_a_reason()
    {
        Malformed(null!, "no proof");
        Malformed(Valid with { Commitments = null! }, "no layer commitments");
        Malformed(Valid with { FinalPolynomial = null! }, "no final polynomial");
        Malformed(Valid with { Layers = null! }, "no layer openings");
        Malformed(WithLayer(1, null), "layer 1: no siblings");
        Malformed(WithLayer(1, Valid.Layers[1] with { Siblings = null! }), "layer 1: no siblings");
        Malformed(WithLayer(1, Valid.Layers[1] with { Path = null! }), "layer 1: no opening path");
    }

    [Fact]
    public void Wrong_input_values_from_the_caller_are_rejected()
    {
        var heights = LogHeights(Codewords);
        var honest = Opener(Codewords);
        for (int j = 0; j < Codewords.Length; j++)
            for (int target = 0; target < Parameters.NumQueries; target++)
            {
                Func<int[], BabyBearExt4[][]> lying = indices =>
                {
                    var values = honest(indices);
                    values[target][j] += BabyBearExt4.One;
                    return values;
                };
                Rejected(() => FriVerifier.Verify(Parameters, Shift, heights, Valid, NewTranscript(), lying));
            }
        Rejected(() => FriVerifier.Verify(Parameters, Shift, heights, Valid, NewTranscript(), _ => null!), FriErrors.InputValues);
        Rejected(() => FriVerifier.Verify(Parameters, Shift, heights, Valid, NewTranscript(), i => honest(i)[..2]), FriErrors.InputValues);
        var e = Rejected(() => FriVerifier.Verify(Parameters, Shift, heights, Valid, NewTranscript(), i => [.. honest(i).Select(v => v[..2])]), FriErrors.InputValues);
        Assert.Contains("query 0:", e.Message);
    }

    [Fact]
    public void Input_heights_other_than_the_provers_are_rejected()
    {
        var r = new Random(805);
        var extra = LowDegree(r, 2, 1);
        var lowerInput1 = LowDegree(r, 5, 1);
        var variants = new (int[] Heights, BabyBearExt4[][] Opened)[]
        {
            ([8, 6], [Codewords[0], Codewords[1]]),                      // input dropped
            ([8, 6, 3, 2], [.. Codewords, extra]),                        // input added
            ([8, 5, 3], [Codewords[0], lowerInput1, Codewords[2]]),       // an input one height lower
            ([8, 6, 4], [Codewords[0], Codewords[1], LowDegree(r, 4, 1)]), // an input one height higher
            ([7, 6, 3], [LowDegree(r, 7, 1), Codewords[1], Codewords[2]]), // tallest input shorter
            ([9, 6, 3], [LowDegree(r, 9, 1), Codewords[1], Codewords[2]]), // tallest input taller
        };
        foreach (var (heights, opened) in variants)
        {
            var openInputs = Opener(opened);
            Rejected(() => FriVerifier.Verify(Parameters, Shift, heights, Valid, NewTranscript(), openInputs));
        }
    }

    [Fact]
    public void Invalid_verifier_configuration_is_a_typed_rejection()
    {
        var heights = LogHeights(Codewords);
        var open = Opener(Codewords);
        string bad = FriErrors.BadConfiguration;
        Rejected(() => FriVerifier.Verify(Parameters with { LogBlowup = 0 }, Shift, heights, Valid, NewTranscript(), open), bad);
        Rejected(() => FriVerifier.Verify(Parameters with { NumQueries = 0 }, Shift, heights, Valid, NewTranscript(), open), bad);
        Rejected(() => FriVerifier.Verify(Parameters with { QueryPowBits = 28 }, Shift, heights, Valid, NewTranscript(), open), bad);
        Rejected(() => FriVerifier.Verify(Parameters, BabyBear.Zero, heights, Valid, NewTranscript(), open), bad);
        Rejected(() => FriVerifier.Verify(Parameters, Shift, [], Valid, NewTranscript(), open), bad);
        Rejected(() => FriVerifier.Verify(Parameters, Shift, [8, 8], Valid, NewTranscript(), open), bad);
        Rejected(() => FriVerifier.Verify(Parameters, Shift, [8, 0], Valid, NewTranscript(), open), bad); // below its blowup
        Rejected(() => FriVerifier.Verify(Parameters, Shift, [1], Valid, NewTranscript(), open), bad); // the tallest below the final domain
        Rejected(() => FriVerifier.Verify(Parameters, Shift, [28], Valid, NewTranscript(), open), bad);
        // Parameters other than the prover's: the proof no longer has the shape they imply.
        Rejected(() => FriVerifier.Verify(Parameters with { LogFinalPolyLength = 2 }, Shift, heights, Valid, NewTranscript(), open), FriErrors.MalformedProof);
        Rejected(() => FriVerifier.Verify(Parameters with { NumQueries = 7 }, Shift, heights, Valid, NewTranscript(), open), FriErrors.MalformedProof);
        Rejected(() => FriVerifier.Verify(Parameters, Shift.Square(), heights, Valid, NewTranscript(), open));
    }

    [Fact]
    public void Random_proofs_of_the_right_shape_are_rejected()
    {
        var r = new Random(806);
        Crypto.Digest RandomDigest() => new([.. Enumerable.Range(0, Crypto.Digest.Length).Select(_ => Element(r))]);
        for (int trial = 0; trial < 20; trial++)
        {
            var proof = new FriProof(
                [.. Valid.Commitments.Select(_ => RandomDigest())],
                RandomVector(r, Valid.FinalPolynomial.Length),
                Element(r),
                [.. Valid.Layers.Select(l => new FriLayerOpening([.. l.Siblings.Select(_ => Ext(r))], [.. l.Path.Select(_ => RandomDigest())]))],
                [.. Valid.CommitPowWitnesses.Select(_ => Element(r))]);
            Rejected(() => Verify(Parameters, Codewords, proof));
        }
    }

    [Fact]
    public void A_proof_made_for_another_transcript_state_is_rejected()
    {
        var other = new Crypto.Transcript("zkvm-fri-test v1");
        other.ObserveLabel("other inputs committed here");
        Rejected(() => FriVerifier.Verify(Parameters, Shift, LogHeights(Codewords), Valid, other, Opener(Codewords)));
    }
}
