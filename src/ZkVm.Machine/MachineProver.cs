using System.Diagnostics;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine;

/// <summary>How to prove: the security preset, the cycle limit and where progress goes.</summary>
public sealed record MachineProverOptions
{
    public SecurityPreset Preset { get; init; } = SecurityPreset.Proven100;

    /// <summary>Cycles after which the run stops without a proof (at most <see cref="MachineLayout.MaxCycles"/>).</summary>
    public ulong MaxCycles { get; init; } = MachineLayout.MaxCycles;

    /// <summary>Receives each stage as it ends, with the fraction of <see cref="ProvingStages.All"/> done.</summary>
    public IProgress<(ProvingStage Stage, double Fraction)>? Progress { get; init; }

    public static MachineProverOptions Default { get; } = new();
}

/// <summary>A proof of one run with the claim it proves and where its time went.</summary>
public sealed record MachineProof(MachineClaim Claim, SecurityPreset Preset, StarkProof Proof, IReadOnlyList<(ProvingStage Stage, TimeSpan Time)> Phases)
{
    /// <summary>Per table: its height, main and LogUp (base) widths, and the time of the per-table prover phases.</summary>
    public IReadOnlyList<TableCost> Tables { get; init; } = [];
}

/// <summary>One table's share of a proof: its size and the time the per-table phases spent on it.</summary>
public sealed record TableCost(string Table, int Height, int MainWidth, int LogUpWidth, IReadOnlyDictionary<ProvingStage, TimeSpan> Times);

/// <summary>Runs a guest and proves the run (docs/MACHINE.md): pass 1, pass 2 per chunk in parallel, memory replay, traces, STARK.</summary>
public static class MachineProver
{
    public static MachineProof Prove(MachineProgram program, ReadOnlyMemory<byte> input, MachineProverOptions? options = null)
    {
        options ??= MachineProverOptions.Default;
        var phases = new List<(ProvingStage, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        void Done(ProvingStage stage) => options.Progress?.Report((stage, (double)((int)stage + 1) / ProvingStages.All.Count));
        void Mark(ProvingStage stage)
        {
            phases.Add((stage, clock.Elapsed));
            clock.Restart();
            Done(stage);
        }

        var witness = Witness(program, input, options.MaxCycles, Mark);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        Mark(ProvingStage.Traces);
        var claim = MachineCircuit.ClaimOf(witness);
        var starkPhases = new ProverPhases { Completed = Done };
        var proof = StarkProver.Prove(traces, SecurityPresets.Parameters(options.Preset), circuit.PublicBus(claim), starkPhases);
        phases.AddRange(starkPhases.Phases);
        var tables = traces.Select(t => new TableCost(t.Air.Name, t.Height, t.Air.MainWidth,
            4 * Stark.LogUp.LogUpLayout.For(Stark.Air.AirShape.ForAir(t.Air)).Width,
            starkPhases.TableTimes.Where(x => x.Table == t.Air.Name).ToDictionary(x => x.Stage, x => x.Time))).ToList();
        return new MachineProof(claim, options.Preset, proof, phases) { Tables = tables };
    }

    /// <summary>
    /// Executes the program (pass 1), re-executes its chunks in parallel from their checkpoints (pass 2)
    /// and replays memory. A run that traps or reaches the cycle limit fails with <see cref="MachineErrors.NotHalted"/>,
    /// naming the trap, its pc and the function it is in.
    /// </summary>
    public static MachineWitness Witness(MachineProgram program, ReadOnlyMemory<byte> input, ulong maxCycles = MachineLayout.MaxCycles, Action<ProvingStage>? mark = null)
    {
        var harvard = program.Program;
        using var trace = Interpreter.Record(harvard, input, new ExecutionOptions { MaxCycles = Math.Min(maxCycles, MachineLayout.MaxCycles) });
        var result = trace.Result;
        if (result.Trap is { } trap)
        {
            string where = Symbolize(program, trap.Pc);
            string limit = trap.Cause == TrapCause.CycleLimit && maxCycles >= MachineLayout.MaxCycles
                ? $"; one proof covers at most {MachineLayout.MaxCycles} cycles" : "";
            throw new ZkVmException(MachineErrors.NotHalted, $"the guest did not halt ({trap.Code}): {trap.Message}{where}{limit}");
        }
        mark?.Invoke(ProvingStage.Execute);

        var chunks = new List<ExecutionRecord>[trace.Checkpoints.Count];
        Parallel.For(0, chunks.Length, i =>
        {
            var (start, log, cycles) = trace.Chunk(i);
            chunks[i] = ReExecutor.ReExecute(harvard, start, log, cycles);
        });
        var records = new ExecutionRecord[(int)result.Cycles];
        int at = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(records, at);
            at += chunk.Count;
        }
        mark?.Invoke(ProvingStage.ReExecute);

        var witness = MemoryTimeline.Build(program, records, input);
        mark?.Invoke(ProvingStage.Memory);
        return witness;
    }

    static string Symbolize(MachineProgram program, uint pc)
    {
        var symbol = program.Program.Symbols.Where(s => s.IsFunction && s.Value <= pc).MaxBy(s => s.Value);
        return symbol is null ? "" : $" ({symbol.Name}+0x{pc - symbol.Value:x})";
    }
}
