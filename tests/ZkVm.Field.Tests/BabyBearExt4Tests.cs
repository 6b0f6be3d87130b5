using System.Numerics;
using ZkVm.Field;

namespace ZkVm.Field.Tests;

public class BabyBearExt4Tests
{
    private const int Samples = 100_000;

    /// <summary>Schoolbook product reduced by x⁴ = 11 over big integers: an independent reference.</summary>
    private static uint[] ReferenceMul(BabyBearExt4 a, BabyBearExt4 b)
    {
        BigInteger p = BabyBear.P;
        var prod = new BigInteger[7];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                prod[i + j] += (BigInteger)a[i].ToCanonical() * b[j].ToCanonical();
        for (int k = 6; k >= 4; k--) prod[k - 4] += 11 * prod[k];
        return [.. prod.Take(4).Select(v => (uint)(v % p))];
    }

    private static uint[] Canonical(BabyBearExt4 x) => [x.C0.ToCanonical(), x.C1.ToCanonical(), x.C2.ToCanonical(), x.C3.ToCanonical()];

    private static BabyBearExt4 EdgeBiased(Random r) => new(Rand.EdgeBiased(r), Rand.EdgeBiased(r), Rand.EdgeBiased(r), Rand.EdgeBiased(r));

    [Fact]
    public void Multiplication_matches_reference_and_field_laws_hold()
    {
        var r = new Random(10);
        for (int i = 0; i < Samples; i++)
        {
            BabyBearExt4 a = EdgeBiased(r), b = EdgeBiased(r), c = EdgeBiased(r);
            Assert.Equal(ReferenceMul(a, b), Canonical(a * b));
            Assert.Equal(a * b, b * a);
            Assert.Equal(a + b, b + a);
            Assert.Equal((a * b) * c, a * (b * c));
            Assert.Equal((a + b) + c, a + (b + c));
            Assert.Equal(a * (b + c), a * b + a * c);
            Assert.Equal(a, a * BabyBearExt4.One);
            Assert.Equal(BabyBearExt4.Zero, a + (-a));
            Assert.Equal(a, (a - b) + b);
        }
    }

    [Fact]
    public void Inverse_is_multiplicative_inverse()
    {
        var r = new Random(11);
        for (int i = 0; i < Samples / 10; i++)
        {
            BabyBearExt4 a = EdgeBiased(r);
            if (a.IsZero) continue;
            Assert.Equal(BabyBearExt4.One, a * a.Inverse());
        }
        var minusOne = BabyBearExt4.FromBase(BabyBear.FromCanonical(BabyBear.P - 1));
        Assert.Equal(minusOne, minusOne.Inverse());
        var x = new BabyBearExt4(BabyBear.Zero, BabyBear.One, BabyBear.Zero, BabyBear.Zero);
        // x · x³/11 = x⁴/11 = 1.
        Assert.Equal(new BabyBearExt4(BabyBear.Zero, BabyBear.Zero, BabyBear.Zero, BabyBear.FromCanonical(11).Inverse()), x.Inverse());
    }

    [Fact]
    public void Frobenius_is_the_p_th_power_and_has_order_four()
    {
        var r = new Random(12);
        for (int i = 0; i < 50; i++)
        {
            BabyBearExt4 a = Rand.Ext(r);
            Assert.Equal(FieldMath.Pow(a, BabyBear.P), a.Frobenius());
            Assert.Equal(a, a.Frobenius().Frobenius().Frobenius().Frobenius());
        }
    }

    [Fact]
    public void Base_field_embeds_as_a_subfield()
    {
        var r = new Random(13);
        for (int i = 0; i < 1000; i++)
        {
            BabyBear a = Rand.Element(r), b = Rand.Element(r);
            Assert.Equal(BabyBearExt4.FromBase(a * b), (BabyBearExt4)a * b);
            Assert.Equal(BabyBearExt4.FromBase(a + b), (BabyBearExt4)a + b);
            Assert.Equal((BabyBearExt4)a * b, (BabyBearExt4)a * (BabyBearExt4)b);
        }
    }

