using ZkVm.Field;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Sharding;

/// <summary>
/// A run being proven in shards, as its coordinator sees it after pass 1 and the memory replay (docs/PROTOCOL.md §10):
/// it hands out each shard's <see cref="Task"/>, draws the run's <see cref="Challenges"/> once every shard is committed,
/// and <see cref="Check"/>s each shard proof before it is accepted. An <see cref="IShardProver"/> drives it.
/// </summary>
public sealed class ShardJob
{
    readonly ShardedRun run;
    readonly uint[] firstKeys;
    readonly SecurityRegime regime;

    internal ShardJob(MachineProgram program, ShardedRun run, SecurityPreset preset, IProgress<ShardStep>? progress)
    {
        Program = program;
        this.run = run;
        Preset = preset;
        Progress = progress;
        regime = preset == SecurityPreset.Conjectured100 ? SecurityRegime.Conjectured : SecurityRegime.Proven;
        firstKeys = [.. Enumerable.Range(0, run.Count + 1).Select(run.FirstKey)];
    }

    public MachineProgram Program { get; }
    public SecurityPreset Preset { get; }
    public MachineClaim Claim => run.Claim;
    public ulong ShardCycles => run.ShardCycles;
    public int Count => run.Count;

    /// <summary>Where the prover reports each shard's progress (phase, shard, worker, outcome).</summary>
    public IProgress<ShardStep>? Progress { get; }

    /// <summary>Shard <paramref name="k"/>'s task: its chunks of the read log, entry list, input bytes and boundary piece.</summary>
    public ShardTask Task(int k) => run.Task(k, Preset);

    /// <summary>After phase 1: the run's parameters for these shapes, and its LogUp proof of work ground over every shard's commitment.</summary>
    public ShardChallenges Challenges(IReadOnlyList<ShardCommitment> commitments)
    {
        ArgumentNullException.ThrowIfNull(commitments);
        var preset = SecurityPresets.Parameters(Preset);
        var statements = ShardTask.StatementsOf(MachineVerifier.CircuitOf(Program), Claim, ShardCycles, firstKeys);
        var parameters = StarkProver.RunParameters(statements, commitments, preset, SecurityPresets.TargetBits, regime);
        var witness = StarkProver.GrindLogUp(ShardTask.RunOf(Program, Claim, ShardCycles, firstKeys, commitments, parameters));
        return new ShardChallenges(parameters, [.. commitments], witness);
    }

    /// <summary>
    /// Shard <paramref name="k"/>'s proof as its coordinator accepts it: of the traces committed in phase 1, under the run's
    /// challenges, passing every check one shard can pass alone (<see cref="StarkVerifier.VerifyShard"/>); ZK34xx otherwise.
    /// </summary>
    public void Check(ShardChallenges challenges, int k, StarkProof proof) =>
        StarkVerifier.VerifyShard(Run(challenges), k, challenges.LogUpWitness, proof, SecurityPresets.TargetBits, regime);

    readonly Lock gate = new();
    (ShardChallenges Challenges, ShardedStatement Run)? built;

    /// <summary>The run under <paramref name="challenges"/>, built once for all its shards (it holds every shard's statement and the shared transcript).</summary>
    internal ShardedStatement Run(ShardChallenges challenges)
    {
        lock (gate)
        {
            if (built is { } r && ReferenceEquals(r.Challenges, challenges)) return r.Run;
            var statement = ShardTask.RunOf(Program, Claim, ShardCycles, firstKeys, challenges.Commitments, challenges.Parameters);
            built = (challenges, statement);
            return statement;
        }
    }
}

/// <summary>Proves every shard of a <see cref="ShardJob"/>, both phases: in this process (<see cref="LocalShardProver"/>) or on a cluster (ZkVm.Cluster).</summary>
public interface IShardProver
{
    /// <summary>Shard k's proof at index k, all under the challenges drawn from the commitments of one phase 1.</summary>
    IReadOnlyList<StarkProof> Prove(ShardJob job);
}

/// <summary>The shards proven one after another in this process; only one shard's traces are alive at a time.</summary>
public sealed class LocalShardProver : IShardProver
{
    public static LocalShardProver Instance { get; } = new();

    public IReadOnlyList<StarkProof> Prove(ShardJob job)
    {
        int built = 0;
        ShardTask Next(int phase, int k)
        {
            Kernels.ThrowIfCancelled();
            job.Progress?.Report(new ShardStep(phase, k, job.Count));
            // The previous shard's traces, LDEs and trees are garbage now: hand their memory back before building the
            // next, so the process's peak stays one shard's (a blocking collection costs well under 1 % of a shard's proof).
            if (built++ > 0) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return job.Task(k);
        }
        var commitments = new ShardCommitment[job.Count];
        for (int k = 0; k < job.Count; k++)
            commitments[k] = ShardWork.Commit(job.Program, Next(1, k));
        var challenges = job.Challenges(commitments);
        var proofs = new StarkProof[job.Count];
        for (int k = 0; k < job.Count; k++)
            proofs[k] = StarkProver.CheckRebuilt(ShardWork.Prove(job.Program, Next(2, k), job.Run(challenges), challenges.LogUpWitness), commitments[k], k);
        return proofs;
    }
}
