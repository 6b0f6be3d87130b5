using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

/// <summary>
/// Shards under shared LogUp challenges (docs/PROTOCOL.md §10): one table sends a permutation's tuples in shard 0 and
/// another receives them in shard 1, so neither shard balances alone and the run balances only as a whole. Every
/// way of recombining shard proofs changes the shared transcript, hence the challenges, and is rejected.
/// </summary>
public class ShardedProofTests
{
    const int Height = 64;

    static IReadOnlyList<TableTrace>[] Run(int seed)
    {
        var (left, right) = PermutationAir.Traces(Height, seed);
        return [[left], [right]];
    }

    static (IReadOnlyList<TableTrace>[] Shards, StarkProof[] Proofs) Proven(int seed)
    {
        var shards = Run(seed);
        return (shards, StarkProver.ProveShards(shards.Length, k => shards[k], StarkSoundnessTests.Light, []));
    }

    static readonly Lazy<(IReadOnlyList<TableTrace>[] Shards, StarkProof[] Proofs)> RunA = new(() => Proven(1));
    static readonly Lazy<(IReadOnlyList<TableTrace>[] Shards, StarkProof[] Proofs)> RunB = new(() => Proven(2));

    static StarkStatement[] Statements(params IReadOnlyList<TableTrace>[] shards) => [.. shards.Select(s => StarkStatement.For(s))];

    static void Verify(StarkStatement[] statements, StarkProof[] proofs) => StarkVerifier.VerifyShards(statements, proofs, [], minimumBits: 0);

    static string Rejected(StarkStatement[] statements, StarkProof[] proofs) =>
        Assert.Throws<ZkVmException>(() => Verify(statements, proofs)).Code;

    [Fact]
    public void A_run_balanced_across_shards_verifies()
    {
        var (shards, proofs) = RunA.Value;
        Verify(Statements(shards), proofs);
    }

    [Fact]
    public void A_shard_alone_does_not_balance()
    {
        var (shards, _) = RunA.Value;
        var alone = StarkProver.ProveShards(1, _ => shards[0], StarkSoundnessTests.Light, []);
        Assert.Equal(StarkErrors.BusUnbalanced, Rejected(Statements(shards[0]), alone));
    }

    [Fact]
    public void A_dropped_shard_is_rejected()
    {
        var (shards, proofs) = RunA.Value;
        Assert.Equal(StarkErrors.ConstraintsViolated, Rejected(Statements(shards[0]), [proofs[0]]));
    }

    [Fact]
    public void A_duplicated_shard_is_rejected()
    {
        var (shards, proofs) = RunA.Value;
        Assert.Equal(StarkErrors.ConstraintsViolated, Rejected(Statements(shards[0], shards[0], shards[1]), [proofs[0], proofs[0], proofs[1]]));
    }

    [Fact]
    public void Reordered_shards_are_rejected()
    {
        var (shards, proofs) = RunA.Value;
        Assert.Equal(StarkErrors.ConstraintsViolated, Rejected(Statements(shards[1], shards[0]), [proofs[1], proofs[0]]));
    }

    [Fact]
    public void A_shard_from_another_run_is_rejected()
    {
        // Run B's right shard is proven under run B's challenges; next to run A's left shard the challenges are A's.
        var (shardsA, proofsA) = RunA.Value;
        var (shardsB, proofsB) = RunB.Value;
        Assert.Equal(StarkErrors.ConstraintsViolated, Rejected(Statements(shardsA[0], shardsB[1]), [proofsA[0], proofsB[1]]));
    }

    [Fact]
    public void Shards_that_do_not_balance_together_are_rejected_by_the_run_balance()
    {
        // Each shard proven honestly under the shared challenges, but the receiving table holds another permutation's values.
        var (left, _) = PermutationAir.Traces(Height, 1);
        var (_, right) = PermutationAir.Traces(Height, 2);
        IReadOnlyList<TableTrace>[] shards = [[left], [right]];
        var proofs = StarkProver.ProveShards(2, k => shards[k], StarkSoundnessTests.Light, []);
        Assert.Equal(StarkErrors.BusUnbalanced, Rejected(Statements(shards), proofs));
    }

    [Fact]
    public void The_run_needs_every_shard_proof_and_its_proof_of_work()
    {
        var (shards, proofs) = RunA.Value;
        Assert.Equal(StarkErrors.Malformed, Rejected(Statements(shards), [proofs[0]]));
        var grinding = StarkSoundnessTests.Light with { LogUpPowBits = 4 };
        var ground = StarkProver.ProveShards(2, k => shards[k], grinding, []);
        Verify(Statements(shards), ground);
        var other = ground[1] with { LogUpPowWitness = ground[1].LogUpPowWitness + ZkVm.Field.BabyBear.One };
        Assert.Equal(StarkErrors.LogUpProofOfWork, Rejected(Statements(shards), [ground[0], other]));
    }

    [Fact]
    public void The_shared_challenges_depend_on_every_item_of_the_run_transcript()
    {
        // Frozen-heart regression for §10.1: each shard's parameters, statement and main root, their order and the
        // public bus terms all reach the LogUp challenges.
        var (shards, proofs) = RunA.Value;
        var items = shards.Select((s, k) => (proofs[k].Parameters, StarkStatement.For(s), proofs[k].LogHeights, proofs[k].MainRoot)).ToArray();
        ZkVm.Field.BabyBearExt4 Alpha((ZkVm.Stark.Security.SecurityParameters, StarkStatement, int[], ZkVm.Crypto.Digest)[] run, IReadOnlyList<PublicBusEntry>? bus = null) =>
            StarkTranscript.BeginShards(run, bus ?? []).SampleExt();
        var baseline = Alpha(items);
        Assert.NotEqual(baseline, Alpha([items[1], items[0]]));
        Assert.NotEqual(baseline, Alpha([items[0]]));
        Assert.NotEqual(baseline, Alpha([items[0], items[1] with { Item4 = proofs[0].MainRoot }]));
        Assert.NotEqual(baseline, Alpha([items[0], items[1] with { Item3 = [proofs[1].LogHeights[0] + 1] }]));
        Assert.NotEqual(baseline, Alpha([items[0], items[1] with { Item1 = proofs[1].Parameters with { NumQueries = 9 } }]));
        Assert.NotEqual(baseline, Alpha(items, [new PublicBusEntry(Buses.Permutation, ZkVm.Field.BabyBear.One, [ZkVm.Field.BabyBear.One, ZkVm.Field.BabyBear.Zero])]));
    }

    [Fact]
    public void A_shard_rebuilt_differently_in_phase_two_stops_the_prover()
    {
        int builds = 0;
        var e = Assert.Throws<InvalidOperationException>(() => StarkProver.ProveShards(1, _ => Run(builds++)[0], StarkSoundnessTests.Light, []));
        Assert.Contains("rebuilt differently", e.Message);
    }
}
