using System.Diagnostics;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// The measurement behind <c>zkvm bench stark</c>: one proof of <see cref="SyntheticAir"/>, its phases,
/// the process's peak working set, the proof's size and its verification time.
/// </summary>
public static class StarkBenchmark
{
    public static IReadOnlyList<(string Name, double Value)> Run(int logRows, int columns, SecurityPreset preset, string? proofPath, Action<string> progress)
    {
        progress($"generating a 2^{logRows} × {columns} synthetic trace");
        TableTrace[] tables = [SyntheticAir.Trace(columns, 1 << logRows, seed: 1)];
        progress($"proving ({preset}, {Environment.ProcessorCount} cores)");
        var phases = new ProverPhases();
        var clock = Stopwatch.StartNew();
        StarkProof proof = StarkProver.Prove(tables, SecurityPresets.Parameters(preset), phases: phases);
        double proveSeconds = clock.Elapsed.TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        byte[] bytes = StarkProofFormat.Write(proof);
        if (proofPath is not null) File.WriteAllBytes(proofPath, bytes);
        progress("verifying");
        clock.Restart();
        StarkVerifier.Verify(StarkStatement.For(tables), StarkProofFormat.Read(bytes),
            regime: preset == SecurityPreset.Conjectured100 ? SecurityRegime.Conjectured : SecurityRegime.Proven);
        double verifyMs = clock.Elapsed.TotalMilliseconds;

        var results = new List<(string, double)>
        {
            ("rows", 1 << logRows),
            ("columns", columns),
            ("prove_s", proveSeconds),
        };
        foreach (var (phase, time) in phases.Phases)
            results.Add(($"phase_{phase.Name()}_s", time.TotalSeconds));
        results.Add(("peak_working_set_bytes", peak));
        results.Add(("proof_bytes", bytes.Length));
        results.Add(("verify_ms", verifyMs));
        return results;
    }
}
