using System.Diagnostics;
using ZkVm.Stark.Proving;
using ZkVm.Toolchain;
using ZkVm.Stark.Security;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// The measurement behind <c>zkvm bench prover</c>: each workload's guest (built with <see cref="GuestCompiler"/>
/// at -O2) is given an input that makes about 2^k cycles, for each k asked; each run is proven once and the
/// receipt read back and verified. Reports cycles, shards, prove seconds, kHz, the process's peak working set
/// (monotonic: it covers every run so far), proof and receipt sizes, verify milliseconds (the first in the process, then the steady state: the median of the last twenty of fifty) and the time per phase.
/// </summary>
public static class ProverBenchmark
{
    public static IReadOnlyList<(string Workload, IReadOnlyList<(string Name, double Value)> Values)> Run(IReadOnlyList<(ProverWorkload Workload, string Source)> workloads,
        IReadOnlyList<int> logCycles, SecurityPreset preset, ulong shardCycles, Action<string> progress)
    {
        var runs = new List<(string, IReadOnlyList<(string, double)>)>();
        foreach (var (workload, source) in workloads)
        {
            string dir = Directory.CreateTempSubdirectory("zkvm-bench-prover-").FullName;
            try
            {
                string elf = Path.Combine(dir, workload.Name + ".elf");
                progress($"compiling {source} (-O2)");
                GuestCompiler.Compile([source], elf, "2");
                var program = ZkProgram.Load(elf);
                foreach (int log in logCycles)
                    runs.Add((workload.Name, Prove(program, workload, log, preset, shardCycles, progress)));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        return runs;
    }

    static IReadOnlyList<(string, double)> Prove(ZkProgram program, ProverWorkload workload, int log, SecurityPreset preset, ulong shardCycles, Action<string> progress)
    {
        // A run meant for one shard stays in one shard.
        long target = 1L << log, max = target <= (long)shardCycles ? (long)shardCycles : long.MaxValue;
        long size = workload.SizeFor(target, max, s => (long)Cycles(program, workload, s));
        byte[] input = workload.Input(size);
        progress($"proving {workload.Name}({size}) ≈ 2^{log} cycles ({preset}, shards of {shardCycles} cycles, {Environment.ProcessorCount} cores)");
        var clock = Stopwatch.StartNew();
        var receipt = program.Prove(input, new ProverOptions { Preset = preset, ShardCycles = shardCycles, MaxCycles = ProverOptions.MaxCyclesPerProof },
            new Progress<ProofProgress>(p => { if (p.Shards > 0) progress($"{p.Stage} shard {p.Shard}/{p.Shards}"); }));
        double proveSeconds = clock.Elapsed.TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        byte[] bytes = receipt.ToBytes();
        progress("verifying");
        // The first verification in a process also compiles the verifier's code and caches the fixed columns'
        // root; the figure that matters to a service verifying many receipts is the steady state, once the JIT's
        // tiering has settled. It takes some 30 calls here (sort at 2^20: the median of calls 11–20 is about 65 ms, of
        // calls 21–40 about 43 ms), so the figure is the median of the last twenty of fifty.
        var read = Receipt.Read(bytes);
        // A verifier does not carry a prover's heap: the proof's garbage (gigabytes) is collected before any timing.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        clock.Restart();
        read.Verify(program.ImageId);
        double verifyFirstMs = clock.Elapsed.TotalMilliseconds;
        var warm = new double[50];
        for (int i = 0; i < warm.Length; i++)
        {
            clock.Restart();
            Receipt.Read(bytes).Verify(program.ImageId);
            warm[i] = clock.Elapsed.TotalMilliseconds;
        }
        double[] settled = [.. warm[^20..].Order()];

        var results = new List<(string, double)>
        {
            ("log_cycles_target", log),
            ("n", size),
            ("cycles", receipt.Cycles),
            ("shard_cycles", receipt.ShardCycles),
            ("shards", receipt.Shards.Count),
            ("prove_s", proveSeconds),
            ("khz", receipt.Cycles / proveSeconds / 1000),
        };
        foreach (var (phase, time) in receipt.ProvingPhases)
            results.Add(($"phase_{phase.Replace('-', '_')}_s", time.TotalSeconds));
        foreach (var t in receipt.ProvingTables.Where(t => t.Times.Count > 0))
        {
            string name = t.Table.Replace('-', '_');
            results.Add(($"table_{name}_rows", t.Height));
            results.Add(($"table_{name}_columns", t.MainWidth + t.LogUpWidth));
            foreach (var (phase, time) in t.Times)
                results.Add(($"table_{name}_{phase.Name()}_s", time.TotalSeconds));
        }
        results.Add(("peak_working_set_bytes", peak));
        results.Add(("proof_bytes", receipt.ProofBytes));
        foreach (var part in receipt.Shards.SelectMany(s => s.Proof.PartSizes()).GroupBy(p => p.Part, p => p.Bytes))
            results.Add(($"proof_{part.Key}_bytes", part.Sum()));
        results.Add(("receipt_bytes", bytes.Length));
        results.Add(("verify_first_ms", verifyFirstMs));
        results.Add(("verify_ms", settled[settled.Length / 2]));
        return results;
    }

    static ulong Cycles(ZkProgram program, ProverWorkload workload, long size)
    {
        var run = program.Execute(workload.Input(size));
        if (!run.Succeeded) throw run.Trap?.ToException() ?? new ZkVmException("ZK5001", $"{workload.Name}({size}) exited with {run.ExitCode}");
        return run.Cycles;
    }
}
