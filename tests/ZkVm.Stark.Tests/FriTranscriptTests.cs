using ZkVm.Field;
using ZkVm.Stark.Fri;
using static ZkVm.Stark.Tests.FriTestData;

namespace ZkVm.Stark.Tests;

/// <summary>
/// Frozen-heart checks: every layer commitment and every final-polynomial coefficient is observed before
/// the challenges that depend on it. No grinding here, so a changed transcript still passes the proof of
/// work and the challenges themselves can be compared.
/// </summary>
public class FriTranscriptTests
{
    private static readonly FriParameters Parameters = new(LogBlowup: 1, LogFinalPolyLength: 2, NumQueries: 12, QueryPowBits: 0);
    private static readonly FriProof Valid = Prove(Parameters, [LowDegree(new Random(900), 9, 1)]);
    private const int LogMaxHeight = 9;

    private static FriChallenges Challenges(FriProof proof) =>
        FriVerifier.DeriveChallenges(Parameters, 1, LogMaxHeight, proof, NewTranscript());

    [Fact]
    public void The_verifier_derives_the_provers_challenges()
    {
        var challenges = Challenges(Valid);
        Assert.Equal(2, challenges.Betas.Length); // 2^9 → 2^6 → 2^3, two rounds of arity 8
        Assert.Equal(Parameters.NumQueries, challenges.QueryIndices.Length);
        Assert.Equal(challenges, Challenges(DeepCopy(Valid)), ChallengesComparer.Instance);
    }

    [Fact]
    public void Changing_a_layer_commitment_changes_that_layers_beta_every_later_beta_and_the_query_indices()
    {
        var baseline = Challenges(Valid);
        for (int k = 0; k < Valid.Commitments.Length; k++)
        {
            var proof = DeepCopy(Valid);
            proof.Commitments[k] = Tweak(proof.Commitments[k]);
            var changed = Challenges(proof);
            for (int j = 0; j < k; j++) Assert.Equal(baseline.Betas[j], changed.Betas[j]);
            for (int j = k; j < baseline.Betas.Length; j++) Assert.NotEqual(baseline.Betas[j], changed.Betas[j]);
            Assert.NotEqual(baseline.QueryIndices, changed.QueryIndices);
        }
    }

    [Fact]
    public void Changing_a_final_polynomial_coefficient_changes_the_query_indices()
    {
        var baseline = Challenges(Valid);
        for (int i = 0; i < Valid.FinalPolynomial.Length; i++)
            for (int c = 0; c < 4; c++)
            {
                var proof = DeepCopy(Valid);
                BabyBear[] coordinates = [proof.FinalPolynomial[i].C0, proof.FinalPolynomial[i].C1, proof.FinalPolynomial[i].C2, proof.FinalPolynomial[i].C3];
                coordinates[c] += BabyBear.One;
                proof.FinalPolynomial[i] = new BabyBearExt4(coordinates[0], coordinates[1], coordinates[2], coordinates[3]);
                var changed = Challenges(proof);
                Assert.Equal(baseline.Betas, changed.Betas);
                Assert.NotEqual(baseline.QueryIndices, changed.QueryIndices);
            }
    }

    [Fact]
    public void Changing_the_proof_of_work_witness_changes_the_query_indices()
    {
        var changed = Challenges(Valid with { PowWitness = Valid.PowWitness + BabyBear.One });
        Assert.NotEqual(Challenges(Valid).QueryIndices, changed.QueryIndices);
    }

    [Fact]
    public void The_transcript_state_before_FRI_binds_every_challenge()
    {
        var other = new Crypto.Transcript("zkvm-fri-test v1");
        other.ObserveLabel("different inputs committed here");
        var changed = FriVerifier.DeriveChallenges(Parameters, 1, LogMaxHeight, Valid, other);
        var baseline = Challenges(Valid);
        for (int k = 0; k < baseline.Betas.Length; k++) Assert.NotEqual(baseline.Betas[k], changed.Betas[k]);
        Assert.NotEqual(baseline.QueryIndices, changed.QueryIndices);
    }

    private sealed class ChallengesComparer : IEqualityComparer<FriChallenges>
    {
        public static readonly ChallengesComparer Instance = new();
        public bool Equals(FriChallenges? a, FriChallenges? b) =>
            a is not null && b is not null && a.Betas.SequenceEqual(b.Betas) && a.QueryIndices.SequenceEqual(b.QueryIndices);
        public int GetHashCode(FriChallenges c) => c.Betas.Length;
    }
}
