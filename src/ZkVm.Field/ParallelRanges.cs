namespace ZkVm.Field;

/// <summary>Loops over [0, count) split into contiguous ranges, on every core when the work is large enough to pay for it.</summary>
public static class ParallelRanges
{
    /// <summary>Below this many elements a loop stays on one core.</summary>
    public const int ParallelElements = 1 << 16;

    /// <summary>A range holds at most about this many elements (when the loop has enough indices), so that a cancelled
    /// proof (<see cref="Kernels"/>) waits for at most a few milliseconds of one range.</summary>
    public const int RangeElements = 1 << 20;

    /// <param name="elementsPerItem">The work of one index, in field elements, for the threshold.</param>
    public static void For(int count, int elementsPerItem, Action<int, int> body)
    {
        long work = (long)count * elementsPerItem;
        int chunks = work >= ParallelElements ? (int)Math.Min(count, Math.Max(4 * Environment.ProcessorCount, work / RangeElements)) : 1;
        if (chunks <= 1)
        {
            Kernels.ThrowIfCancelled();
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, Kernels.Options, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
