using System.Runtime.CompilerServices;

namespace ZkVm.Field;

/// <summary>
/// The butterfly loops of <see cref="Ntt"/>, specialised by the JIT for each packed type. Transforms
/// recurse until a block fits in the L2 cache and then run all its remaining layers there, so only
/// the top layers of a large transform stream through main memory; halves and wide layers are
/// spread over the cores.
/// </summary>
internal static class NttKernel<TP> where TP : unmanaged, IPackedField<TP>
{
    /// <summary>Blocks of at most this many elements (1 MiB) are transformed layer by layer in cache.</summary>
    private const int CacheBlockElements = 1 << 18;
    /// <summary>Below this many elements a piece of work is not worth a task.</summary>
    private const int ParallelElements = 1 << 16;

    /// <summary>
    /// Decimation in time on the rows [start, start + 2^logSize): bit-reversed input → natural
    /// output, skipping the layers of half-size below 2^logFrom (already applied by the caller).
    /// </summary>
    public static void Dit(BabyBear[] data, int width, int start, int logSize, int logFrom, BabyBear[] twiddles)
    {
        if (logSize <= logFrom) return;
        long elements = (long)width << logSize;
        if (elements <= CacheBlockElements || logSize - logFrom == 1)
        {
            for (int logHalf = logFrom; logHalf < logSize; logHalf++)
                for (int block = start; block < start + (1 << logSize); block += 2 << logHalf)
                    DitLayer(data, width, block, 1 << logHalf, 0, 1 << logHalf, twiddles);
            return;
        }
        int half = 1 << (logSize - 1);
        if (elements >= 2 * ParallelElements)
            Parallel.Invoke(
                () => Dit(data, width, start, logSize - 1, logFrom, twiddles),
                () => Dit(data, width, start + half, logSize - 1, logFrom, twiddles));
        else
        {
            Dit(data, width, start, logSize - 1, logFrom, twiddles);
            Dit(data, width, start + half, logSize - 1, logFrom, twiddles);
        }
        ForEachRange(half, width, (from, to) => DitLayer(data, width, start, half, from, to, twiddles));
    }

    /// <summary>Decimation in frequency on rows [start, start + 2^logSize): natural input → bit-reversed output.</summary>
    public static void Dif(BabyBear[] data, int width, int start, int logSize, BabyBear[] twiddles)
    {
        if (logSize == 0) return;
        long elements = (long)width << logSize;
        if (elements <= CacheBlockElements || logSize == 1)
        {
            for (int logHalf = logSize - 1; logHalf >= 0; logHalf--)
                for (int block = start; block < start + (1 << logSize); block += 2 << logHalf)
                    DifLayer(data, width, block, 1 << logHalf, 0, 1 << logHalf, twiddles);
            return;
        }
        int half = 1 << (logSize - 1);
        ForEachRange(half, width, (from, to) => DifLayer(data, width, start, half, from, to, twiddles));
        if (elements >= 2 * ParallelElements)
            Parallel.Invoke(
                () => Dif(data, width, start, logSize - 1, twiddles),
                () => Dif(data, width, start + half, logSize - 1, twiddles));
        else
        {
            Dif(data, width, start, logSize - 1, twiddles);
            Dif(data, width, start + half, logSize - 1, twiddles);
        }
    }

    /// <summary>Runs body over [0, count) split into contiguous ranges, in parallel when large.</summary>
    private static void ForEachRange(int count, int width, Action<int, int> body)
    {
        int chunks = (long)count * width >= ParallelElements ? Math.Min(count, 4 * Environment.ProcessorCount) : 1;
        if (chunks == 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    /// <summary>Butterflies (a, b) ← (a + w·b, a − w·b) for rows block+j and block+half+j, j in [from, to).</summary>
    private static void DitLayer(BabyBear[] data, int width, int block, int half, int from, int to, BabyBear[] twiddles)
    {
        ref BabyBear origin = ref data[0];
        for (int j = from; j < to; j++)
        {
            ref BabyBear a = ref Unsafe.Add(ref origin, (block + j) * width);
            ref BabyBear b = ref Unsafe.Add(ref a, half * width);
            BabyBear w = twiddles[half + j];
            TP wp = TP.Broadcast(w);
            int c = 0;
            for (; c <= width - TP.Width; c += TP.Width)
            {
                TP x = TP.Load(ref Unsafe.Add(ref a, c));
                TP y = TP.Load(ref Unsafe.Add(ref b, c)) * wp;
                TP.Store(ref Unsafe.Add(ref a, c), x + y);
                TP.Store(ref Unsafe.Add(ref b, c), x - y);
            }
            for (; c < width; c++)
            {
                BabyBear x = Unsafe.Add(ref a, c), y = Unsafe.Add(ref b, c) * w;
                Unsafe.Add(ref a, c) = x + y;
                Unsafe.Add(ref b, c) = x - y;
            }
        }
    }

    /// <summary>Butterflies (a, b) ← (a + b, (a − b)·w).</summary>
    private static void DifLayer(BabyBear[] data, int width, int block, int half, int from, int to, BabyBear[] twiddles)
    {
        ref BabyBear origin = ref data[0];
        for (int j = from; j < to; j++)
        {
            ref BabyBear a = ref Unsafe.Add(ref origin, (block + j) * width);
            ref BabyBear b = ref Unsafe.Add(ref a, half * width);
            BabyBear w = twiddles[half + j];
            TP wp = TP.Broadcast(w);
            int c = 0;
            for (; c <= width - TP.Width; c += TP.Width)
            {
                TP x = TP.Load(ref Unsafe.Add(ref a, c));
                TP y = TP.Load(ref Unsafe.Add(ref b, c));
                TP.Store(ref Unsafe.Add(ref a, c), x + y);
                TP.Store(ref Unsafe.Add(ref b, c), (x - y) * wp);
            }
            for (; c < width; c++)
            {
                BabyBear x = Unsafe.Add(ref a, c), y = Unsafe.Add(ref b, c);
                Unsafe.Add(ref a, c) = x + y;
                Unsafe.Add(ref b, c) = (x - y) * w;
            }
        }
    }

    public static void BitReverseRows(BabyBear[] data, int width, int logN)
    {
        if (logN == 0) return;
        int n = 1 << logN;
        Span<BabyBear> all = data;
        for (int i = 0; i < n; i++)
        {
            int j = BitReversal.Reverse(i, logN);
            if (i < j)
            {
                Span<BabyBear> a = all.Slice(i * width, width), b = all.Slice(j * width, width);
                for (int c = 0; c < width; c++) (a[c], b[c]) = (b[c], a[c]);
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
        ForEachRange(n, width, (from, to) =>
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
