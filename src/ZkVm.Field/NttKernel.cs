using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace ZkVm.Field;

/// <summary>One radix-2 butterfly on a pair of values with twiddle w, for any packed type.</summary>
internal interface IButterfly
{
    static abstract (T, T) Apply<T>(T a, T b, T w) where T : unmanaged, IPackedField<T>;
}

/// <summary>Decimation in time: (a, b) ← (a + w·b, a − w·b).</summary>
internal struct DitButterfly : IButterfly
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T, T) Apply<T>(T a, T b, T w) where T : unmanaged, IPackedField<T>
    {
        T y = b * w;
        return (a + y, a - y);
    }
}

/// <summary>Decimation in frequency: (a, b) ← (a + b, (a − b)·w).</summary>
internal struct DifButterfly : IButterfly
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T, T) Apply<T>(T a, T b, T w) where T : unmanaged, IPackedField<T> => (a + b, (a - b) * w);
}

/// <summary>
/// The butterfly loops of <see cref="Ntt"/>, specialised by the JIT for each packed type; a butterfly
/// combines two whole rows, vectorised across the columns. The layers of small half-size run block by
/// block while a block sits in the L2 cache; the larger layers run up to four at a time in one pass
/// over memory. Blocks and groups are spread over the cores.
/// </summary>
internal static class NttKernel<TP> where TP : unmanaged, IPackedField<TP>
{
    /// <summary>Blocks of at most this many elements (1 MiB) are transformed layer by layer in cache.</summary>
    private const int CacheBlockElements = 1 << 18;
    /// <summary>Layers merged into one pass over memory above the cache-block size (2^4 = 16 rows per group).</summary>
    private const int MaxLayersPerPass = 4;

    /// <summary>
    /// Decimation in time on all 2^logSize rows: bit-reversed input → natural output, skipping the
    /// layers of half-size below 2^logFrom (the caller has applied them).
    /// </summary>
    public static void Dit(BabyBear[] data, int width, int logSize, int logFrom, BabyBear[] twiddles)
    {
        if (logSize <= logFrom) return;
        int logBlock = CacheBlockLog(width, logSize);
        if (logFrom < logBlock)
            InCacheBlocks<DitButterfly>(data, width, logSize, logBlock, logFrom, ascending: true, twiddles);
        for (int first = Math.Max(logFrom, logBlock); first < logSize; first += MaxLayersPerPass)
            MultiLayerPass<DitButterfly>(data, width, logSize, first, Math.Min(MaxLayersPerPass, logSize - first), ascending: true, twiddles);
    }

    /// <summary>Decimation in frequency on all 2^logSize rows: natural input → bit-reversed output.</summary>
    public static void Dif(BabyBear[] data, int width, int logSize, BabyBear[] twiddles)
    {
        if (logSize == 0) return;
        int logBlock = CacheBlockLog(width, logSize);
        for (int top = logSize; top > logBlock; top -= MaxLayersPerPass)
        {
            int layers = Math.Min(MaxLayersPerPass, top - logBlock);
            MultiLayerPass<DifButterfly>(data, width, logSize, top - layers, layers, ascending: false, twiddles);
        }
        InCacheBlocks<DifButterfly>(data, width, logSize, logBlock, 0, ascending: false, twiddles);
    }

    /// <summary>log₂ of the rows in a block of at most <see cref="CacheBlockElements"/> elements (at least 1 row).</summary>
    private static int CacheBlockLog(int width, int logSize)
    {
        int rows = Math.Max(1, CacheBlockElements / width);
        return Math.Min(logSize, System.Numerics.BitOperations.Log2((uint)rows));
    }

    /// <summary>Layers of half-size 2^logFrom … 2^(logBlock−1), each block of 2^logBlock rows to completion.</summary>
    private static void InCacheBlocks<TB>(BabyBear[] data, int width, int logSize, int logBlock, int logFrom, bool ascending, BabyBear[] twiddles)
        where TB : struct, IButterfly
    {
        ParallelRanges.For(1 << (logSize - logBlock), width << logBlock, (from, to) =>
        {
            for (int b = from; b < to; b++)
                for (int step = 0; step < logBlock - logFrom; step++)
                {
                    int logHalf = ascending ? logFrom + step : logBlock - 1 - step;
                    Layer<TB>(data, width, b << logBlock, (b + 1) << logBlock, 1 << logHalf, twiddles);
                }
        });
    }

