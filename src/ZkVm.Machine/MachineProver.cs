using ZkVm.Field;
using System.Runtime.CompilerServices;
using System.Diagnostics;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Machine.Sharding;
using ZkVm.Machine.Witness;

namespace ZkVm.Machine;

/// <summary>How to prove: the security preset, the cycle limit, the shard size and where progress goes.</summary>
public sealed record MachineProverOptions
{
    public SecurityPreset Preset { get; init; } = SecurityPreset.Proven100;

    /// <summary>Cycles after which the run stops without a proof (at most <see cref="MachineLayout.MaxCycles"/>).</summary>
    public ulong MaxCycles { get; init; } = MachineLayout.MaxCycles;

    /// <summary>Cycles per shard (<see cref="MachineLayout.MinShardCycles"/>…<see cref="MachineLayout.MaxShardCycles"/>): a longer run is
    /// proven in shards of this many cycles, one after another, so peak memory follows the shard, not the run.</summary>
    public ulong ShardCycles { get; init; } = MachineLayout.DefaultShardCycles;

    /// <summary>Receives each stage as it ends, with the fraction of <see cref="ProvingStages.All"/> done.</summary>
    public IProgress<(ProvingStage Stage, double Fraction)>? Progress { get; init; }

    /// <summary>In a run of several shards, receives each shard as its proving starts: phase 1 (commit) or 2 (prove), shard k (from 0) of N.</summary>
    public IProgress<ShardStep>? Shards { get; init; }

    /// <summary>Who proves the shards of a run of several: this process by default, or a cluster (docs/DISTRIBUTED.md). Shards proven
    /// elsewhere are checked one by one as they arrive, and the assembled proof is verified whole before it is returned.</summary>
    public IShardProver? ShardProver { get; init; }

    /// <summary>Stops the proof: checked between stages and shards and, through <see cref="Kernels"/>, between the
    /// kernels' blocks of work, so that proving ends with an <see cref="OperationCanceledException"/> within milliseconds.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>How pass 1 runs the guest (the JIT by default); the trace is the same either way.</summary>
    public ExecutionEngine Engine { get; init; } = ExecutionEngine.Jit;

    /// <summary>The most cores this proof's parallel loops use at once (<see cref="Kernels"/>); null: every core.</summary>
    public int? MaxParallelism { get; init; }

    public static MachineProverOptions Default { get; } = new();
}

/// <summary>A shard's proving starting (or, on a cluster, another <see cref="Event"/>): <paramref name="Phase"/> 1 commits its main
/// trace, phase 2 proves it under the run's challenges.</summary>
public readonly record struct ShardStep(int Phase, int Shard, int Count)
{
    public ShardEvent Event { get; init; }

    /// <summary>The worker that the event concerns; null in this process.</summary>
    public string? Worker { get; init; }

    /// <summary>Why a shard's result was refused or lost (<see cref="ShardEvent.Rejected"/>, <see cref="ShardEvent.Lost"/>).</summary>
    public string? Reason { get; init; }
}

/// <summary>One shard's proof and where its piece of the memory boundary starts (the next shard's piece starts where it ends).</summary>
public sealed record ShardProof(uint FirstKey, StarkProof Proof);

/// <summary>A proof of one run, in shards of <see cref="ShardCycles"/>, with the claim it proves and where its time went.</summary>
public sealed record MachineProof(MachineClaim Claim, SecurityPreset Preset, ulong ShardCycles, IReadOnlyList<ShardProof> Shards, IReadOnlyList<(ProvingStage Stage, TimeSpan Time)> Phases)
{
    /// <summary>Per table: its height, main and LogUp (base) widths, and the time of the per-table prover phases (a run proven as one shard).</summary>
    public IReadOnlyList<TableCost> Tables { get; init; } = [];

    /// <summary>The proof of a run proven as one shard.</summary>
    public StarkProof Proof => Shards is [var only] ? only.Proof : throw new InvalidOperationException($"the run was proven in {Shards.Count} shards");
}

/// <summary>One table's share of a proof: its size and the time the per-table phases spent on it.</summary>
public sealed record TableCost(string Table, int Height, int MainWidth, int LogUpWidth, IReadOnlyDictionary<ProvingStage, TimeSpan> Times);

