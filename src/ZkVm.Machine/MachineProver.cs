using System.Runtime.CompilerServices;
using System.Diagnostics;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

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

    public static MachineProverOptions Default { get; } = new();
}

/// <summary>A shard's proving starting: <paramref name="Phase"/> 1 commits its main trace, phase 2 proves it under the run's challenges.</summary>
public readonly record struct ShardStep(int Phase, int Shard, int Count);

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
        var phases = new List<(ProvingStage, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        void Done(ProvingStage stage) => options.Progress?.Report((stage, (double)((int)stage + 1) / ProvingStages.All.Count));
        void Mark(ProvingStage stage)
        {
            phases.Add((stage, clock.Elapsed));
            clock.Restart();
            Done(stage);
        }

        using var trace = Record(program, input, options.MaxCycles, shardCycles);
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
        var circuit = new MachineCircuit(program);
        int built = 0;
        IReadOnlyList<TableTrace> Shard(int k)
        {
            options.Shards?.Report(new ShardStep(built < run.Count ? 1 : 2, k, run.Count));
            // The previous shard's traces, LDEs and trees are garbage now: hand their memory back before building the
            // next, so the process's peak stays one shard's (a blocking collection costs well under 1 % of a shard's proof).
            if (built++ > 0) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return circuit.Traces(run.Witness(k));
        }
        var regime = options.Preset == SecurityPreset.Conjectured100 ? SecurityRegime.Conjectured : SecurityRegime.Proven;
        var proofs = StarkProver.ProveShards(run.Count, Shard, SecurityPresets.Parameters(options.Preset), circuit.PublicBus(run.Claim, shardCycles), SecurityPresets.TargetBits, regime);
        phases.Add((ProvingStage.Queries, clock.Elapsed));
        return new MachineProof(run.Claim, options.Preset, shardCycles, [.. proofs.Select((p, k) => new ShardProof(run.FirstKey(k), p))], phases);
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
    internal static MinimalTrace Record(MachineProgram program, ReadOnlyMemory<byte> input, ulong maxCycles, ulong shardCycles)
    {
        var options = new ExecutionOptions
        {
            MaxCycles = Math.Min(maxCycles, MachineLayout.MaxCycles),
            CheckpointInterval = Math.Min(shardCycles, ExecutionOptions.Default.CheckpointInterval),
        };
        var trace = Interpreter.Record(program.Program, input, options);
        if (trace.Result.Trap is { } trap)
        {
            trace.Dispose();
            string where = Symbolize(program, trap.Pc);
            string limit = trap.Cause == TrapCause.CycleLimit && maxCycles >= MachineLayout.MaxCycles
                ? $"; one proof covers at most {MachineLayout.MaxCycles} cycles" : "";
            throw new ZkVmException(MachineErrors.NotHalted, $"the guest did not halt ({trap.Code}): {trap.Message}{where}{limit}");
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
        Parallel.For(0, chunks.Length, i =>
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

    static string Symbolize(MachineProgram program, uint pc)
    {
        var symbol = program.Program.Symbols.Where(s => s.IsFunction && s.Value <= pc).MaxBy(s => s.Value);
        return symbol is null ? "" : $" ({symbol.Name}+0x{pc - symbol.Value:x})";
    }
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

    /// <summary>Shard <paramref name="k"/>'s witness, rebuilt by re-executing it and replaying its memory from its entry list.</summary>
    public MachineWitness Witness(int k) => Witness(k, MachineProver.ReExecute(program, trace, Position(k)), entries[k]);

    /// <summary>Shard <paramref name="k"/>'s entry list: the cells it pages in, with their values and tags at its start.</summary>
    public ShardEntry Entry(int k) => entries[k];

    /// <summary>Shard <paramref name="k"/>'s witness from its records and entry list (tests give edited ones, as a forger would).</summary>
    public MachineWitness Witness(int k, IReadOnlyList<ExecutionRecord> records, ShardEntry entry)
    {
        var position = Position(k);
        var (steps, transfers, pages, _) = MemoryTimeline.Resume(program, input, entry).Shard(position, records);
        int from = Math.Min(k * perPiece, boundary.Length), to = Math.Min(from + perPiece, boundary.Length);
        return new MachineWitness(position, steps, transfers, pages, boundary[from..to], firstKeys[k], firstKeys[k + 1], Claim.ExitCode, Claim.Journal);
    }
}
