using System.Numerics;
using ZkVm.Field;

namespace ZkVm.Field.Tests;

public class BabyBearTests
{
    private const int Samples = 100_000;
    private static readonly BigInteger Modulus = BabyBear.P;

    [Fact]
    public void Arithmetic_matches_big_integer_reference_on_random_and_edge_values()
    {
        var r = new Random(1);
        for (int i = 0; i < Samples; i++)
        {
            BabyBear a = Rand.EdgeBiased(r), b = Rand.EdgeBiased(r);
            BigInteger x = a.ToCanonical(), y = b.ToCanonical();
            Assert.Equal((uint)((x + y) % Modulus), (a + b).ToCanonical());
            Assert.Equal((uint)(((x - y) % Modulus + Modulus) % Modulus), (a - b).ToCanonical());
            Assert.Equal((uint)(x * y % Modulus), (a * b).ToCanonical());
            Assert.Equal((uint)((Modulus - x) % Modulus), (-a).ToCanonical());
        }
    }

    [Fact]
    public void Field_laws_hold_on_random_elements()
    {
        var r = new Random(2);
        for (int i = 0; i < Samples; i++)
        {
            BabyBear a = Rand.EdgeBiased(r), b = Rand.EdgeBiased(r), c = Rand.EdgeBiased(r);
            Assert.Equal(a + b, b + a);
            Assert.Equal(a * b, b * a);
            Assert.Equal((a + b) + c, a + (b + c));
            Assert.Equal((a * b) * c, a * (b * c));
            Assert.Equal(a * (b + c), a * b + a * c);
            Assert.Equal(a, a + BabyBear.Zero);
            Assert.Equal(a, a * BabyBear.One);
            Assert.Equal(BabyBear.Zero, a + (-a));
            Assert.Equal(a, (a - b) + b);
            Assert.Equal(a, a.Halve() + a.Halve());
            if (!a.IsZero) Assert.Equal(BabyBear.One, a * a.Inverse());
        }
    }

    [Fact]
    public void Edge_values_behave()
    {
        BabyBear minusOne = BabyBear.FromCanonical(BabyBear.P - 1);
        Assert.Equal(BabyBear.Zero, minusOne + BabyBear.One);
        Assert.Equal(BabyBear.One, minusOne * minusOne);
        Assert.Equal(minusOne, minusOne.Inverse());
        Assert.Equal(BabyBear.One, BabyBear.One.Inverse());
        Assert.Equal(BabyBear.Zero, -BabyBear.Zero);
        Assert.Equal(minusOne, BabyBear.Zero - BabyBear.One);
        Assert.Equal(0u, BabyBear.Zero.ToCanonical());
        Assert.Equal(BabyBear.P - 1, minusOne.ToCanonical());
        Assert.Equal(BabyBear.FromCanonical(5), BabyBear.FromUInt64(BabyBear.P + 5UL));
        Assert.Equal(minusOne, BabyBear.FromInt64(-1));
        Assert.Equal(BabyBear.FromCanonical((BabyBear.P + 1) / 2), BabyBear.One.Halve());
    }

    [Fact]
    public void Inverse_of_zero_is_an_error()
    {
        Assert.Throws<DivideByZeroException>(() => BabyBear.Zero.Inverse());
        Assert.Throws<DivideByZeroException>(() => BabyBearExt4.Zero.Inverse());
        var values = new[] { BabyBear.One, BabyBear.Zero, BabyBear.One };
        Assert.Throws<DivideByZeroException>(() => FieldMath.BatchInverse<BabyBear>(values, new BabyBear[3]));
    }