/// <summary>Runs a guest and proves the run (docs/MACHINE.md): pass 1, pass 2 per chunk in parallel, memory replay, traces, STARK;
/// a run longer than a shard in shards (docs/PROTOCOL.md §10).</summary>
public static class MachineProver
{
    // Optimised from the first call, so that the witness and traces are not kept alive to the end (see StarkProver.Prove).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static MachineProof Prove(MachineProgram program, ReadOnlyMemory<byte> input, MachineProverOptions? options = null)
    {
        options ??= MachineProverOptions.Default;
        ulong shardCycles = CheckShardCycles(options.ShardCycles);
        using var kernels = Kernels.Enter(options.Cancellation, options.MaxParallelism);
        options.Cancellation.ThrowIfCancellationRequested();
        var phases = new List<(ProvingStage, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        void Done(ProvingStage stage)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            options.Progress?.Report((stage, (double)((int)stage + 1) / ProvingStages.All.Count));
        }
        void Mark(ProvingStage stage)
        {
            phases.Add((stage, clock.Elapsed));
            clock.Restart();
            Done(stage);
        }

        using var trace = Record(program, input, options.MaxCycles, shardCycles, options.Cancellation, options.Engine);
        Mark(ProvingStage.Execute);
        int count = ShardPosition.CountOf(trace.Result.Cycles, shardCycles);
        if (count > 1) return ProveShards(program, input, options, trace, shardCycles, phases, clock, Mark);

        var witness = MemoryTimeline.Build(program, ReExecute(program, trace, ShardPosition.Whole(trace.Result.Cycles), Mark), input);
        Mark(ProvingStage.Memory);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        Mark(ProvingStage.Traces);
        var claim = MachineCircuit.ClaimOf(witness);
        var starkPhases = new ProverPhases { Completed = Done };
        // Nothing here refers to the traces once the prover has them: it lets go of them after the LogUp columns.
        var shapes = traces.Select(t => (t.Air, t.Height)).ToArray();
        var proof = StarkProver.Prove(traces, SecurityPresets.Parameters(options.Preset), circuit.PublicBus(claim), starkPhases);
        phases.AddRange(starkPhases.Phases);
        var tables = shapes.Select(t => new TableCost(t.Air.Name, t.Height, t.Air.MainWidth,
            4 * Stark.LogUp.LogUpLayout.For(Stark.Air.AirShape.ForAir(t.Air)).Width,
            starkPhases.TableTimes.Where(x => x.Table == t.Air.Name).ToDictionary(x => x.Stage, x => x.Time))).ToList();
        return new MachineProof(claim, options.Preset, shardCycles, [new ShardProof(0, proof)], phases) { Tables = tables };
    }

    /// <summary>A run of several shards: each shard rebuilt from its checkpoint, read-log slice and entry list, once to commit it and once to prove it, and dropped.</summary>
    static MachineProof ProveShards(MachineProgram program, ReadOnlyMemory<byte> input, MachineProverOptions options, MinimalTrace trace,
        ulong shardCycles, List<(ProvingStage, TimeSpan)> phases, Stopwatch clock, Action<ProvingStage> mark)
    {
        var run = new ShardedRun(program, input, trace, shardCycles);
        mark(ProvingStage.Memory);
        var job = new ShardJob(program, run, options.Preset, options.Shards);
        var proofs = (options.ShardProver ?? LocalShardProver.Instance).Prove(job);
        if (proofs.Count != run.Count) throw new InvalidOperationException($"the shard prover returned {proofs.Count} proofs for {run.Count} shards");
        ShardProof[] shards = [.. proofs.Select((p, k) => new ShardProof(run.FirstKey(k), p))];
        if (options.ShardProver is not null)
            MachineVerifier.Verify(program, run.Claim, shardCycles, shards, options.Preset == SecurityPreset.Conjectured100 ? SecurityRegime.Conjectured : SecurityRegime.Proven);
        phases.Add((ProvingStage.Queries, clock.Elapsed));
        return new MachineProof(run.Claim, options.Preset, shardCycles, shards, phases);
    }

    /// <summary>The shard size, checked: <see cref="MachineErrors.BadShards"/> outside <see cref="MachineLayout.MinShardCycles"/>…<see cref="MachineLayout.MaxShardCycles"/>.</summary>
    public static ulong CheckShardCycles(ulong shardCycles) =>
        shardCycles is >= MachineLayout.MinShardCycles and <= MachineLayout.MaxShardCycles ? shardCycles
            : throw new ZkVmException(MachineErrors.BadShards, $"the shard size is {shardCycles} cycles; it must be {MachineLayout.MinShardCycles}…{MachineLayout.MaxShardCycles}");

