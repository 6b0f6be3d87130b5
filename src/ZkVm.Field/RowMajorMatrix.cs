namespace ZkVm.Field;

/// <summary>
/// A dense matrix of BabyBear elements stored row after row: the layout in which traces are
/// committed (a Merkle leaf is a row) and in which the NTT works on all columns of a row at once.
/// </summary>
public sealed class RowMajorMatrix
{
    public RowMajorMatrix(int width, int height)
        : this(new BabyBear[checked(width * height)], width)
    {
    }

    public RowMajorMatrix(BabyBear[] values, int width)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (values.Length % width != 0)
            throw new ArgumentException($"{values.Length} values do not fill rows of width {width}", nameof(values));
        Values = values;
        Width = width;
    }

    public BabyBear[] Values { get; }
    public int Width { get; }
    public int Height => Values.Length / Width;

    public Span<BabyBear> Row(int row) => Values.AsSpan(row * Width, Width);

    public BabyBear this[int row, int column]
    {
        get => Values[row * Width + column];
        set => Values[row * Width + column] = value;
    }

    public RowMajorMatrix Clone() => new((BabyBear[])Values.Clone(), Width);

    /// <summary>The first <paramref name="height"/> rows of the given <paramref name="columns"/>, copied into a matrix of their own.</summary>
    public RowMajorMatrix Columns(ReadOnlySpan<int> columns, int height)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, Height);
        var m = new RowMajorMatrix(columns.Length, height);
        for (int r = 0; r < height; r++)
            for (int c = 0; c < columns.Length; c++) m.Values[r * columns.Length + c] = Values[r * Width + columns[c]];
        return m;
    }

    /// <summary>A matrix of uniformly random elements, for tests and benchmarks.</summary>
    public static RowMajorMatrix Random(int width, int height, Random random)
    {
        var m = new RowMajorMatrix(width, height);
        for (int i = 0; i < m.Values.Length; i++)
            m.Values[i] = BabyBear.FromCanonical((uint)random.NextInt64(BabyBear.P));
        return m;
    }
}
