using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>Phase 1's result for one shard (docs/PROTOCOL.md §10): its tables' heights and its main trace's Merkle root.</summary>
public sealed record ShardCommitment(int[] LogHeights, Digest MainRoot);

/// <summary>
/// A run in shards once phase 1 is done: every shard's statement and commitment, the run's parameters and its public bus.
/// Together they fix the shared transcript, so whoever holds them and the run's LogUp proof-of-work witness can prove
/// (<see cref="StarkProver.ProveShard"/>) or check (<see cref="StarkVerifier.VerifyShard"/>) any one shard under the run's challenges.
/// </summary>
public sealed class ShardedStatement
{
    /// <param name="parameters">The run's parameters (<see cref="StarkProver.RunParameters"/>); each shard's final polynomial is capped by its tallest table.</param>
    public ShardedStatement(IReadOnlyList<StarkStatement> shards, IReadOnlyList<ShardCommitment> commitments, SecurityParameters parameters, IReadOnlyList<PublicBusEntry> publicBus)
    {
        if (shards.Count == 0 || shards.Count > Bus.MaxShards) throw new ArgumentOutOfRangeException(nameof(shards), $"a run has 1 to {Bus.MaxShards} shards");
        if (commitments.Count != shards.Count) throw new ArgumentException($"{shards.Count} shards need {shards.Count} commitments, not {commitments.Count}", nameof(commitments));
        for (int k = 0; k < shards.Count; k++)
            if (commitments[k].LogHeights.Length != shards[k].Airs.Count || commitments[k].LogHeights.Any(h => h < 1 || h > StarkVerifier.MaxLogHeight))
                throw new ArgumentException($"shard {k}'s commitment gives {commitments[k].LogHeights.Length} table heights for {shards[k].Airs.Count} tables, or one outside 2^1…2^{StarkVerifier.MaxLogHeight}", nameof(commitments));
        parameters.Validate();
        Shards = shards;
        Commitments = commitments;
        Parameters = parameters;
        PublicBus = publicBus;
    }

    public IReadOnlyList<StarkStatement> Shards { get; }
    public IReadOnlyList<ShardCommitment> Commitments { get; }
    public SecurityParameters Parameters { get; }
    public IReadOnlyList<PublicBusEntry> PublicBus { get; }

    /// <summary>Shard <paramref name="index"/>'s parameters: the run's, with the final polynomial no longer than its tallest table.</summary>
    public SecurityParameters ParametersOf(int index) => StarkProver.ShardParameters(Parameters, Commitments[index].LogHeights);

    /// <summary>The shared transcript after every shard's statement and main root and the public bus, before the LogUp proof of work.</summary>
    internal Transcript Begin() =>
        StarkTranscript.BeginShards([.. Shards.Select((s, k) => (ParametersOf(k), s, Commitments[k].LogHeights, Commitments[k].MainRoot))], PublicBus);

    /// <summary>What shard <paramref name="index"/>'s proof takes from the shared transcript, once <paramref name="logUpWitness"/> is checked.</summary>
    internal StarkProver.ShardContext Context(int index, BabyBear logUpWitness)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Shards.Count);
        var (shared, challenges) = Drawn(logUpWitness);
        // Each shard's transcript starts from a clone of the shared one (StarkTranscript.ForShard), so one serves all.
        return new StarkProver.ShardContext(shared, index, challenges with { Shard = (uint)index }, logUpWitness);
    }

    readonly Lock gate = new();
    (BabyBear Witness, Transcript Shared, LogUpChallenges Challenges)? drawn;

    /// <summary>
    /// The shared transcript after the proof of work and the LogUp challenges, drawn once per witness: it absorbs every
    /// shard's statement, so drawing it per shard would make proving or checking a run's shards quadratic in their count.
    /// </summary>
    (Transcript Shared, LogUpChallenges Challenges) Drawn(BabyBear logUpWitness)
    {
        lock (gate)
        {
            if (drawn is { } d && d.Witness == logUpWitness) return (d.Shared, d.Challenges);
            Transcript shared = Begin();
            if (!ProofOfWork.Verify(shared, Parameters.LogUpPowBits, logUpWitness))
                throw StarkVerifier.Reject(StarkErrors.LogUpProofOfWork, $"the run's LogUp proof-of-work witness {logUpWitness} does not give {Parameters.LogUpPowBits} zero bits");
            var challenges = new LogUpChallenges(shared.SampleExt(), shared.SampleExt());
            drawn = (logUpWitness, shared, challenges);
            return (shared, challenges);
        }
    }
}
