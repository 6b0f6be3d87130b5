using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZkVm.Machine;
using ZkVm.Cluster;
using ZkVm.Machine.Extensions;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Elf;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Proving;

namespace ZkVm;

/// <summary>
/// A guest program: the loaded RV32IM ELF (Harvard ROM and data image) and its <see cref="ImageId"/>.
/// It executes fast (<see cref="Execute"/>) and proves a run (<see cref="Prove"/>) into a <see cref="Receipt"/>.
/// Immutable once loaded: one instance may execute and prove from any number of threads at once.
/// </summary>
public sealed class ZkProgram
{
    /// <summary>Traces every proof as a <c>zkvm.prove</c> activity (tags: ImageId, preset, shard size, then cycles, shards and exit
    /// code), each stage and shard an event on it, for OpenTelemetry or any <see cref="ActivityListener"/>.</summary>
    public static ActivitySource ActivitySource { get; } = new("ZkVm.Host");

    /// <summary>The stages of proving in order, as <see cref="ProofProgress.Stage"/> names them.</summary>
    public static IReadOnlyList<string> Stages { get; } = [.. ProvingStages.All.Select(s => s.Name())];

    ZkProgram(MachineProgram machine) => Machine = machine;

    /// <summary>
    /// Loads an ELF strictly (ZK20xx for a malformed or unreadable file, ZK5004 for a program too large to prove),
    /// for the machine <paramref name="machine"/>: plain RV32IM by default, or with extensions (<see cref="MachineExtensions.Load"/>).
    /// </summary>
    public static ZkProgram Load(string elfPath, ExtensionSet? machine = null) =>
        new(new MachineProgram(HarvardProgram.Load(elfPath, (machine ?? ExtensionSet.Rv32im).Isa), machine));

    /// <summary>Loads an ELF from its bytes, as strictly as <see cref="Load(string, ExtensionSet?)"/>.</summary>
    public static ZkProgram Load(ReadOnlySpan<byte> elf, ExtensionSet? machine = null) =>
        new(new MachineProgram(HarvardProgram.FromElf(ElfFile.Parse(elf.ToArray()), (machine ?? ExtensionSet.Rv32im).Isa), machine));

