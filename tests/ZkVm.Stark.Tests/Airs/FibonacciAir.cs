using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Tests.Airs;

/// <summary>Columns (a, b): a₀, b₀ are public inputs, (a, b) → (b, a + b), and the last b is the public output.</summary>
public sealed class FibonacciAir : IAir
{
    public string Name => "fibonacci";
    public int MainWidth => 2;
    public int PublicValueCount => 3;

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE a = b.Main(0), c = b.Main(1);
        b.AssertZero(b.IsFirstRow * (a - b.Public(0)));
        b.AssertZero(b.IsFirstRow * (c - b.Public(1)));
        b.AssertZero(b.IsTransition * (b.MainNext(0) - c));
        b.AssertZero(b.IsTransition * (b.MainNext(1) - (a + c)));
        b.AssertZero(b.IsLastRow * (c - b.Public(2)));
    }

    public static TableTrace Trace(int height, uint a0 = 0, uint b0 = 1)
    {
        var m = new RowMajorMatrix(2, height);
        BabyBear a = BabyBear.FromCanonical(a0), c = BabyBear.FromCanonical(b0);
        for (int i = 0; i < height; i++)
        {
            m[i, 0] = a;
            m[i, 1] = c;
            (a, c) = (c, a + c);
        }
        return new TableTrace(new FibonacciAir(), m, [BabyBear.FromCanonical(a0), BabyBear.FromCanonical(b0), m[height - 1, 1]]);
    }
}
