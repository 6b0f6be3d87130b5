using System.Diagnostics;
using ZkVm.Host;
using ZkVm.Stark.Proving;
using ZkVm.Toolchain;
using ZkVm.Stark.Security;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// The measurement behind <c>zkvm bench prover</c>: samples/fibonacci (built with <see cref="GuestCompiler"/>
/// at -O2) is given an n that makes about 2^k cycles, for each k asked; each run is proven once and the
/// receipt read back and verified. Reports cycles, shards, prove seconds, kHz, the process's peak working set
/// (monotonic: it covers every run so far), proof and receipt sizes, verify milliseconds and the time per phase.
/// </summary>
public static class ProverBenchmark
{
    /// <summary>samples/fibonacci/main.c above the current directory or the tool's own folder.</summary>
    public static string? FindFibonacciSource()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "samples", "fibonacci", "main.c");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public static IReadOnlyList<IReadOnlyList<(string Name, double Value)>> Run(string source, IReadOnlyList<int> logCycles, SecurityPreset preset, ulong shardCycles, Action<string> progress)
    {
        string dir = Directory.CreateTempSubdirectory("zkvm-bench-prover-").FullName;
        try
        {
            string elf = Path.Combine(dir, "fibonacci.elf");
            progress($"compiling {source} (-O2)");
            GuestCompiler.Compile([source], elf, "2");
            var program = ZkProgram.Load(elf);

            // cycles(n) = fixed + n · per-iteration, measured on the emulator.
            ulong c1 = Cycles(program, 1000), c2 = Cycles(program, 2000);
            double perIteration = (c2 - c1) / 1000.0, fixedCycles = c1 - 1000 * perIteration;

            var runs = new List<IReadOnlyList<(string, double)>>();
            foreach (int log in logCycles)
            {
                uint n = (uint)Math.Max(1, Math.Round(((1L << log) - fixedCycles) / perIteration));
                byte[] input = BitConverter.GetBytes(n);
                progress($"proving fibonacci({n}) ≈ 2^{log} cycles ({preset}, shards of {shardCycles} cycles, {Environment.ProcessorCount} cores)");
                var clock = Stopwatch.StartNew();
                var receipt = program.Prove(input, new ProverOptions { Preset = preset, ShardCycles = shardCycles, MaxCycles = ProverOptions.MaxCyclesPerProof },
                    new Progress<ProofProgress>(p => { if (p.Shards > 0) progress($"{p.Stage} shard {p.Shard}/{p.Shards}"); }));
                double proveSeconds = clock.Elapsed.TotalSeconds;
                long peak = Process.GetCurrentProcess().PeakWorkingSet64;
                byte[] bytes = receipt.ToBytes();
                progress("verifying");
                var read = Receipt.Read(bytes);
                clock.Restart();
                read.Verify(program.ImageId);
                double verifyMs = clock.Elapsed.TotalMilliseconds;

                var results = new List<(string, double)>
                {
                    ("log_cycles_target", log),
                    ("n", n),
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
                results.Add(("receipt_bytes", bytes.Length));
                results.Add(("verify_ms", verifyMs));
                runs.Add(results);
            }
            return runs;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static ulong Cycles(ZkProgram program, uint n)
    {
        var run = program.Execute(BitConverter.GetBytes(n));
        if (!run.Succeeded) throw run.Trap?.ToException() ?? new ZkVmException("ZK5001", $"fibonacci({n}) exited with {run.ExitCode}");
        return run.Cycles;
    }
}
