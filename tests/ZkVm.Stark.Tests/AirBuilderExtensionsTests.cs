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

    /// <summary>Column 1 is 0 wherever column 0 (a flag) is 0.</summary>
    private sealed class GatedAir : IAir
    {
        public string Name => "gated";
        public int MainWidth => 2;

        public void Eval<TB, TE>(TB builder) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
        {
            TE flag = builder.Main(0), value = builder.Main(1), one = TE.From(1);
            builder.When(one - flag).AssertZero(value);
        }
    }

    [Fact]
    public void When_multiplies_by_its_condition_and_names_the_product_as_written_out()
    {
        var m = new RowMajorMatrix(2, 4);
        m[0, 0] = BabyBear.One; m[0, 1] = BabyBear.FromCanonical(9);   // flag 1: any value
        TraceChecker.Check([new TableTrace(new GatedAir(), m)]);
        m[3, 1] = BabyBear.FromCanonical(5);                             // flag 0: must be 0
        var e = Assert.Throws<ZkVmException>(() => TraceChecker.Check([new TableTrace(new GatedAir(), m)]));
        Assert.Equal(AirErrors.ConstraintFailed, e.Code);
        Assert.Contains("(one - flag) * value", e.Message);
        Assert.Contains("row 3", e.Message);
    }

    [Theory]
    [InlineData("local.A", "local.A")]
    [InlineData("a * b", "a * b")]
    [InlineData("one - x", "(one - x)")]
    [InlineData("a + b[i - 1]", "(a + b[i - 1])")]
    [InlineData("(a - b)", "(a - b)")]
    [InlineData("f(a - b) * c", "f(a - b) * c")]
    public void A_factor_is_parenthesised_only_when_it_is_a_sum(string text, string factor) =>
        Assert.Equal(factor, AirBuilderExtensions.Factor(text));

    [Fact]
    public void From_is_the_canonical_constant()
    {
        Assert.Equal(new ExtensionValue(BabyBear.FromCanonical(1 << 16)), From<ExtensionValue>(1 << 16));
        Assert.Equal(ExtensionValue.Constant(BabyBear.One), From<ExtensionValue>(1));
    }

    private static TE From<TE>(uint value) where TE : IAirExpression<TE> => TE.From(value);
}
