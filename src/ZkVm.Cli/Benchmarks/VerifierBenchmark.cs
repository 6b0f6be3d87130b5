using System.Diagnostics;
using ZkVm.Machine;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// One <see cref="Verifier"/> shared by <c>threads</c> threads, each verifying the same receipt <c>count</c> times from its bytes,
/// all started together: the first call (which builds the verification key while the others wait on it or build it too) and
/// the wall-clock time of every later call. On fewer cores than threads the calls share them, so a call's time is its share.
/// </summary>
static class VerifierBenchmark
{
    public static IReadOnlyList<(string Name, double Value)> Run(Verifier verifier, byte[] receipt, ImageId expected, int threads, int count)
    {
        var times = new double[threads][];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            times[t] = new double[count];
            start.SignalAndWait();
            for (int i = 0; i < count; i++)
            {
                long begin = Stopwatch.GetTimestamp();
                verifier.Verify(receipt, expected);
                times[t][i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }
        })).ToList();
        var wall = Stopwatch.StartNew();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        double total = wall.Elapsed.TotalMilliseconds;
        var firsts = times.Select(t => t[0]).Order().ToArray();
        var later = times.SelectMany(t => t.Skip(1)).Order().ToArray();
        double Quantile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
        return
        [
            ("threads", threads),
            ("verifications", threads * count),
            ("cores", Environment.ProcessorCount),
            ("first_ms_fastest", firsts[0]),
            ("first_ms_slowest", firsts[^1]),
            ("later_ms_median", Quantile(later, 0.5)),
            ("later_ms_p90", Quantile(later, 0.9)),
            ("later_ms_max", later.Length == 0 ? 0 : later[^1]),
            ("wall_ms", total),
            ("verifications_per_s", threads * count / (total / 1000)),
        ];
    }
}
