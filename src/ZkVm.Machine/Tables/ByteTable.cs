namespace ZkVm.Machine.Tables;

/// <summary>
/// Every pair of bytes (a, b) once, fixed: it answers u16 range checks (a·256 + b), byte-pair checks
/// and AND/OR/XOR, each with its own multiplicity column.
/// </summary>
[ZkAir("bytes")]
public partial struct ByteTable
{
    [Col(Fixed = true)] public BabyBear A;
    [Col(Fixed = true)] public BabyBear B;
    [Col(Fixed = true)] public BabyBear And;
    [Col(Fixed = true)] public BabyBear Or;
    [Col(Fixed = true)] public BabyBear Xor;
    [Col] public BabyBear U16Count, PairCount, AndCount, OrCount, XorCount;

    public readonly int? FixedLogHeight => 16;

    public readonly RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(PreprocessedWidth, height);
        for (uint i = 0; i < height; i++)
        {
            uint a = i >> 8, c = i & 0xFF;
            var row = new PreprocessedRow<BabyBear>(m.Row((int)i));
            row.A = BabyBear.FromCanonical(a);
            row.B = BabyBear.FromCanonical(c);
            row.And = BabyBear.FromCanonical(a & c);
            row.Or = BabyBear.FromCanonical(a | c);
            row.Xor = BabyBear.FromCanonical(a ^ c);
        }
        return m;
    }

    /// <summary>Whether the table holds (op, x, y, z): what a lookup on <see cref="MachineBuses.Bytes"/> may ask.</summary>
    public static bool Holds(uint op, uint x, uint y, uint z) => op switch
    {
        ByteOp.U16 => x < 1 << 16 && y == 0 && z == 0,
        ByteOp.BytePair => x < 256 && y < 256 && z == 0,
        ByteOp.And => x < 256 && y < 256 && z == (x & y),
        ByteOp.Or => x < 256 && y < 256 && z == (x | y),
        ByteOp.Xor => x < 256 && y < 256 && z == (x ^ y),
        _ => false,
    };

    /// <summary>The multiplicity columns from <see cref="ByteLookups.Count"/>.</summary>
    public static RowMajorMatrix Fill(uint[][] counts)
    {
        var m = new RowMajorMatrix(new ByteTable().MainWidth, 1 << 16);
        for (int i = 0; i < 1 << 16; i++)
            for (int op = 0; op < counts.Length; op++)
                m[i, op] = BabyBear.FromCanonical(counts[op][i]);
        return m;
    }

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE zero = TE.From(0);
        TE value = local.A * TE.From(256) + local.B;
        b.Receive(MachineBuses.Bytes, local.U16Count, TE.From(ByteOp.U16), value, zero, zero);
        b.Receive(MachineBuses.Bytes, local.PairCount, TE.From(ByteOp.BytePair), local.A, local.B, zero);
        b.Receive(MachineBuses.Bytes, local.AndCount, TE.From(ByteOp.And), local.A, local.B, local.And);
        b.Receive(MachineBuses.Bytes, local.OrCount, TE.From(ByteOp.Or), local.A, local.B, local.Or);
        b.Receive(MachineBuses.Bytes, local.XorCount, TE.From(ByteOp.Xor), local.A, local.B, local.Xor);
    }
}
