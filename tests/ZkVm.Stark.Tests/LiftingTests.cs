using ZkVm.Field;
using ZkVm.Stark.Fri;
using ZkVm.Stark.Pcs;
using static ZkVm.Stark.Tests.FriTestData;

namespace ZkVm.Stark.Tests;

/// <summary>
/// The identity FRI's lifting and the one quotient rest on (docs/PROTOCOL.md §7.3, §8.3): entry i of a shorter codeword
/// lifted to a taller one is the shorter polynomial P at s^(1−k)·x^k, x being entry i's point; so the lifted polynomial,
/// read at ζ, is P read at <see cref="Lifting.Point"/>.
/// </summary>
public class LiftingTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 5)]
    [InlineData(3, 8)]
    public void A_lifted_codeword_is_the_polynomial_at_s_to_the_1_minus_k_times_x_to_the_k(int logShort, int logTall)
    {
        var r = new Random(1100 + logShort * 16 + logTall);
        var coefficients = RandomVector(r, 1 << (logShort - 1)); // rate 1/2
        var shortCodeword = Evaluate(coefficients, logShort, Shift);
        var tallCodeword = RandomVector(r, 1 << logTall);
        BabyBearExt4 c = Ext(r);
        var sum = Lifting.Sum([tallCodeword, shortCodeword], [logTall, logShort], [c]);

        int k = 1 << (logTall - logShort);
        BabyBear omega = BabyBear.TwoAdicGenerator(logTall), scale = Shift * FieldMath.Pow(Shift, (ulong)k).Inverse();
        for (int i = 0; i < sum.Length; i++)
        {
            BabyBear x = Shift * FieldMath.Pow(omega, (ulong)BitReversal.Reverse(i, logTall));
            Assert.Equal(tallCodeword[i] + c * FriFolding.Evaluate(coefficients, scale * FieldMath.Pow(x, (ulong)k)), sum[i]);
        }
        // The lifted codeword alone has the tallest's rate: degree below k times the shorter's bound.
        var lifted = Lifting.Sum([new BabyBearExt4[1 << logTall], shortCodeword], [logTall, logShort], [BabyBearExt4.One]);
        Assert.True(Degree(lifted, Shift) < 1 << (logTall - 1));
    }

    [Fact]
    public void The_point_of_a_lifted_table_is_s_to_the_1_minus_k_times_zeta_to_the_k()
    {
        var r = new Random(1110);
        BabyBearExt4 zeta = Ext(r);
        Assert.Equal(zeta, Lifting.Point(zeta, 7, 7));
        for (int d = 1; d <= 5; d++)
        {
            int k = 1 << d;
            BabyBearExt4 expected = FieldMath.Pow(zeta, (ulong)k) * (Shift * FieldMath.Pow(Shift, (ulong)k).Inverse());
            Assert.Equal(expected, Lifting.Point(zeta, 10 - d, 10));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Lifting.Point(zeta, 11, 10));
    }
}
