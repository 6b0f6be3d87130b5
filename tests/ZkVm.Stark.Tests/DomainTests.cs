using ZkVm.Field;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Tests;

public class DomainTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(17, 6)]
    [InlineData(35, 10)]
    public void Barycentric_evaluation_equals_the_interpolated_polynomial(int width, int logN)
    {
        var r = new Random(width);
        var values = RowMajorMatrix.Random(width, 1 << logN, r);
        var z = new BabyBearExt4(BabyBear.FromCanonical(3), BabyBear.FromCanonical(1), BabyBear.FromCanonical(4), BabyBear.FromCanonical(1));
        BabyBearExt4[] fast = Domain.EvaluateOutside(values, z);
        var coefficients = values.Clone();
        Ntt.Inverse(coefficients);
        for (int c = 0; c < width; c++)
        {
            BabyBearExt4 acc = BabyBearExt4.Zero;
            for (int i = coefficients.Height - 1; i >= 0; i--) acc = acc * z + coefficients[i, c];
            Assert.Equal(acc, fast[c]);
        }
    }

    [Theory]
    [InlineData(17, 6, 1)]
    [InlineData(3, 4, 2)]
    public void The_first_rows_of_a_bit_reversed_lde_evaluate_outside_as_the_values_on_H_do(int width, int logN, int logBlowup)
    {
        var r = new Random(width + logN);
        var values = RowMajorMatrix.Random(width, 1 << logN, r);
        var z = new BabyBearExt4(BabyBear.FromCanonical(9), BabyBear.FromCanonical(2), BabyBear.FromCanonical(6), BabyBear.FromCanonical(5));
        var lde = LowDegreeExtension.FromValues(values, logBlowup);
        Assert.Equal(Domain.EvaluateOutside(values, z), Domain.EvaluateOutside(lde, Domain.LdeWeights(z, logN)));
    }

    [Fact]
    public void Selectors_at_trace_points_are_the_row_indicators()
    {
        const int logN = 3;
        BabyBear omega = BabyBear.TwoAdicGenerator(logN);
        // At x = ωⁱ the Lagrange selectors are 0/0; just off the domain they approach their row values,
        // so check the defining identities instead: L_first·(x − 1) and L_last·(x − h) are multiples of Z_H.
        var x = new BabyBearExt4(BabyBear.FromCanonical(7), BabyBear.One, BabyBear.Zero, BabyBear.Zero);
        var (first, last, transition) = Domain.Selectors(x, logN);
        BabyBear n = BabyBear.FromCanonical(8), h = omega.Inverse();
        Assert.Equal(Domain.Vanishing(x, logN), first * (x - BabyBear.One) * n);
        Assert.Equal(Domain.Vanishing(x, logN) * h, last * (x - h) * n);
        Assert.Equal(x - h, transition);
    }
}
