using System.Buffers;

namespace ZkVm.Field;

public readonly partial struct BabyBearExt4
{
    /// <summary>
    /// <see cref="InverseDifferences(ReadOnlySpan{BabyBear}, BabyBearExt4, Span{BabyBearExt4})"/> with the packing of
    /// <paramref name="packing"/>: the same values, TP.Width points per instruction.
    /// </summary>
    public static void InverseDifferences(ReadOnlySpan<BabyBear> points, BabyBearExt4 z, Span<BabyBearExt4> inverses, PackingKind packing)
    {
        Packing.EnsureSupported(packing);
        switch (packing)
        {
            case PackingKind.Avx512: InverseDifferences<PackedBabyBearAvx512>(points, z, inverses); break;
            case PackingKind.Avx2: InverseDifferences<PackedBabyBearAvx2>(points, z, inverses); break;
            default: InverseDifferences(points, z, inverses); break;
        }
    }

    /// <summary>
    /// The packed form of <see cref="InverseDifferences(ReadOnlySpan{BabyBear}, BabyBearExt4, Span{BabyBearExt4})"/>: each
    /// lane keeps its own chain of prefix products of N(x), the lanes' totals are inverted one by one, and Q(x) is
    /// evaluated part by part (its X³ term lies in part 0 only). Points past the last whole vector go the scalar way.
    /// </summary>
    private static void InverseDifferences<TP>(ReadOnlySpan<BabyBear> points, BabyBearExt4 z, Span<BabyBearExt4> inverses) where TP : unmanaged, IPackedField<TP>
    {
        if (inverses.Length != points.Length) throw new ArgumentException("output length must equal input length", nameof(inverses));
        int width = TP.Width, whole = points.Length / width * width;
        if (whole == 0)
        {
            InverseDifferences(points, z, inverses);
            return;
        }
        var (n0, n1, n2, n3, q0, q1, q2) = NormAndQuotient(z);
        TP N0 = TP.Broadcast(n0), N1 = TP.Broadcast(n1), N2 = TP.Broadcast(n2), N3 = TP.Broadcast(n3);
        TP norm(TP x) => (((x + N3) * x + N2) * x + N1) * x + N0;

        BabyBear[] prefix = ArrayPool<BabyBear>.Shared.Rent(whole);
        try
        {
            TP acc = TP.Broadcast(BabyBear.One);
            for (int v = 0; v < whole; v += width)
            {
                TP.Store(ref prefix[v], acc);
                acc *= norm(TP.Load(in points[v]));
            }
            Span<BabyBear> lanes = stackalloc BabyBear[width];
            TP.Store(ref lanes[0], acc);
            for (int k = 0; k < width; k++)
            {
                // Some N(x) is zero: the scalar method finds the first and names it.
                if (lanes[k].IsZero) InverseDifferences(points, z, inverses);
                lanes[k] = lanes[k].Inverse();
            }
            TP inverse = TP.Load(in lanes[0]);
            TP a0 = TP.Broadcast(q0.C0), a1 = TP.Broadcast(q0.C1), a2 = TP.Broadcast(q0.C2), a3 = TP.Broadcast(q0.C3);
            TP b0 = TP.Broadcast(q1.C0), b1 = TP.Broadcast(q1.C1), b2 = TP.Broadcast(q1.C2), b3 = TP.Broadcast(q1.C3);
            TP c0 = TP.Broadcast(q2.C0), c1 = TP.Broadcast(q2.C1), c2 = TP.Broadcast(q2.C2), c3 = TP.Broadcast(q2.C3);
            Span<BabyBear> parts = stackalloc BabyBear[4 * width];
            for (int v = whole - width; v >= 0; v -= width)
            {
                TP x = TP.Load(in points[v]), nx = norm(x);
                TP nxInverse = TP.Load(in prefix[v]) * inverse;
                inverse *= nx;
                TP.Store(ref parts[0], (((x + c0) * x + b0) * x + a0) * nxInverse);
                TP.Store(ref parts[width], ((c1 * x + b1) * x + a1) * nxInverse);
                TP.Store(ref parts[2 * width], ((c2 * x + b2) * x + a2) * nxInverse);
                TP.Store(ref parts[3 * width], ((c3 * x + b3) * x + a3) * nxInverse);
                for (int k = 0; k < width; k++)
                    inverses[v + k] = new BabyBearExt4(parts[k], parts[width + k], parts[2 * width + k], parts[3 * width + k]);
            }
        }
        finally
        {
            ArrayPool<BabyBear>.Shared.Return(prefix);
        }
        try
        {
            InverseDifferences(points[whole..], z, inverses[whole..]);
        }
        catch (DivideByZeroException)
        {
            InverseDifferences(points, z, inverses); // the tail's own index is off by the whole vectors: name it from the start
        }
    }
}
