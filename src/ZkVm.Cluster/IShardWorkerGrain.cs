namespace ZkVm.Cluster;

/// <summary>
/// One worker's shard prover, keyed by its silo's address, so that the coordinator chooses which worker proves which shard.
/// Messages are the engine's own encodings (<c>MachineProgramFormat</c>, <c>ShardTask</c>, <c>ShardChallenges</c>, STARK proofs),
/// so nothing of the engine depends on Orleans' serializer.
/// </summary>
public interface IShardWorkerGrain : IGrainWithStringKey
{
    /// <summary>Phase 1: the shard's main-trace commitment.</summary>
    Task<byte[]> Commit(byte[] program, byte[] task);

    /// <summary>Phase 2: the shard's STARK proof under the run's challenges.</summary>
    Task<byte[]> Prove(byte[] program, byte[] task, byte[] challenges);
}
