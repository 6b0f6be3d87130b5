using System.Diagnostics;
using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// The measurements behind <c>zkvm bench primitives</c>: each workload runs a few times after a warm-up
/// and the median is reported, because these machines are noisy.
/// </summary>
public static class PrimitiveBenchmarks
{
    public const int NttLogRows = 20, NttColumns = 16, NttLogBlowup = 1;
    public const int MerkleLogRows = 20, MerkleColumns = 64;

    public static IReadOnlyList<(string Name, double Value)> Run(int repetitions, Action<string> progress)
    {
        var results = new List<(string, double)>();
        progress($"packed BabyBear multiplication ({Packing.Best}, one core)");
        results.Add(("babybear_mul_per_s", Median(repetitions, () => MulThroughput())));

        progress($"coset LDE of 2^{NttLogRows} rows × {NttColumns} columns, blowup {1 << NttLogBlowup}, {Environment.ProcessorCount} cores");
        var trace = RowMajorMatrix.Random(NttColumns, 1 << NttLogRows, new Random(1));
        long ldeElements = (long)trace.Values.Length << NttLogBlowup;
        results.Add(("ntt_elements_per_s", Median(repetitions, () => ldeElements / Time(() => Ntt.CosetLde(trace, NttLogBlowup, BabyBear.Generator)))));
        trace = null;

        progress($"Poseidon2 permutations ({Packing.Best}, one core)");
        results.Add(("poseidon2_perm_per_s_core", Median(repetitions, () => PermutationThroughput())));

        progress($"Merkle commitment of 2^{MerkleLogRows} rows × {MerkleColumns} columns, {Environment.ProcessorCount} cores");
        var leaves = RowMajorMatrix.Random(MerkleColumns, 1 << MerkleLogRows, new Random(2));
        long bytes = (long)leaves.Values.Length * sizeof(uint);
        results.Add(("merkle_leaf_bytes_per_s", Median(repetitions, () => bytes / Time(() => MerkleTree.Commit([leaves])))));
        return results;
    }

    private static double Median(int repetitions, Func<double> measure)
    {
        measure(); // warm-up: JIT tiers, page faults, thread pool
        var values = Enumerable.Range(0, repetitions).Select(_ => measure()).Order().ToArray();
        return values[values.Length / 2];
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    public static double MulThroughput()
    {
        var op = new MulLoop();
        Packing.Run(Packing.Best, op);
        return op.PerSecond;
    }

    public static double PermutationThroughput()
    {
        var op = new PermutationLoop();
        Packing.Run(Packing.Best, op);
        return op.PerSecond;
    }

    /// <summary>Eight independent chains of products, so throughput rather than latency is measured.</summary>
    private sealed class MulLoop : IPackedOperation
    {
        public double PerSecond;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            const int iterations = 4_000_000;
            TP y = TP.Broadcast(BabyBear.FromCanonical(0x1234_5678));
            TP a0 = TP.Broadcast(BabyBear.FromCanonical(1)), a1 = TP.Broadcast(BabyBear.FromCanonical(2)),
               a2 = TP.Broadcast(BabyBear.FromCanonical(3)), a3 = TP.Broadcast(BabyBear.FromCanonical(4)),
               a4 = TP.Broadcast(BabyBear.FromCanonical(5)), a5 = TP.Broadcast(BabyBear.FromCanonical(6)),
               a6 = TP.Broadcast(BabyBear.FromCanonical(7)), a7 = TP.Broadcast(BabyBear.FromCanonical(8));
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < iterations; i++)
            {
                a0 *= y; a1 *= y; a2 *= y; a3 *= y; a4 *= y; a5 *= y; a6 *= y; a7 *= y;
            }
            double seconds = sw.Elapsed.TotalSeconds;
            Sink = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7);
            PerSecond = 8.0 * iterations * TP.Width / seconds;
        }

        /// <summary>Keeps the products alive so the loop cannot be removed.</summary>
        private object? Sink;
    }

    private sealed class PermutationLoop : IPackedOperation
    {
        public double PerSecond;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            const int calls = 100_000;
            Poseidon2State<TP> state = default;
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) Poseidon2<TP>.Permute(ref state);
            PerSecond = (double)calls * TP.Width / sw.Elapsed.TotalSeconds;
        }
    }
}