    /// <summary>
    /// One layer over rows [from, to): in every block of 2·half rows, butterflies between rows
    /// block + j and block + half + j with twiddle ω_{2·half}^j, j &lt; half.
    /// </summary>
    private static void Layer<TB>(BabyBear[] data, int width, int from, int to, int half, BabyBear[] twiddles) where TB : struct, IButterfly
    {
        ref BabyBear origin = ref data[0];
        ref BabyBear roots = ref twiddles[half];
        int tail = width % TP.Width;
        bool overlap = tail != 0 && width >= TP.Width;
        for (int block = from; block < to; block += 2 * half)
            for (int j = 0; j < half; j++)
            {
                ref BabyBear a = ref Unsafe.Add(ref origin, (block + j) * width);
                ref BabyBear b = ref Unsafe.Add(ref a, half * width);
                BabyBear w = Unsafe.Add(ref roots, j);
                TP wp = TP.Broadcast(w);
                // The last columns as one vector that overlaps the packed ones, from the values before this layer.
                TP tailX = default, tailY = default;
                if (overlap) (tailX, tailY) = TB.Apply(TP.Load(ref Unsafe.Add(ref a, width - TP.Width)), TP.Load(ref Unsafe.Add(ref b, width - TP.Width)), wp);
                int c = 0;
                for (; c <= width - TP.Width; c += TP.Width)
                {
                    var (x, y) = TB.Apply(TP.Load(ref Unsafe.Add(ref a, c)), TP.Load(ref Unsafe.Add(ref b, c)), wp);
                    TP.Store(ref Unsafe.Add(ref a, c), x);
                    TP.Store(ref Unsafe.Add(ref b, c), y);
                }
                if (overlap)
                {
                    TP.StoreLast(ref Unsafe.Add(ref a, width - TP.Width), tailX, tail);
                    TP.StoreLast(ref Unsafe.Add(ref b, width - TP.Width), tailY, tail);
                    continue;
                }
                for (; c < width; c++)
                    (Unsafe.Add(ref a, c), Unsafe.Add(ref b, c)) = TB.Apply(Unsafe.Add(ref a, c), Unsafe.Add(ref b, c), w);
            }
    }

    /// <summary>
    /// Applies the layers of half-size 2^first … 2^(first+count−1) in one pass. Rows j0 + t·2^first
    /// (t &lt; 2^count) of each super-block of 2^(first+count) rows only meet each other in these layers,
    /// so each such group of 2^count rows is loaded once, transformed, and stored.
    /// The butterfly of layer m between t and t + 2^m uses ω_{2h}^(j0 + (t mod 2^m)·2^first), h = 2^(first+m).
    /// </summary>
    private static void MultiLayerPass<TB>(BabyBear[] data, int width, int logSize, int first, int count, bool ascending, BabyBear[] twiddles)
        where TB : struct, IButterfly
    {
        int stride = 1 << first, groupRows = 1 << count;
        int groups = (1 << (logSize - first - count)) * stride;
        ParallelRanges.For(groups, width << count, (from, to) =>
        {
            Span<TP> rows = stackalloc TP[groupRows], tailRows = stackalloc TP[groupRows];
            Span<BabyBear> scalarRows = stackalloc BabyBear[groupRows];
            int tail = width % TP.Width;
            bool overlap = tail != 0 && width >= TP.Width;
            Span<BabyBear> factors = stackalloc BabyBear[count * groupRows / 2];
            Span<TP> packedFactors = stackalloc TP[factors.Length];
            ref BabyBear origin = ref data[0];
            for (int g = from; g < to; g++)
            {
                int j0 = g & (stride - 1);
                int baseRow = ((g >> first) << (first + count)) + j0;
                for (int m = 0, f = 0; m < count; m++)
                    for (int t = 0; t < groupRows; t++)
                        if ((t & (1 << m)) == 0)
                        {
                            factors[f] = twiddles[(1 << (first + m)) + j0 + ((t & ((1 << m) - 1)) << first)];
                            packedFactors[f] = TP.Broadcast(factors[f]);
                            f++;
                        }
                // The last columns as one vector that overlaps the packed ones, transformed before those are written.
                if (overlap)
                {
                    for (int t = 0; t < groupRows; t++) tailRows[t] = TP.Load(ref Unsafe.Add(ref origin, (baseRow + (t << first)) * width + width - TP.Width));
                    GroupButterflies<TB, TP>(tailRows, packedFactors, count, ascending);
                }
                int c = 0;
                for (; c <= width - TP.Width; c += TP.Width)
                {
                    for (int t = 0; t < groupRows; t++) rows[t] = TP.Load(ref Unsafe.Add(ref origin, (baseRow + (t << first)) * width + c));
                    GroupButterflies<TB, TP>(rows, packedFactors, count, ascending);
                    for (int t = 0; t < groupRows; t++) TP.Store(ref Unsafe.Add(ref origin, (baseRow + (t << first)) * width + c), rows[t]);
                }
                if (overlap)
                {
                    for (int t = 0; t < groupRows; t++) TP.StoreLast(ref Unsafe.Add(ref origin, (baseRow + (t << first)) * width + width - TP.Width), tailRows[t], tail);
                    continue;
                }
                for (; c < width; c++)
                {
                    for (int t = 0; t < groupRows; t++) scalarRows[t] = Unsafe.Add(ref origin, (baseRow + (t << first)) * width + c);
                    GroupButterflies<TB, BabyBear>(scalarRows, factors, count, ascending);
                    for (int t = 0; t < groupRows; t++) Unsafe.Add(ref origin, (baseRow + (t << first)) * width + c) = scalarRows[t];
                }
            }
        });
    }