    /// <summary>
    /// Loads an ELF from a stream read to its end, as strictly as <see cref="Load(string, ExtensionSet?)"/>; a stream longer than
    /// an ELF may be is refused (ZK2014) once it passes the limit, not buffered whole.
    /// </summary>
    public static ZkProgram Load(Stream elf, ExtensionSet? machine = null)
    {
        ArgumentNullException.ThrowIfNull(elf);
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int n;
        while ((n = elf.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > ElfLimits.MaxFileBytes)
                throw new ZkVmException(ElfError.TooLarge, $"<stream>: the stream holds more than the limit of {ElfLimits.MaxFileBytes} bytes");
        }
        return Load(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), machine);
    }

    /// <summary>A program from an ELF already loaded, with the instruction set of <paramref name="machine"/>.</summary>
    internal static ZkProgram FromHarvard(HarvardProgram program, ExtensionSet? machine = null) => new(new MachineProgram(program, machine));

    /// <summary>The circuit's view of the program: ROM, initial image, entry.</summary>
    internal MachineProgram Machine { get; }

    /// <summary>What receipts of this program's runs are verified against.</summary>
    public ImageId ImageId => Machine.ImageId;

    /// <summary>Runs the guest without proving. A trap is reported in the result, not thrown.</summary>
    public Execution Execute(ReadOnlyMemory<byte> input, ulong? maxCycles = null) => Executed(input, maxCycles, CancellationToken.None);

    Execution Executed(ReadOnlyMemory<byte> input, ulong? maxCycles, CancellationToken cancellationToken)
    {
        var options = new ExecutionOptions { MaxCycles = maxCycles ?? ExecutionOptions.DefaultMaxCycles, Cancellation = cancellationToken };
        return Execution.Of(Interpreter.Run(Machine.Program, input, options));
    }

    /// <summary>
    /// Runs the guest and proves the run. Options are checked before any work (ZK5301). A run that traps or passes the cycle
    /// limit fails with a <see cref="GuestTrapException"/> (ZK5001, with the trap's code, cause, pc and function); a guest that
    /// halts with a nonzero exit code is proven, its exit code part of the receipt (which verifiers refuse unless they accept it).
    /// </summary>
    public Receipt Prove(ReadOnlyMemory<byte> input, ProverOptions? options = null, IProgress<ProofProgress>? progress = null) =>
        Proven(input, options, progress, CancellationToken.None);

    /// <summary>
    /// <see cref="Prove(ReadOnlyMemory{byte}, ProverOptions?, IProgress{ProofProgress}?)"/> on a thread of its own, so that proofs started
    /// together run together and none waits for a thread-pool thread that the others' parallel loops hold. The options are
    /// checked before it starts (ZK5301). <paramref name="cancellationToken"/> is honoured at any point of the proof, inside the
    /// kernels too: the task ends with an <see cref="OperationCanceledException"/> within milliseconds, and no proving work
    /// goes on after it (on a cluster, shards already handed out finish on their workers, unread).
    /// </summary>
    public Task<Receipt> ProveAsync(ReadOnlyMemory<byte> input, ProverOptions? options = null, IProgress<ProofProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        (options ?? ProverOptions.Default).Validate();
        return Task.Factory.StartNew(() => Proven(input, options, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary><see cref="Execute"/> on a thread of its own; <paramref name="cancellationToken"/> stops the run within
    /// <see cref="ExecutionOptions.CancellationCycles"/> cycles, ending the task with an <see cref="OperationCanceledException"/>.</summary>
    public Task<Execution> ExecuteAsync(ReadOnlyMemory<byte> input, ulong? maxCycles = null, CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Executed(input, maxCycles, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Checks the options, then proves inside a <c>zkvm.prove</c> activity, logging the stages to the options' logger.</summary>
    Receipt Proven(ReadOnlyMemory<byte> input, ProverOptions? options, IProgress<ProofProgress>? progress, CancellationToken cancellationToken)
    {
        options ??= ProverOptions.Default;
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        using var activity = ActivitySource.StartActivity("zkvm.prove");
        activity?.SetTag("zkvm.image_id", ImageId.ToString());
        activity?.SetTag("zkvm.preset", options.Preset.ToString());
        activity?.SetTag("zkvm.shard_cycles", options.ShardCycles);
        if (activity is not null || options.Logger is not null) progress = new Traced(progress, options.Logger, activity);
        try
        {
            var receipt = ProveTraced(input, options, progress, cancellationToken);
            activity?.SetTag("zkvm.cycles", receipt.Cycles);
            activity?.SetTag("zkvm.shards", receipt.ShardCount);
            activity?.SetTag("zkvm.exit_code", receipt.ExitCode);
            options.Logger?.LogInformation("proved {Cycles} cycles of {ImageId} in {Shards} shards, exit code {ExitCode}", receipt.Cycles, ImageId, receipt.ShardCount, receipt.ExitCode);
            return receipt;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            // A cancellation reads the same wherever it lands (a kernel's check, or a task of the shards that it cancelled).
            string reason = e is OperationCanceledException ? new OperationCanceledException().Message : e.Message;
            options.Logger?.LogWarning("proving {ImageId} stopped: {Reason}", ImageId, reason);
            throw;
        }
    }

    /// <summary>The proof itself, its options checked and its progress already traced.</summary>
    Receipt ProveTraced(ReadOnlyMemory<byte> input, ProverOptions options, IProgress<ProofProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new ProofProgress(Stages[0], 0));
        var cluster = options.Cluster is null ? null : ClusterShardProver.Connect(ClusterConnection.Parse(options.Cluster));
        using var disconnect = cluster;
        var machineOptions = new MachineProverOptions
        {
            Preset = options.Preset,
            MaxCycles = Math.Min(options.MaxCycles, ProverOptions.MaxCyclesPerProof),
            ShardCycles = options.ShardCycles,
            Progress = new StageProgress(progress),
            Shards = new ShardProgress(progress),
            ShardProver = cluster,
            Cancellation = cancellationToken,
            MaxParallelism = options.MaxParallelism,
            Engine = options.Engine,
        };
        MachineProof proof;
        try
        {
            proof = MachineProver.Prove(Machine, input, machineOptions);
        }
        catch (NotHaltedException e)
        {
            throw new GuestTrapException(GuestTrap.Of(e.Trap), e.Symbol, e);
        }
        progress?.Report(new ProofProgress("done", 1));
        return new Receipt(Machine, proof.Claim, proof.Preset, proof.ShardCycles, proof.Shards) { ProvingPhases = [.. proof.Phases.Select(p => (p.Stage.Name(), p.Time))], ProvingTables = proof.Tables };
    }

    /// <summary>Passes progress on, logging each stage and shard (Information) and adding it to the activity as an event.</summary>
    sealed class Traced(IProgress<ProofProgress>? target, ILogger? logger, Activity? activity) : IProgress<ProofProgress>
    {
        public void Report(ProofProgress value)
        {
            if (value.Shards > 0)
                logger?.LogInformation("proving: {Stage} shard {Shard}/{Shards} {Event}{Worker} ({Fraction:P0})", value.Stage, value.Shard, value.Shards,
                    value.Event.ToString().ToLowerInvariant(), value.Worker is null ? "" : $" on {value.Worker}", value.Fraction);
            else
                logger?.LogInformation("proving: {Stage} ({Fraction:P0})", value.Stage, value.Fraction);
            activity?.AddEvent(new ActivityEvent(value.Shards > 0 ? $"{value.Stage} shard {value.Shard}/{value.Shards}" : value.Stage));
            target?.Report(value);
        }
    }

    /// <summary>Reports each shard's phase as it starts; the shard phases take the share of the work after the memory replay.</summary>
    sealed class ShardProgress(IProgress<ProofProgress>? target) : IProgress<ShardStep>
    {
        int done;

        static readonly double Before = (double)((int)ProvingStage.Memory + 1) / Stages.Count;

        public void Report(ShardStep value)
        {
            if (target is null) return;
            // On a cluster shards finish out of order: count the ones done, not the index.
            int finished = value.Event == ShardEvent.Done ? Interlocked.Increment(ref done) : Volatile.Read(ref done);
            if (value.Worker is null) finished = (value.Phase - 1) * value.Count + value.Shard;
            target.Report(new ProofProgress(value.Phase == 1 ? "commit" : "prove", Before + (1 - Before) * Math.Min(1, (double)finished / (2 * value.Count)))
            {
                Shard = value.Shard + 1, Shards = value.Count, Worker = value.Worker, Event = value.Event, Reason = value.Reason,
            });
        }
    }

    /// <summary>Turns "stage X finished" into "stage X+1 is running".</summary>
    sealed class StageProgress(IProgress<ProofProgress>? target) : IProgress<(ProvingStage Stage, double Fraction)>
    {
        public void Report((ProvingStage Stage, double Fraction) value)
        {
            if (target is null) return;
            int next = (int)value.Stage + 1;
            if (next >= Stages.Count) return; // the last stage: "done" follows
            target.Report(new ProofProgress(Stages[next], (double)next / Stages.Count));
        }
    }
}