    [Fact]
    public void Encoding_round_trips_and_rejects_a_non_canonical_coefficient_at_its_offset()
    {
        var r = new Random(14);
        var bytes = new byte[16];
        for (int i = 0; i < 100; i++)
        {
            BabyBearExt4 a = Rand.Ext(r);
            a.WriteTo(bytes);
            Assert.Equal(a, BabyBearExt4.ReadFrom(bytes));
        }
        for (int coefficient = 0; coefficient < 4; coefficient++)
        {
            Rand.Ext(r).WriteTo(bytes);
            BitConverter.TryWriteBytes(bytes.AsSpan(4 * coefficient), BabyBear.P);
            var e = Assert.Throws<ZkVmException>(() => BabyBearExt4.ReadFrom(bytes, offset: 100));
            Assert.Equal(FieldErrors.NonCanonical, e.Code);
            Assert.Contains($"offset {100 + 4 * coefficient}", e.Message);
        }
        Assert.Equal(FieldErrors.Truncated, Assert.Throws<ZkVmException>(() => BabyBearExt4.ReadFrom(new byte[15])).Code);
    }

    [Fact]
    public void Inverse_differences_through_the_norm_equal_direct_inversion()
    {
        var r = new Random(12);
        for (int round = 0; round < 200; round++)
        {
            // Every fifth z lies in the base field, whose norm is (X − z)^4.
            BabyBearExt4 z = round % 5 == 0 ? Rand.EdgeBiased(r) : EdgeBiased(r);
            var points = new BabyBear[1 + r.Next(64)];
            for (int i = 0; i < points.Length; i++)
                do points[i] = Rand.EdgeBiased(r); while ((BabyBearExt4)points[i] == z);
            var inverses = new BabyBearExt4[points.Length];
            BabyBearExt4.InverseDifferences(points, z, inverses);
            for (int i = 0; i < points.Length; i++) Assert.Equal(((BabyBearExt4)points[i] - z).Inverse(), inverses[i]);
        }
    }

    public static TheoryData<PackingKind> Packings() => [.. Packing.Supported];

    [Theory]
    [MemberData(nameof(Packings))]
    public void Packed_inverse_differences_equal_the_scalar_ones(PackingKind packing)
    {
        var r = new Random(1307);
        // Lengths below, at and past whole vectors of every width, so the scalar tail runs too.
        foreach (int length in new[] { 0, 1, 7, 8, 9, 16, 17, 31, 64, 100 })
        {
            BabyBearExt4 z = length % 3 == 0 ? Rand.EdgeBiased(r) : EdgeBiased(r);
            var points = new BabyBear[length];
            for (int i = 0; i < length; i++)
                do points[i] = Rand.EdgeBiased(r); while ((BabyBearExt4)points[i] == z);
            var scalar = new BabyBearExt4[length];
            var packed = new BabyBearExt4[length];
            BabyBearExt4.InverseDifferences(points, z, scalar);
            BabyBearExt4.InverseDifferences(points, z, packed, packing);
            Assert.Equal(scalar, packed);
        }
    }

    [Theory]
    [MemberData(nameof(Packings))]
    public void A_packed_inverse_difference_at_z_itself_is_refused_with_its_index(PackingKind packing)
    {
        BabyBear x = BabyBear.FromCanonical(77);
        foreach (int at in new[] { 0, 5, 12, 17, 18 }) // in the first vector, a later one, and the scalar tail
        {
            var points = Enumerable.Range(1000, 19).Select(i => BabyBear.FromCanonical((uint)i)).ToArray();
            points[at] = x;
            var e = Assert.Throws<DivideByZeroException>(() => BabyBearExt4.InverseDifferences(points, x, new BabyBearExt4[points.Length], packing));
            Assert.Contains($"point {at}", e.Message);
        }
    }

    [Fact]
    public void An_inverse_difference_at_z_itself_is_refused()
    {
        BabyBear x = BabyBear.FromCanonical(77);
        var inverses = new BabyBearExt4[3];
        var e = Assert.Throws<DivideByZeroException>(() => BabyBearExt4.InverseDifferences([BabyBear.One, x, BabyBear.Zero], x, inverses));
        Assert.Contains("point 1", e.Message);
    }
}