    /// <summary>The layers of one group; factors are listed layer by layer, pairs in increasing t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GroupButterflies<TB, T>(Span<T> rows, ReadOnlySpan<T> factors, int count, bool ascending)
        where TB : struct, IButterfly where T : unmanaged, IPackedField<T>
    {
        int n = rows.Length;
        for (int step = 0; step < count; step++)
        {
            int m = ascending ? step : count - 1 - step;
            int f = m * (n / 2), bit = 1 << m;
            for (int t = 0; t < n; t++)
                if ((t & bit) == 0)
                    (rows[t], rows[t + bit]) = TB.Apply(rows[t], rows[t + bit], factors[f++]);
        }
    }

    public static void BitReverseRows(BabyBear[] data, int width, int logN)
    {
        if (logN == 0) return;
        int n = 1 << logN;
        Span<BabyBear> all = data;
        Span<BabyBear> temp = width <= 1024 ? stackalloc BabyBear[width] : new BabyBear[width];
        for (int i = 0; i < n; i++)
        {
            int j = BitReversal.Reverse(i, logN);
            if (i < j)
            {
                Span<BabyBear> a = all.Slice(i * width, width), b = all.Slice(j * width, width);
                a.CopyTo(temp);
                b.CopyTo(a);
                temp.CopyTo(b);
            }
        }
    }

    public static void ScaleAll(BabyBear[] data, BabyBear factor)
    {
        TP f = TP.Broadcast(factor);
        ref BabyBear origin = ref data[0];
        int i = 0;
        for (; i <= data.Length - TP.Width; i += TP.Width)
            TP.Store(ref Unsafe.Add(ref origin, i), TP.Load(ref Unsafe.Add(ref origin, i)) * f);
        for (; i < data.Length; i++) data[i] *= factor;
    }

    /// <summary>Row i of natural-order coefficients times shift^i / n, written to row i of the output.</summary>
    public static void ScaleRows(BabyBear[] coefficients, BabyBear[] output, int width, int logN, BabyBear shift)
    {
        int n = 1 << logN;
        var factors = new BabyBear[n];
        FieldMath.Powers(shift, factors);
        BabyBear nInv = BabyBear.FromCanonical((uint)n).Inverse();
        ParallelRanges.For(n, width, (from, to) =>
        {
            for (int i = from; i < to; i++)
            {
                BabyBear factor = factors[i] * nInv;
                TP f = TP.Broadcast(factor);
                ref BabyBear src = ref coefficients[i * width];
                ref BabyBear dst = ref output[i * width];
                int c = 0;
                for (; c <= width - TP.Width; c += TP.Width)
                    TP.Store(ref Unsafe.Add(ref dst, c), TP.Load(ref Unsafe.Add(ref src, c)) * f);
                for (; c < width; c++) Unsafe.Add(ref dst, c) = Unsafe.Add(ref src, c) * factor;
            }
        });
    }

    /// <summary>
    /// Row k of the bit-reversed coefficients (coefficient index i = bitrev(k)) is multiplied by
    /// shift^i / n and written to the 2^logBlowup rows starting at k·2^logBlowup of the output.
    /// </summary>
    public static void ScaleSpread(BabyBear[] coefficients, BabyBear[] output, int width, int logN, int logBlowup, BabyBear shift)
    {
        int n = 1 << logN, copies = 1 << logBlowup;
        var factors = new BabyBear[n];
        BabyBear nInv = BabyBear.FromCanonical((uint)n).Inverse();
        FieldMath.Powers(shift, factors);
        ParallelRanges.For(n, width, (from, to) =>
        {
            for (int k = from; k < to; k++)
            {
                int i = BitReversal.Reverse(k, logN);
                TP f = TP.Broadcast(factors[i] * nInv);
                ref BabyBear src = ref coefficients[k * width];
                ref BabyBear dst = ref output[k * copies * width];
                int c = 0;
                for (; c <= width - TP.Width; c += TP.Width)
                {
                    TP v = TP.Load(ref Unsafe.Add(ref src, c)) * f;
                    for (int r = 0; r < copies; r++) TP.Store(ref Unsafe.Add(ref dst, r * width + c), v);
                }
                for (; c < width; c++)
                {
                    BabyBear v = Unsafe.Add(ref src, c) * (factors[i] * nInv);
                    for (int r = 0; r < copies; r++) Unsafe.Add(ref dst, r * width + c) = v;
                }
            }
        });
    }
}