    /// <summary>
    /// Executes the program (pass 1), re-executes its chunks in parallel from their checkpoints (pass 2)
    /// and replays memory, as one shard. A run that traps or reaches the cycle limit fails with <see cref="MachineErrors.NotHalted"/>,
    /// naming the trap, its pc and the function it is in.
    /// </summary>
    public static MachineWitness Witness(MachineProgram program, ReadOnlyMemory<byte> input, ulong maxCycles = MachineLayout.MaxShardCycles, Action<ProvingStage>? mark = null)
    {
        using var trace = Record(program, input, maxCycles, MachineLayout.MaxShardCycles);
        mark?.Invoke(ProvingStage.Execute);
        var records = ReExecute(program, trace, ShardPosition.Whole(trace.Result.Cycles), mark);
        var witness = MemoryTimeline.Build(program, records, input);
        mark?.Invoke(ProvingStage.Memory);
        return witness;
    }

    /// <summary>Pass 1, with checkpoints at every shard start when the shard size allows (a power of two, or at most 2^18 cycles).</summary>
    internal static MinimalTrace Record(MachineProgram program, ReadOnlyMemory<byte> input, ulong maxCycles, ulong shardCycles, CancellationToken cancellation = default,
        ExecutionEngine engine = ExecutionEngine.Jit)
    {
        var options = new ExecutionOptions
        {
            Cancellation = cancellation,
            Engine = engine,
            MaxCycles = Math.Min(maxCycles, MachineLayout.MaxCycles),
            CheckpointInterval = Math.Min(shardCycles, ExecutionOptions.Default.CheckpointInterval),
        };
        var trace = Interpreter.Record(program.Program, input, options);
        if (trace.Result.Trap is { } trap)
        {
            trace.Dispose();
            string? symbol = program.FunctionAt(trap.Pc);
            string where = symbol is null ? "" : $" ({symbol})";
            string limit = trap.Cause == TrapCause.CycleLimit && maxCycles >= MachineLayout.MaxCycles
                ? $"; one proof covers at most {MachineLayout.MaxCycles} cycles" : "";
            throw new NotHaltedException(trap, symbol, $"the guest did not halt ({trap.Code}): {trap.Message}{where}{limit}");
        }
        return trace;
    }

    /// <summary>Pass 2 for one shard: the chunks that overlap it re-executed in parallel from their checkpoints, cut to the shard's cycles.</summary>
    internal static ExecutionRecord[] ReExecute(MachineProgram program, MinimalTrace trace, ShardPosition shard, Action<ProvingStage>? mark = null)
    {
        ulong from = shard.FirstCycle, to = from + shard.Cycles;
        var checkpoints = trace.Checkpoints;
        int first = 0, last = 0;
        for (int i = 0; i < checkpoints.Count; i++)
        {
            if (checkpoints[i].Cycle <= from) first = i;
            if (checkpoints[i].Cycle < to) last = i;
        }
        var chunks = new List<ExecutionRecord>[last - first + 1];
        Parallel.For(0, chunks.Length, Kernels.Options, i =>
        {
            var (start, log, cycles) = trace.Chunk(first + i);
            chunks[i] = ReExecutor.ReExecute(program.Program, start, log, cycles);
        });
        var records = new ExecutionRecord[shard.Cycles];
        int at = 0;
        foreach (var chunk in chunks)
            foreach (var record in chunk)
                if (record.Cycle >= from && record.Cycle < to) records[at++] = record;
        mark?.Invoke(ProvingStage.ReExecute);
        return records;
    }
}

/// <summary>The run could not be proven because the guest trapped or ran past the cycle limit (ZK5001): the trap, and the function
/// (name+0xoffset) that holds its pc when the ELF has symbols.</summary>
public sealed class NotHaltedException(Trap trap, string? symbol, string message) : ZkVmException(MachineErrors.NotHalted, message)
{
    public Trap Trap { get; } = trap;

    public string? Symbol { get; } = symbol;
}