    [Fact]
    public void Canonical_conversion_rejects_values_at_or_above_p()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BabyBear.FromCanonical(BabyBear.P));
        Assert.Throws<ArgumentOutOfRangeException>(() => BabyBear.FromCanonical(uint.MaxValue));
        var r = new Random(3);
        for (int i = 0; i < 1000; i++)
        {
            uint v = (uint)r.NextInt64(BabyBear.P);
            Assert.Equal(v, BabyBear.FromCanonical(v).ToCanonical());
        }
    }

    [Theory]
    [InlineData(0x7800_0001u)]
    [InlineData(0x7800_0002u)]
    [InlineData(0xFFFF_FFFFu)]
    public void Reading_a_non_canonical_encoding_is_a_typed_error_with_the_offset(uint raw)
    {
        var bytes = new byte[8];
        BitConverter.TryWriteBytes(bytes.AsSpan(4), raw);
        var e = Assert.Throws<ZkVmException>(() => BabyBear.ReadFrom(bytes.AsSpan(4), offset: 4));
        Assert.Equal(FieldErrors.NonCanonical, e.Code);
        Assert.Contains("offset 4", e.Message);
    }

    [Fact]
    public void Encoding_round_trips_and_truncation_is_a_typed_error()
    {
        var bytes = new byte[4];
        BabyBear x = BabyBear.FromCanonical(BabyBear.P - 1);
        x.WriteTo(bytes);
        Assert.Equal(x, BabyBear.ReadFrom(bytes));
        Assert.Equal(FieldErrors.Truncated, Assert.Throws<ZkVmException>(() => BabyBear.ReadFrom(bytes.AsSpan(1))).Code);
    }

    [Fact]
    public void Two_adic_generators_have_exact_order()
    {
        Assert.Equal(0x1a42_7a41u, BabyBear.TwoAdicGenerator(27).ToCanonical());
        Assert.Equal(FieldMath.Pow(BabyBear.Generator, (BabyBear.P - 1) >> 27), BabyBear.TwoAdicGenerator(27));
        for (int k = 0; k <= BabyBear.TwoAdicity; k++)
        {
            BabyBear g = BabyBear.TwoAdicGenerator(k);
            Assert.Equal(BabyBear.One, FieldMath.Pow(g, 1UL << k));
            if (k > 0) Assert.NotEqual(BabyBear.One, FieldMath.Pow(g, 1UL << (k - 1)));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => BabyBear.TwoAdicGenerator(28));
    }

    [Fact]
    public void Generator_generates_the_multiplicative_group()
    {
        // p − 1 = 2^27 · 3 · 5: g is a generator iff g^((p−1)/q) ≠ 1 for q in {2, 3, 5}.
        foreach (uint q in new uint[] { 2, 3, 5 })
            Assert.NotEqual(BabyBear.One, FieldMath.Pow(BabyBear.Generator, (BabyBear.P - 1) / q));
    }

    [Fact]
    public void Batch_inverse_equals_single_inverses()
    {
        var r = new Random(4);
        var values = Enumerable.Range(0, 257).Select(_ => BabyBear.FromCanonical((uint)r.NextInt64(1, BabyBear.P))).ToArray();
        var inverses = new BabyBear[values.Length];
        FieldMath.BatchInverse<BabyBear>(values, inverses);
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i].Inverse(), inverses[i]);

        var ext = Enumerable.Range(0, 33).Select(_ => Rand.Ext(r)).ToArray();
        var extInv = new BabyBearExt4[ext.Length];
        FieldMath.BatchInverse<BabyBearExt4>(ext, extInv);
        for (int i = 0; i < ext.Length; i++) Assert.Equal(ext[i].Inverse(), extInv[i]);
    }

    [Fact]
    public void Long_batch_inverses_split_over_cores_equal_single_inverses()
    {
        var r = new Random(5);
        var values = Enumerable.Range(0, 70_001).Select(_ => BabyBear.FromCanonical((uint)r.NextInt64(1, BabyBear.P))).ToArray();
        var inverses = new BabyBear[values.Length];
        FieldMath.BatchInverse<BabyBear>(values, inverses);
        for (int i = 0; i < values.Length; i += 97) Assert.Equal(values[i].Inverse(), inverses[i]);
        Assert.Equal(values[^1].Inverse(), inverses[^1]);
        // Spans go through copies, arrays in place: the same results and the same error.
        var fromSpans = new BabyBear[values.Length];
        FieldMath.BatchInverse<BabyBear>(values.AsSpan(), fromSpans.AsSpan());
        Assert.Equal(inverses, fromSpans);
        values[65_000] = BabyBear.Zero;
        var e = Assert.Throws<DivideByZeroException>(() => FieldMath.BatchInverse<BabyBear>(values, inverses));
        Assert.Contains("65000", e.Message);
        e = Assert.Throws<DivideByZeroException>(() => FieldMath.BatchInverse<BabyBear>(values.AsSpan(), fromSpans.AsSpan()));
        Assert.Contains("65000", e.Message);
        Assert.Throws<ArgumentException>(() => FieldMath.BatchInverse<BabyBear>(values, values));
    }
}
