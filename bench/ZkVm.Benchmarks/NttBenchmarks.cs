using BenchmarkDotNet.Attributes;
using ZkVm.Field;

namespace ZkVm.Benchmarks;

/// <summary>Coset LDE, blowup 2, of a 2^20 × 16 trace: the workload of <c>zkvm bench primitives</c>.</summary>
public class NttBenchmarks
{
    private RowMajorMatrix trace = null!;

    [Params(16, 20)]
    public int LogRows { get; set; }

    [GlobalSetup]
    public void Setup() => trace = RowMajorMatrix.Random(16, 1 << LogRows, new Random(1));

    [Benchmark]
    public RowMajorMatrix CosetLde() => Ntt.CosetLde(trace, 1, BabyBear.Generator);

    [Benchmark]
    public RowMajorMatrix CosetLdeScalar() => Ntt.CosetLde(trace, 1, BabyBear.Generator, PackingKind.Scalar);
}