/// <summary>
/// A recorded run split into shards (docs/PROTOCOL.md §10.2). The memory replay over every shard, in order, finds each
/// shard's entry list and the run's final boundary, which is cut into one piece per shard of about the same number
/// of cells. After that, any shard's witness is rebuilt from its checkpoint, read-log slice and entry list alone.
/// </summary>
internal sealed class ShardedRun
{
    readonly MachineProgram program;
    readonly ReadOnlyMemory<byte> input;
    readonly MinimalTrace trace;
    readonly ShardEntry[] entries;
    readonly BoundaryEntry[] boundary;
    readonly uint[] firstKeys;
    readonly int perPiece;

    public ShardedRun(MachineProgram program, ReadOnlyMemory<byte> input, MinimalTrace trace, ulong shardCycles)
    {
        this.program = program;
        this.input = input;
        this.trace = trace;
        ShardCycles = shardCycles;
        ulong cycles = trace.Result.Cycles;
        Count = ShardPosition.CountOf(cycles, shardCycles);
        var timeline = new MemoryTimeline(program, input);
        entries = new ShardEntry[Count];
        uint exitCode = 0;
        for (int k = 0; k < Count; k++)
        {
            Kernels.ThrowIfCancelled();
            var position = Position(k);
            var records = MachineProver.ReExecute(program, trace, position);
            entries[k] = timeline.Shard(position, records).Entry;
            if (position.IsLast) exitCode = records[^1].Rs2Value;
        }
        boundary = timeline.Boundary();
        Claim = new MachineClaim(exitCode, cycles, timeline.Journal);
        perPiece = (boundary.Length + Count - 1) / Count;
        firstKeys = new uint[Count + 1];
        for (int k = 1; k < Count; k++) firstKeys[k] = k * perPiece < boundary.Length ? boundary[k * perPiece].Key : MachineLayout.KeyEnd;
        firstKeys[Count] = MachineLayout.KeyEnd;
    }

    public ulong ShardCycles { get; }
    public int Count { get; }
    public MachineClaim Claim { get; }

    public ShardPosition Position(int k) => ShardPosition.Of(k, trace.Result.Cycles, ShardCycles);

    /// <summary>The run's whole boundary: every cell touched, every image cell and region start, in key order, as the run leaves it.</summary>
    public IReadOnlyList<BoundaryEntry> Boundary => boundary;

    /// <summary>Where shard <paramref name="k"/>'s piece of the boundary starts.</summary>
    public uint FirstKey(int k) => firstKeys[k];

    /// <summary>Shard <paramref name="k"/>'s task: what rebuilding its witness needs, and nothing of the memory image.</summary>
    public ShardTask Task(int k, SecurityPreset preset = SecurityPreset.Proven100)
    {
        var position = Position(k);
        ulong from = position.FirstCycle, to = from + position.Cycles;
        var chunks = new List<ShardChunk>();
        for (int i = 0; i < trace.Checkpoints.Count; i++)
        {
            var (start, log, cycles) = trace.Chunk(i);
            if (start.Cycle < to && start.Cycle + cycles > from) chunks.Add(new ShardChunk(start, log.ToArray(), cycles));
        }
        // The input bytes this shard's READs consume, from where the entry list says it starts reading.
        var entry = entries[k];
        int inputEnd = k + 1 < Count ? entries[k + 1].InputPosition : input.Length;
        byte[] bytes = input[entry.InputPosition..inputEnd].ToArray();
        int from0 = Math.Min(k * perPiece, boundary.Length), to0 = Math.Min(from0 + perPiece, boundary.Length);
        return new ShardTask(k, ShardCycles, preset, Claim, firstKeys, [.. chunks], entry with { InputPosition = 0 }, bytes, boundary[from0..to0]);
    }

    /// <summary>Shard <paramref name="k"/>'s witness, rebuilt by re-executing it and replaying its memory from its entry list.</summary>
    public MachineWitness Witness(int k) => Task(k).Witness(program);

    /// <summary>Shard <paramref name="k"/>'s entry list: the cells it pages in, with their values and tags at its start.</summary>
    public ShardEntry Entry(int k) => entries[k];

    /// <summary>Shard <paramref name="k"/>'s witness from its records and entry list (tests give edited ones, as a forger would).</summary>
    public MachineWitness Witness(int k, IReadOnlyList<ExecutionRecord> records, ShardEntry entry) => Task(k).Witness(program, records, entry, input);
}
