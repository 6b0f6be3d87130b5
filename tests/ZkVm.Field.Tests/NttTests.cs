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
    public void The_bit_reversed_transforms_equal_the_natural_ones_with_their_rows_permuted(PackingKind packing)
    {
        var r = new Random(31);
        foreach (int width in new[] { 1, 3, 8, 17 })
            for (int logN = 0; logN <= 11; logN++)
            {
                var coefficients = RowMajorMatrix.Random(width, 1 << logN, r);
                // Forward to bit-reversed order: the naive evaluations, permuted.
                var expected = NaiveEvaluate(coefficients, logN, BabyBear.One);
                Ntt.BitReverseRows(expected);
                var values = coefficients.Clone();
                Ntt.ForwardToBitReversed(values, packing);
                Assert.Equal(expected.Values, values.Values);
                // And back from bit-reversed order: n times the coefficients.
                Ntt.ScaledInverseFromBitReversed(values, packing);
                BabyBear n = BabyBear.FromCanonical((uint)(1 << logN));
                Assert.Equal(coefficients.Values.Select(c => c * n), values.Values);
            }
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
        // Tall enough to take the recursive, multi-core path (blocks beyond the cache threshold); 46 columns
        // leave a tail that the packed kernels take as a vector overlapping the packed columns.
        var r = new Random(32);
        foreach (int width in new[] { 16, 46 })
        {
            var input = RowMajorMatrix.Random(width, 1 << 15, r);
            var expected = Ntt.CosetLde(input, 1, BabyBear.Generator, PackingKind.Scalar);
            var actual = Ntt.CosetLde(input, 1, BabyBear.Generator, packing);
            Assert.Equal(expected.Values, actual.Values);

            var roundTrip = input.Clone();
            Ntt.Forward(roundTrip, packing);
            Ntt.Inverse(roundTrip, packing);
            Assert.Equal(input.Values, roundTrip.Values);
        }
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

    /// <summary>Textbook recursive radix-2 FFT of one column (natural order in and out), an independent reference.</summary>
    private static BabyBear[] ReferenceFft(BabyBear[] a, BabyBear omega)
    {
        if (a.Length == 1) return [a[0]];
        var even = ReferenceFft([.. a.Where((_, i) => i % 2 == 0)], omega * omega);
        var odd = ReferenceFft([.. a.Where((_, i) => i % 2 == 1)], omega * omega);
        var result = new BabyBear[a.Length];
        BabyBear w = BabyBear.One;
        for (int i = 0; i < a.Length / 2; i++)
        {
            result[i] = even[i] + w * odd[i];
            result[i + a.Length / 2] = even[i] - w * odd[i];
            w *= omega;
        }
        return result;
    }

    private static BabyBear[] Column(RowMajorMatrix m, int c) => [.. Enumerable.Range(0, m.Height).Select(r => m[r, c])];

    [Theory]
    [InlineData(5, 18)]
    [InlineData(40, 16)]
    public void Transforms_beyond_the_cache_block_match_a_textbook_fft(int width, int logN)
    {
        // Heights whose top layers run as multi-layer passes (up to 4 layers each), with widths that
        // leave a scalar tail after the packed columns.
        var r = new Random(34);
        var coefficients = RowMajorMatrix.Random(width, 1 << logN, r);
        var values = coefficients.Clone();
        Ntt.Forward(values);
        BabyBear omega = BabyBear.TwoAdicGenerator(logN);
        foreach (int c in new[] { 0, width - 1 })
            Assert.Equal(ReferenceFft(Column(coefficients, c), omega), Column(values, c));

        var lde = Ntt.CosetLde(values, 1, BabyBear.Generator);
        int c0 = width / 2;
        var shifted = new BabyBear[2 << logN];
        BabyBear power = BabyBear.One;
        for (int i = 0; i < 1 << logN; i++) { shifted[i] = coefficients[i, c0] * power; power *= BabyBear.Generator; }
        Assert.Equal(ReferenceFft(shifted, BabyBear.TwoAdicGenerator(logN + 1)), Column(lde, c0));

        Ntt.Inverse(values);
        Assert.Equal(coefficients.Values, values.Values);
    }

    [Theory]
    [MemberData(nameof(Packings))]
    public void Bit_reversed_lde_is_the_lde_with_rows_bit_reversed(PackingKind packing)
    {
        var r = new Random(35);
        foreach (var (logN, logBlowup, width) in new[] { (0, 1, 3), (3, 1, 16), (5, 2, 17), (10, 1, 33), (15, 1, 16) })
        {
            var m = RowMajorMatrix.Random(width, 1 << logN, r);
            var expected = Ntt.CosetLde(m, logBlowup, BabyBear.Generator, PackingKind.Scalar);
            Ntt.BitReverseRows(expected);
            Assert.Equal(expected.Values, Ntt.CosetLdeBitReversed(m, logBlowup, BabyBear.Generator, packing).Values);
            // Overwriting the input gives the same LDE.
            Assert.Equal(expected.Values, Ntt.CosetLdeBitReversed(m.Clone(), logBlowup, BabyBear.Generator, packing, overwriteInput: true).Values);
        }
    }
}
