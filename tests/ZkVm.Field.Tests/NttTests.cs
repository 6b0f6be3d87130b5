using ZkVm.Field;

namespace ZkVm.Field.Tests;

public class NttTests
{
    public static TheoryData<PackingKind> Packings() => PackedFieldTests.Packings();

    /// <summary>Direct O(n²) evaluation: out[i][c] = Σ_j in[j][c]·(shift·ω^i)^j.</summary>
    private static RowMajorMatrix NaiveEvaluate(RowMajorMatrix coefficients, int logDomain, BabyBear shift)
    {
        int n = 1 << logDomain, width = coefficients.Width;
        var result = new RowMajorMatrix(width, n);
        BabyBear omega = BabyBear.TwoAdicGenerator(logDomain);
        BabyBear point = shift;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < width; c++)
            {
                BabyBear acc = BabyBear.Zero;
                for (int j = coefficients.Height - 1; j >= 0; j--) acc = acc * point + coefficients[j, c];
                result[i, c] = acc;
            }
            point *= omega;
        }
        return result;
    }

    [Theory]
    [MemberData(nameof(Packings))]
    public void Forward_equals_naive_dft_for_sizes_1_to_1024(PackingKind packing)
    {
        var r = new Random(30);
        for (int logN = 0; logN <= 10; logN++)
        {
            foreach (int width in new[] { 1, 3, 16, 19 })
            {
                var coefficients = RowMajorMatrix.Random(width, 1 << logN, r);
                var values = coefficients.Clone();
                Ntt.Forward(values, packing);
                Assert.Equal(NaiveEvaluate(coefficients, logN, BabyBear.One).Values, values.Values);
                Ntt.Inverse(values, packing);
                Assert.Equal(coefficients.Values, values.Values);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Packings))]
    public void Coset_lde_agrees_with_direct_polynomial_evaluation(PackingKind packing)
    {
        var r = new Random(31);
        BabyBear shift = BabyBear.Generator;
        foreach (var (logN, logBlowup, width) in new[] { (0, 1, 1), (1, 1, 5), (4, 1, 16), (5, 2, 17), (6, 3, 2), (8, 1, 33) })
        {
            var coefficients = RowMajorMatrix.Random(width, 1 << logN, r);
            var evaluations = coefficients.Clone();
            Ntt.Forward(evaluations, packing);
            var lde = Ntt.CosetLde(evaluations, logBlowup, shift, packing);
            Assert.Equal(NaiveEvaluate(coefficients, logN + logBlowup, shift).Values, lde.Values);
        }
    }

    [Theory]
    [MemberData(nameof(Packings))]
    public void Large_parallel_transforms_equal_the_scalar_transform(PackingKind packing)
    {
        // Tall enough to take the recursive, multi-core path (blocks beyond the cache threshold).
        var r = new Random(32);
        var input = RowMajorMatrix.Random(16, 1 << 15, r);
        var expected = Ntt.CosetLde(input, 1, BabyBear.Generator, PackingKind.Scalar);
        var actual = Ntt.CosetLde(input, 1, BabyBear.Generator, packing);
        Assert.Equal(expected.Values, actual.Values);

        var roundTrip = input.Clone();
        Ntt.Forward(roundTrip, packing);
        Ntt.Inverse(roundTrip, packing);
        Assert.Equal(input.Values, roundTrip.Values);
    }

    [Fact]
    public void Lde_preserves_its_input_and_rejects_bad_heights()
    {
        var r = new Random(33);
        var input = RowMajorMatrix.Random(4, 8, r);
        var copy = input.Clone();
        Ntt.CosetLde(input, 2, BabyBear.Generator);
        Assert.Equal(copy.Values, input.Values);
        Assert.Throws<ArgumentException>(() => Ntt.Forward(RowMajorMatrix.Random(2, 6, r)));
        Assert.Throws<ArgumentException>(() => Ntt.CosetLde(RowMajorMatrix.Random(1, 1 << 4, r), 24, BabyBear.Generator));
    }

    [Fact]
    public void Bit_reversal_is_an_involution_that_reverses_indices()
    {
        var m = new RowMajorMatrix(2, 16);
        for (int i = 0; i < 16; i++) m[i, 0] = BabyBear.FromCanonical((uint)i);
        Ntt.BitReverseRows(m);
        for (int i = 0; i < 16; i++) Assert.Equal((uint)BitReversal.Reverse(i, 4), m[i, 0].ToCanonical());
        Ntt.BitReverseRows(m);
        for (int i = 0; i < 16; i++) Assert.Equal((uint)i, m[i, 0].ToCanonical());
    }
}
