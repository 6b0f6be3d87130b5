using ZkVm.Field;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Tests;

public class LowDegreeExtensionTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(4, 1)]
    [InlineData(4, 9)]
    [InlineData(3, 12)]
    public void Coefficients_from_bit_reversed_coset_values_are_the_polynomials_evaluated(int width, int logHeight)
    {
        var coefficients = RowMajorMatrix.Random(width, 1 << logHeight, new Random(width + logHeight));
        // Blowup 0: the polynomials' values on g·H, bit-reversed, as the quotient's are.
        var values = LowDegreeExtension.FromCoefficients(coefficients, 0);
        Assert.Equal(coefficients.Values, LowDegreeExtension.CoefficientsFromBitReversed(values).Values);
    }
}
