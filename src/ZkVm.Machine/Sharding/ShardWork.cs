using ZkVm.Field;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Sharding;

/// <summary>What a prover of shards does with a <see cref="ShardTask"/>, in this process or on a cluster's worker.</summary>
public static class ShardWork
{
    /// <summary>Phase 1: the shard's traces rebuilt from its task and its main trace committed.</summary>
    public static ShardCommitment Commit(MachineProgram program, ShardTask task) =>
        StarkProver.CommitShard(MachineVerifier.CircuitOf(program).Traces(task.Witness(program)), SecurityPresets.Parameters(task.Preset));

    /// <summary>Phase 2: the shard's traces rebuilt again and proven under the run's challenges.</summary>
    public static StarkProof Prove(MachineProgram program, ShardTask task, ShardChallenges challenges) =>
        Prove(program, task, task.Run(program, challenges.Commitments, challenges.Parameters), challenges.LogUpWitness);

    /// <summary>Phase 2 under a run already built, as a prover of many shards holds it.</summary>
    public static StarkProof Prove(MachineProgram program, ShardTask task, ShardedStatement run, BabyBear logUpWitness) =>
        StarkProver.ProveShard(MachineVerifier.CircuitOf(program).Traces(task.Witness(program)), run, task.Index, logUpWitness);
}
