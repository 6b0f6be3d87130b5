using ZkVm.Air;
using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Tests.Airs;

// The example AIRs written as specs for the generator; the hand-written classes beside them are the
// references the generated code is compared with.

/// <summary>As <see cref="FibonacciAir"/>: (a, b) → (b, a + b) between public inputs and output.</summary>
[ZkAir("fibonacci", PublicValues = 3)]
public partial struct FibonacciChip
{
    [Col] public BabyBear A;
    [Col] public BabyBear B;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        b.AssertZero(b.IsFirstRow * (local.A - b.Public(0)));
        b.AssertZero(b.IsFirstRow * (local.B - b.Public(1)));
        b.AssertZero(b.IsTransition * (next.A - local.B));
        b.AssertZero(b.IsTransition * (next.B - (local.A + local.B)));
        b.AssertZero(b.IsLastRow * (local.B - b.Public(2)));
    }
}

/// <summary>As <see cref="ByteValuesAir"/>: a byte sent on the byte bus and its square.</summary>
[ZkAir("byte-values")]
public partial struct ByteValuesChip
{
    [Col] public BabyBear Value;
    [Col] public BabyBear Square;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE v = local.Value;
        b.AssertZero(local.Square - v * v);
        b.Send(Buses.Byte, TE.Constant(BabyBear.One), v);
    }
}

/// <summary>As <see cref="ByteTableAir"/>: every byte once, received as often as it was looked up.</summary>
[ZkAir("byte-table")]
public partial struct ByteTableChip
{
    [Col(Fixed = true)] public BabyBear Byte;
    [Col] public BabyBear Multiplicity;

    public readonly int? FixedLogHeight => 8;

    public readonly RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(PreprocessedWidth, height);
        for (int i = 0; i < height; i++) new PreprocessedRow<BabyBear>(m.Row(i)).Byte = BabyBear.FromCanonical((uint)i);
        return m;
    }

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Receive(Buses.Byte, local.Multiplicity, local.Byte);
}

/// <summary>As <see cref="PermutationAir"/> sending: each row's pair goes on the permutation bus.</summary>
[ZkAir("permutation-left")]
public partial struct PermutationLeftChip
{
    [Col] public BabyBear X;
    [Col] public BabyBear Y;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Send(Buses.Permutation, TE.Constant(BabyBear.One), local.X, local.Y);
}

/// <summary>As <see cref="PermutationAir"/> receiving.</summary>
[ZkAir("permutation-right")]
public partial struct PermutationRightChip
{
    [Col] public BabyBear X;
    [Col] public BabyBear Y;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Receive(Buses.Permutation, TE.Constant(BabyBear.One), local.X, local.Y);
}

/// <summary>As <see cref="TripleByteValuesAir"/>: three limbs, each range-checked.</summary>
[ZkAir("triple-byte-values")]
public partial struct TripleByteValuesChip
{
    [Col(3)] public BabyBear[] Bytes;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        for (int i = 0; i < 3; i++) b.Send(Buses.Byte, TE.Constant(BabyBear.One), local.Bytes[i]);
    }
}

/// <summary>The chip of docs/AIR_GENERATOR.md: two bytes, their sum, and a row counter.</summary>
[ZkAir("byte-sum")]
public partial struct ByteSumChip
{
    [Col] public BabyBear Step;
    [Col(2, Name = "byte")] public BabyBear[] Bytes;
    [Col] public BabyBear Sum;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.Constant(BabyBear.One);
        b.AssertZero(local.Sum - (local.Bytes[0] + local.Bytes[1]));
        b.AssertZero(b.IsFirstRow * local.Step);
        b.AssertZero(b.IsTransition * (next.Step - local.Step - one));
        for (int i = 0; i < 2; i++) b.Send(Buses.Byte, one, local.Bytes[i]);
    }

    public static TableTrace Trace(uint[] lows, uint[] highs)
    {
        int height = lows.Length;
        var m = new RowMajorMatrix(new ByteSumChip().MainWidth, height);
        for (int i = 0; i < height; i++)
        {
            var row = new MainRow<BabyBear>(m.Row(i));
            row.Step = BabyBear.FromCanonical((uint)i);
            row.Bytes[0] = BabyBear.FromCanonical(lows[i]);
            row.Bytes[1] = BabyBear.FromCanonical(highs[i]);
            row.Sum = row.Bytes[0] + row.Bytes[1];
        }
        return new TableTrace(new ByteSumChip(), m);
    }
}
