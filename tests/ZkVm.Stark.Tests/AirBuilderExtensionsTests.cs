using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Tests;

public class AirBuilderExtensionsTests
{
    /// <summary>One column that AssertBool keeps to {0, 1}.</summary>
    private sealed class FlagAir : IAir
    {
        public string Name => "flag";
        public int MainWidth => 1;

        public void Eval<TB, TE>(TB builder) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
        {
            TE flag = builder.Main(0);
            builder.AssertBool(flag);
        }
    }

    private static TableTrace Flags(params uint[] values)
    {
        var m = new RowMajorMatrix(1, values.Length);
        for (int i = 0; i < values.Length; i++) m[i, 0] = BabyBear.FromCanonical(values[i]);
        return new TableTrace(new FlagAir(), m);
    }

    [Fact]
    public void AssertBool_accepts_0_and_1_and_refuses_2_naming_the_product_as_written_by_hand()
    {
        TraceChecker.Check([Flags(0, 1, 1, 0)]);
        var e = Assert.Throws<ZkVmException>(() => TraceChecker.Check([Flags(0, 1, 2, 0)]));
        Assert.Equal(AirErrors.ConstraintFailed, e.Code);
        Assert.Contains("flag * (flag - one)", e.Message);
        Assert.Contains("row 2", e.Message);
    }

    [Fact]
    public void From_is_the_canonical_constant()
    {
        Assert.Equal(new ExtensionValue(BabyBear.FromCanonical(1 << 16)), From<ExtensionValue>(1 << 16));
        Assert.Equal(ExtensionValue.Constant(BabyBear.One), From<ExtensionValue>(1));
    }

    private static TE From<TE>(uint value) where TE : IAirExpression<TE> => TE.From(value);
}
