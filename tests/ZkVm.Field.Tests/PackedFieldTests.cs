using ZkVm.Field;

namespace ZkVm.Field.Tests;

public class PackedFieldTests
{
    /// <summary>Only packings this CPU runs are listed; the CI machine has AVX-512, so all three run there.</summary>
    public static TheoryData<PackingKind> Packings() => [.. Packing.Supported];

    [Theory]
    [MemberData(nameof(Packings))]
    public void Every_packed_operation_equals_the_scalar_one(PackingKind kind)
    {
        switch (kind)
        {
            case PackingKind.Avx512: Check<PackedBabyBearAvx512>(); break;
            case PackingKind.Avx2: Check<PackedBabyBearAvx2>(); break;
            default: Check<BabyBear>(); break;
        }
    }

    private static void Check<TP>() where TP : unmanaged, IPackedField<TP>
    {
        var r = new Random(20);
        int w = TP.Width;
        var a = new BabyBear[w];
        var b = new BabyBear[w];
        var o = new BabyBear[w];
        for (int iter = 0; iter < 20_000; iter++)
        {
            for (int i = 0; i < w; i++) { a[i] = Rand.EdgeBiased(r); b[i] = Rand.EdgeBiased(r); }
            TP pa = TP.Load(ref a[0]), pb = TP.Load(ref b[0]);
            TP.Store(ref o[0], pa + pb);
            for (int i = 0; i < w; i++) Assert.Equal(a[i] + b[i], o[i]);
            TP.Store(ref o[0], pa - pb);
            for (int i = 0; i < w; i++) Assert.Equal(a[i] - b[i], o[i]);
            TP.Store(ref o[0], pa * pb);
            for (int i = 0; i < w; i++) Assert.Equal(a[i] * b[i], o[i]);
            TP.Store(ref o[0], TP.Halve(pa));
            for (int i = 0; i < w; i++) Assert.Equal(a[i].Halve(), o[i]);
            TP.Store(ref o[0], pa * TP.Broadcast(b[0]));
            for (int i = 0; i < w; i++) Assert.Equal(a[i] * b[0], o[i]);
            // Only the last `count` lanes are written; the others keep b's values.
            int count = iter % (w + 1);
            b.CopyTo(o, 0);
            TP.StoreLast(ref o[0], pa, count);
            for (int i = 0; i < w; i++) Assert.Equal(i >= w - count ? a[i] : b[i], o[i]);
        }
    }
}
