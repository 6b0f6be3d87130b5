namespace ZkVm.Field;

/// <summary>Loops over [0, count) split into contiguous ranges, on every core when the work is large enough to pay for it.</summary>
public static class ParallelRanges
{
    /// <summary>Below this many elements a loop stays on one core.</summary>
    public const int ParallelElements = 1 << 16;

    /// <param name="elementsPerItem">The work of one index, in field elements, for the threshold.</param>
    public static void For(int count, int elementsPerItem, Action<int, int> body)
    {
        int chunks = (long)count * elementsPerItem >= ParallelElements ? Math.Min(count, 4 * Environment.ProcessorCount) : 1;
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
