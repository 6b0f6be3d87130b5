using BenchmarkDotNet.Attributes;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Proving;

namespace ZkVm.Benchmarks;

/// <summary>
/// A chip-like table for the prover's kernels: 64 columns, 63 degree-3 constraints of the form a·(a − 1)·b, and 16
/// sends of column pairs on one bus (the machine's byte and range lookups have this shape).
/// </summary>
public sealed class KernelAir : IAir
{
    public const int Width = 64;
    static readonly Bus Pairs = new(7, "pairs");

    public string Name => "kernel";
    public int MainWidth => Width;

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        for (int c = 0; c + 1 < Width; c++)
            b.AssertZero(b.Main(c) * (b.Main(c) - TE.From(1)) * b.Main(c + 1));
        for (int c = 0; c < 32; c += 2)
            b.Send(Pairs, b.Main(c), b.Main(c + 32), b.Main(c + 33));
    }

    /// <summary>A trace whose constraints hold: columns of 0s and 1s.</summary>
    public static TableTrace Trace(int logHeight)
    {
        var random = new Random(5);
        var main = new RowMajorMatrix(Width, 1 << logHeight);
        for (int i = 0; i < main.Values.Length; i++) main.Values[i] = BabyBear.FromCanonical((uint)random.Next(2));
        return new TableTrace(new KernelAir(), main);
    }
}

/// <summary>The LogUp interaction pass over a 2^16-row <see cref="KernelAir"/>: packed, scalar (the same kernel one lane wide) and the per-row reference.</summary>
public class LogUpKernelBenchmarks
{
    private TableTrace table = null!;
    private LogUpLayout layout = null!;
    private readonly LogUpChallenges challenges = new(new BabyBearExt4(BabyBear.FromCanonical(3), BabyBear.FromCanonical(5), BabyBear.One, BabyBear.Zero), BabyBear.FromCanonical(7));

    [GlobalSetup]
    public void Setup()
    {
        table = KernelAir.Trace(16);
        layout = LogUpLayout.For(AirShape.ForAir(table.Air));
    }

    [Benchmark(Baseline = true)]
    public BabyBearExt4 Packed() => LogUpTrace.Build(table, layout, challenges, Packing.Best).CumulativeSum;

    [Benchmark]
    public BabyBearExt4 Scalar() => LogUpTrace.Build(table, layout, challenges, PackingKind.Scalar).CumulativeSum;

    [Benchmark]
    public BabyBearExt4 Reference() => LogUpTrace.BuildReference(table, layout, challenges).CumulativeSum;
}

/// <summary>
/// The quotient kernel over a 2^16-row <see cref="KernelAir"/> (2^17 quotient rows): packed and scalar over the whole
/// domain, and the generic per-row reference over 1/64 of it (multiply its time by 64 to compare).
/// </summary>
public class QuotientKernelBenchmarks
{
    private TableData table = null!;
    private BabyBearExt4 cumulativeSum;
    private readonly LogUpChallenges challenges = new(new BabyBearExt4(BabyBear.FromCanonical(3), BabyBear.FromCanonical(5), BabyBear.One, BabyBear.Zero), BabyBear.FromCanonical(7));
    private readonly BabyBearExt4 alpha = new(BabyBear.FromCanonical(11), BabyBear.FromCanonical(13), BabyBear.Zero, BabyBear.One);

    private QuotientDomain domain = null!;

    [GlobalSetup]
    public void Setup()
    {
        table = TableData.BeforeQuotient(KernelAir.Trace(16), challenges, 1, out cumulativeSum);
        domain = new QuotientDomain(16);
    }

    [Benchmark(Baseline = true)]
    public RowMajorMatrix Packed() => StarkProver.QuotientOnDomain(table, domain, alpha, challenges, cumulativeSum, Packing.Best, out _);

    [Benchmark]
    public RowMajorMatrix Scalar() => StarkProver.QuotientOnDomain(table, domain, alpha, challenges, cumulativeSum, PackingKind.Scalar, out _);

    [Benchmark]
    public BabyBearExt4 ReferenceOneIn64()
    {
        BabyBearExt4 sum = BabyBearExt4.Zero;
        for (int row = 0; row < 2 << 16; row += 64) sum += StarkProver.QuotientReference(table, domain, alpha, challenges, cumulativeSum, row);
        return sum;
    }
}
