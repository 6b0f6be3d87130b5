using ZkVm.Air;
using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Tests.Airs;

/// <summary>Buses shared by the example AIRs.</summary>
public static class Buses
{
    [ZkBus(1)] public static readonly Bus Byte = new(1, "byte");
    [ZkBus(2)] public static readonly Bus Permutation = new(2, "permutation");
}

/// <summary>
/// A table whose single column must hold bytes: each row sends its value on the byte bus, where the
/// byte table receives it, and also a squared value in a second column (a degree-2 constraint).
/// </summary>
public sealed class ByteValuesAir : IAir
{
    public string Name => "byte-values";
    public int MainWidth => 2;

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE v = b.Main(0);
        b.AssertZero(b.Main(1) - v * v);
        b.Send(Buses.Byte, TE.Constant(BabyBear.One), v);
    }

    public static TableTrace Trace(IReadOnlyList<uint> values)
    {
        var m = new RowMajorMatrix(2, values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            m[i, 0] = BabyBear.FromCanonical(values[i]);
            m[i, 1] = m[i, 0] * m[i, 0];
        }
        return new TableTrace(new ByteValuesAir(), m);
    }
}

/// <summary>
/// The byte table: a preprocessed column 0…255 and a main column with how many times each byte is
/// looked up, received on the byte bus with that multiplicity.
/// </summary>
public sealed class ByteTableAir : IAir
{
    public string Name => "byte-table";
    public int MainWidth => 1;
    public int PreprocessedWidth => 1;
    public int? FixedLogHeight => 8;

    public RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(1, height);
        for (int i = 0; i < height; i++) m[i, 0] = BabyBear.FromCanonical((uint)i);
        return m;
    }

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Receive(Buses.Byte, b.Main(0), b.Preprocessed(0));

    public static TableTrace Trace(IEnumerable<uint> lookedUp)
    {
        var m = new RowMajorMatrix(1, 256);
        foreach (uint v in lookedUp) m[(int)v, 0] += BabyBear.One;
        return new TableTrace(new ByteTableAir(), m);
    }
}

/// <summary>Two tables holding the same values in different orders: one sends each, the other receives each.</summary>
public sealed class PermutationAir(bool sends) : IAir
{
    public string Name => sends ? "permutation-left" : "permutation-right";
    public int MainWidth => 2;

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        // Tuples of two columns, so that the bus binds pairs, not only single values.
        if (sends) b.Send(Buses.Permutation, TE.Constant(BabyBear.One), b.Main(0), b.Main(1));
        else b.Receive(Buses.Permutation, TE.Constant(BabyBear.One), b.Main(0), b.Main(1));
    }

    public static (TableTrace Left, TableTrace Right) Traces(int height, int seed)
    {
        var r = new Random(seed);
        var left = RowMajorMatrix.Random(2, height, r);
        var order = Enumerable.Range(0, height).OrderBy(_ => r.Next()).ToArray();
        var right = new RowMajorMatrix(2, height);
        for (int i = 0; i < height; i++) left.Row(order[i]).CopyTo(right.Row(i));
        return (new TableTrace(new PermutationAir(true), left), new TableTrace(new PermutationAir(false), right));
    }
}

/// <summary>Three byte columns per row, each range-checked by its own interaction (grouped two per LogUp column).</summary>
public sealed class TripleByteValuesAir : IAir
{
    public string Name => "triple-byte-values";
    public int MainWidth => 3;

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        for (int c = 0; c < 3; c++) b.Send(Buses.Byte, TE.Constant(BabyBear.One), b.Main(c));
    }

    public static TableTrace Trace(uint[,] values)
    {
        var m = new RowMajorMatrix(3, values.GetLength(0));
        for (int i = 0; i < m.Height; i++)
            for (int c = 0; c < 3; c++) m[i, c] = BabyBear.FromCanonical(values[i, c]);
        return new TableTrace(new TripleByteValuesAir(), m);
    }
}
