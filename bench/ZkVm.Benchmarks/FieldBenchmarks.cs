using BenchmarkDotNet.Attributes;
using ZkVm.Field;

namespace ZkVm.Benchmarks;

/// <summary>Packed Montgomery multiplication throughput: 8 independent chains of 1,000 products per invocation.</summary>
public class FieldBenchmarks
{
    private const int Steps = 1000;
    private readonly PackedBabyBearAvx512[] avx512 = new PackedBabyBearAvx512[8];
    private readonly PackedBabyBearAvx2[] avx2 = new PackedBabyBearAvx2[8];
    private readonly BabyBear[] scalar = new BabyBear[8];

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < 8; i++)
        {
            var x = BabyBear.FromCanonical((uint)i + 2);
            scalar[i] = x;
            if (Packing.IsSupported(PackingKind.Avx2)) avx2[i] = PackedBabyBearAvx2.Broadcast(x);
            if (Packing.IsSupported(PackingKind.Avx512)) avx512[i] = PackedBabyBearAvx512.Broadcast(x);
        }
    }

    [Benchmark(OperationsPerInvoke = 8 * Steps * 16)]
    public void MulAvx512() => Chains(avx512);

    [Benchmark(OperationsPerInvoke = 8 * Steps * 8)]
    public void MulAvx2() => Chains(avx2);

    [Benchmark(OperationsPerInvoke = 8 * Steps, Baseline = true)]
    public void MulScalar() => Chains(scalar);

    private static void Chains<TP>(TP[] a) where TP : unmanaged, IPackedField<TP>
    {
        TP y = TP.Broadcast(BabyBear.FromCanonical(0x1234_5678));
        TP a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
        for (int i = 0; i < Steps; i++)
        {
            a0 *= y; a1 *= y; a2 *= y; a3 *= y; a4 *= y; a5 *= y; a6 *= y; a7 *= y;
        }
        a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4; a[5] = a5; a[6] = a6; a[7] = a7;
    }
}
