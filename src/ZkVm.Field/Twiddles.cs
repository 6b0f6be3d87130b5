namespace ZkVm.Field;

/// <summary>
/// Roots of unity for every NTT layer in one array: entry h + j holds ω_{2h}^j for h a power of two
/// and 0 ≤ j &lt; h, so each layer reads its twiddles contiguously. Grown on demand and shared.
/// </summary>
internal static class Twiddles
{
    private static readonly object Gate = new();
    private static BabyBear[] forward = [];
    private static BabyBear[] inverse = [];

    public static BabyBear[] Get(int logN, bool inverted)
    {
        int n = 1 << logN;
        BabyBear[] table = inverted ? Volatile.Read(ref inverse) : Volatile.Read(ref forward);
        if (table.Length >= n) return table;
        lock (Gate)
        {
            table = inverted ? inverse : forward;
            if (table.Length >= n) return table;
            table = Build(logN, inverted);
            if (inverted) Volatile.Write(ref inverse, table);
            else Volatile.Write(ref forward, table);
            return table;
        }
    }

    private static BabyBear[] Build(int logN, bool inverted)
    {
        var table = new BabyBear[Math.Max(2, 1 << logN)];
        for (int logH = 0; logH < logN; logH++)
        {
            int h = 1 << logH;
            BabyBear root = BabyBear.TwoAdicGenerator(logH + 1);
            if (inverted) root = root.Inverse();
            FieldMath.Powers(root, table.AsSpan(h, h));
        }
        return table;
    }
}
