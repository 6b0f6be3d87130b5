using ZkVm.Machine;
using ZkVm.Stark.Security;

namespace ZkVm;

/// <summary>How <see cref="ZkProgram.Prove"/> proves: the security preset, the cycle limit and the shard size.</summary>
public sealed record ProverOptions
{
    /// <summary>The parameter set; a receipt records it and is verified in its regime.</summary>
    public SecurityPreset Preset { get; init; } = SecurityPreset.Proven100;

    /// <summary>Cycles after which the run stops without a proof; at most <see cref="MaxCyclesPerProof"/>.</summary>
    public ulong MaxCycles { get; init; } = MaxCyclesPerProof;

    /// <summary>The most cycles one proven run covers (2^32 − 1); a run longer than <see cref="ShardCycles"/> is proven in shards.</summary>
    public const ulong MaxCyclesPerProof = MachineLayout.MaxCycles;

    /// <summary>
    /// Cycles per shard (<see cref="MachineLayout.MinShardCycles"/>…<see cref="MachineLayout.MaxShardCycles"/>; default 2^20). Peak memory
    /// follows the shard size, not the run's length (docs/PERFORMANCE.md); the receipt holds one proof per shard.
    /// </summary>
    public ulong ShardCycles { get; init; } = MachineLayout.DefaultShardCycles;

    /// <summary>
    /// Where a run of several shards is proven: null (the default) in this process, or the cluster with this connection
    /// ('localhost', or a Redis connection string such as 127.0.0.1:6379; docs/DISTRIBUTED.md). Pass 1 always runs here.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>Where each proving stage and shard is logged as it starts, and the result when done (Information); none by default.
    /// Stages are also events of the <c>zkvm.prove</c> activity of <see cref="ZkProgram.ActivitySource"/>.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>How pass 1 runs the guest: <see cref="ExecutionEngine.Jit"/> (the default) or the interpreter; the proof is the same.</summary>
    public ExecutionEngine Engine { get; init; } = ExecutionEngine.Jit;

    /// <summary>
    /// The most cores this proof's parallel loops use at once; null (the default) uses every core. Proofs run side by side
    /// (<see cref="ZkProgram.ProveAsync"/>) share the cores either way; a limit keeps some for the rest of the application,
    /// or gives each of several concurrent proofs its own share. Peak memory does not depend on it.
    /// </summary>
    public int? MaxParallelism { get; init; }

    /// <summary>Proven100, every core, shards of 2^20 cycles, no cluster, no logger.</summary>
    public static ProverOptions Default { get; } = new();

    /// <summary>Refuses options no proof can be made with, before any work: ZK5301 naming the option and the values allowed.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Preset))
            throw Bad($"Preset {(int)Preset} is not a preset; use {string.Join(" or ", Enum.GetNames<SecurityPreset>())}");
        if (MaxCycles is 0 or > MaxCyclesPerProof)
            throw Bad($"MaxCycles is {MaxCycles}; it must be 1…{MaxCyclesPerProof}");
        if (ShardCycles is < MachineLayout.MinShardCycles or > MachineLayout.MaxShardCycles)
            throw Bad($"ShardCycles is {ShardCycles}; it must be {MachineLayout.MinShardCycles}…{MachineLayout.MaxShardCycles}");
        if (!Enum.IsDefined(Engine))
            throw Bad($"Engine {(int)Engine} is not an engine; use {string.Join(" or ", Enum.GetNames<ExecutionEngine>())}");
        if (MaxParallelism is < 1)
            throw Bad($"MaxParallelism is {MaxParallelism}; it must be at least 1, or null for every core");
        if (Cluster is { } cluster && string.IsNullOrWhiteSpace(cluster))
            throw Bad("Cluster is blank; give 'localhost' or a Redis connection string, or leave it null to prove here");
    }

    static ZkVmException Bad(string detail) => new(HostErrors.BadOptions, detail);
}

/// <summary>
/// Where proving stands: <see cref="Stage"/> is the stage now running (one of <see cref="ZkProgram.Stages"/>,
/// or "done"), <see cref="Fraction"/> the share of the work already finished (0 to 1). In a run of several shards the
/// stage is "commit" (phase 1: each shard's trace committed) or "prove" (phase 2), for shard <see cref="Shard"/> of <see cref="Shards"/>.
/// </summary>
public readonly record struct ProofProgress(string Stage, double Fraction)
{
    /// <summary>The shard being committed or proven, from 1; 0 outside the shard phases.</summary>
    public int Shard { get; init; }

    /// <summary>The run's shard count; 0 outside the shard phases.</summary>
    public int Shards { get; init; }

    /// <summary>On a cluster: the worker the shard event concerns, the event, and why a result was refused or lost.</summary>
    public string? Worker { get; init; }

    /// <summary>What happened to the shard: started, done, refused or lost (the last two only on a cluster).</summary>
    public ShardEvent Event { get; init; }

    /// <summary>Why a shard's result was refused or its worker lost; null otherwise.</summary>
    public string? Reason { get; init; }
}
