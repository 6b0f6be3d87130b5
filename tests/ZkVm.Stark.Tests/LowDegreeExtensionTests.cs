using ZkVm.Field;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Tests;

public class LowDegreeExtensionTests
{
    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(4, 1, 1)]
    [InlineData(4, 9, 1)]
    [InlineData(3, 12, 1)]
    [InlineData(4, 6, 2)]
    [InlineData(2, 3, 3)]
    public void Chunk_ldes_are_the_halves_of_the_polynomial_evaluated_on_the_larger_coset(int width, int logN, int logBlowup)
    {
        int n = 1 << logN;
        // p of degree < 2n, column by column: coefficient j of column c.
        var coefficients = RowMajorMatrix.Random(width, 2 * n, new Random(width + 10 * logN + 100 * logBlowup));
        // The reference evaluates every polynomial point by point (Horner), with no transform.
        var values = new RowMajorMatrix(width, 2 * n);
        BabyBear[] points = Domain.BitReversedPoints(logN + 1);
        for (int r = 0; r < 2 * n; r++)
            for (int c = 0; c < width; c++)
                values[r, c] = Evaluate(coefficients, c, 0, 2 * n, points[r]);

        var lde = LowDegreeExtension.ChunkLdesFromBitReversed(values, logBlowup);

        Assert.Equal(2 * width, lde.Width);
        Assert.Equal(n << logBlowup, lde.Height);
        BabyBear[] ldePoints = Domain.BitReversedPoints(logN + logBlowup);
        for (int r = 0; r < lde.Height; r++)
            for (int chunk = 0; chunk < 2; chunk++)
                for (int c = 0; c < width; c++)
                    Assert.Equal(Evaluate(coefficients, c, chunk * n, n, ldePoints[r]), lde[r, chunk * width + c]);
    }

    [Fact]
    public void A_height_that_is_not_a_power_of_two_of_at_least_two_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LowDegreeExtension.ChunkLdesFromBitReversed(new RowMajorMatrix(4, 1), 1));
        Assert.Throws<ArgumentException>(() => LowDegreeExtension.ChunkLdesFromBitReversed(new RowMajorMatrix(4, 6), 1));
    }

    /// <summary>Σ coefficients[first + i, column]·x^i for i &lt; count.</summary>
    static BabyBear Evaluate(RowMajorMatrix coefficients, int column, int first, int count, BabyBear x)
    {
        BabyBear acc = BabyBear.Zero;
        for (int i = count - 1; i >= 0; i--) acc = acc * x + coefficients[first + i, column];
        return acc;
    }
}
