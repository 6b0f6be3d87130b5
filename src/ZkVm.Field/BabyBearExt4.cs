using System.Runtime.CompilerServices;

namespace ZkVm.Field;

/// <summary>
/// The quartic extension F_p[x]/(x⁴ − 11) of BabyBear (~124 bits), where every verifier challenge
/// lives. 11 is a non-square mod p and p ≡ 1 (mod 4), so x⁴ − 11 is irreducible.
/// </summary>
public readonly partial struct BabyBearExt4 : IField<BabyBearExt4>
{
    /// <summary>x⁴ = W.</summary>
    public static BabyBear W => BabyBear.FromCanonical(11);

    public readonly BabyBear C0, C1, C2, C3;

    public BabyBearExt4(BabyBear c0, BabyBear c1, BabyBear c2, BabyBear c3)
    {
        C0 = c0; C1 = c1; C2 = c2; C3 = c3;
    }

    public static BabyBearExt4 FromBase(BabyBear value) => new(value, default, default, default);
    public static implicit operator BabyBearExt4(BabyBear value) => FromBase(value);

    public static BabyBearExt4 Zero => default;
    public static BabyBearExt4 One => FromBase(BabyBear.One);
    public static int ExtensionDegree => 4;
    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero && C3.IsZero;

    public BabyBear this[int i] => i switch { 0 => C0, 1 => C1, 2 => C2, 3 => C3, _ => throw new ArgumentOutOfRangeException(nameof(i)) };

    public static BabyBearExt4 operator +(BabyBearExt4 a, BabyBearExt4 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2, a.C3 + b.C3);
    public static BabyBearExt4 operator -(BabyBearExt4 a, BabyBearExt4 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2, a.C3 - b.C3);
    public static BabyBearExt4 operator -(BabyBearExt4 a) => new(-a.C0, -a.C1, -a.C2, -a.C3);

    public static BabyBearExt4 operator *(BabyBearExt4 a, BabyBear b) => new(a.C0 * b, a.C1 * b, a.C2 * b, a.C3 * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BabyBearExt4 operator *(BabyBearExt4 a, BabyBearExt4 b)
    {
        // Base-field operands (lifted trace values, selectors, constants) are common: 4 products, not 16.
        if (b.C1.IsZero && b.C2.IsZero && b.C3.IsZero) return a * b.C0;
        if (a.C1.IsZero && a.C2.IsZero && a.C3.IsZero) return b * a.C0;
        // Schoolbook product; the x⁴, x⁵, x⁶ terms fold back multiplied by W.
        BabyBear w = W;
        BabyBear c0 = a.C0 * b.C0 + w * (a.C1 * b.C3 + a.C2 * b.C2 + a.C3 * b.C1);
        BabyBear c1 = a.C0 * b.C1 + a.C1 * b.C0 + w * (a.C2 * b.C3 + a.C3 * b.C2);
        BabyBear c2 = a.C0 * b.C2 + a.C1 * b.C1 + a.C2 * b.C0 + w * (a.C3 * b.C3);
        BabyBear c3 = a.C0 * b.C3 + a.C1 * b.C2 + a.C2 * b.C1 + a.C3 * b.C0;
        return new(c0, c1, c2, c3);
    }

    public static bool operator ==(BabyBearExt4 a, BabyBearExt4 b) => a.Equals(b);
    public static bool operator !=(BabyBearExt4 a, BabyBearExt4 b) => !a.Equals(b);

    public BabyBearExt4 Square() => this * this;

    /// <summary>
    /// The Frobenius map a ↦ a^p. Since x^p = x·W^((p−1)/4), coefficient i is multiplied by
    /// (W^((p−1)/4))^i.
    /// </summary>
    public BabyBearExt4 Frobenius()
    {
        BabyBear z = FrobeniusZ, z2 = z * z;
        return new(C0, C1 * z, C2 * z2, C3 * z2 * z);
    }

    private static readonly BabyBear FrobeniusZ = FieldMath.Pow(BabyBear.FromCanonical(11), (BabyBear.P - 1) / 4);

    /// <summary>
    /// a⁻¹ = (a^p · a^p² · a^p³) / N(a) where the norm N(a) = a · a^p · a^p² · a^p³ lies in the base field.
    /// </summary>
    public BabyBearExt4 Inverse()
    {
        if (IsZero) throw new DivideByZeroException("BabyBearExt4: zero has no inverse");
        BabyBearExt4 f1 = Frobenius();
        BabyBearExt4 f2 = f1.Frobenius();
        BabyBearExt4 f3 = f2.Frobenius();
        BabyBearExt4 conjugates = f1 * f2 * f3;
        BabyBearExt4 norm = this * conjugates;
        return conjugates * norm.C0.Inverse();
    }

    /// <summary>
    /// 1/(x − z) for every base-field x of <paramref name="points"/>. The norm N(X) = Π (X − z^(p^i)) over z's four
    /// conjugates is a quartic with base-field coefficients, and Q(X) = N(X)/(X − z) a cubic over the extension, so
    /// 1/(x − z) = Q(x)/N(x): one batch inversion of base values N(x) (Montgomery's trick) and a few base-by-extension
    /// products per point, about 23 base multiplications instead of the three extension products of inverting x − z.
    /// </summary>
    /// <exception cref="DivideByZeroException">Some x equals z.</exception>
    public static void InverseDifferences(ReadOnlySpan<BabyBear> points, BabyBearExt4 z, Span<BabyBearExt4> inverses)
    {
        if (inverses.Length != points.Length) throw new ArgumentException("output length must equal input length", nameof(inverses));
        if (points.IsEmpty) return;
        var (n0, n1, n2, n3, q0, q1, q2) = NormAndQuotient(z);

        // Forward: prefix products of N(x) kept in C0 of the output; backward: each inverse of N(x), times Q(x).
        BabyBear acc = BabyBear.One;
        for (int i = 0; i < points.Length; i++)
        {
            BabyBear x = points[i], nx = (((x + n3) * x + n2) * x + n1) * x + n0;
            if (nx.IsZero) throw new DivideByZeroException($"x − z is zero at point {i}");
            inverses[i] = new BabyBearExt4(acc, BabyBear.Zero, BabyBear.Zero, BabyBear.Zero);
            acc *= nx;
        }
        BabyBear inverse = acc.Inverse();
        for (int i = points.Length - 1; i >= 0; i--)
        {
            BabyBear x = points[i], nx = (((x + n3) * x + n2) * x + n1) * x + n0;
            BabyBear nxInverse = inverses[i].C0 * inverse;
            inverse *= nx;
            inverses[i] = ((((BabyBearExt4)x + q2) * x + q1) * x + q0) * nxInverse;
        }
    }

    /// <summary>
    /// N(X) = X⁴ + n3·X³ + n2·X² + n1·X + n0 = Π (X − z^(p^i)) over z's four conjugates (base-field coefficients), and
    /// Q(X) = N(X)/(X − z) = X³ + q2·X² + q1·X + q0 (<see cref="InverseDifferences(ReadOnlySpan{BabyBear}, BabyBearExt4, Span{BabyBearExt4})"/>).
    /// </summary>
    private static (BabyBear N0, BabyBear N1, BabyBear N2, BabyBear N3, BabyBearExt4 Q0, BabyBearExt4 Q1, BabyBearExt4 Q2) NormAndQuotient(BabyBearExt4 z)
    {
        // N's coefficients, lowest first (N is monic): multiply out (X − z)(X − z^p)(X − z^p²)(X − z^p³).
        Span<BabyBearExt4> norm = [One, Zero, Zero, Zero, Zero];
        BabyBearExt4 conjugate = z;
        for (int i = 1; i <= 4; i++)
        {
            for (int k = i; k > 0; k--) norm[k] = norm[k - 1] - conjugate * norm[k];
            norm[0] = -(conjugate * norm[0]);
            conjugate = conjugate.Frobenius();
        }
        // Q by synthetic division of N by X − z.
        BabyBearExt4 q2 = norm[3] + z, q1 = norm[2] + z * q2, q0 = norm[1] + z * q1;
        return (norm[0].C0, norm[1].C0, norm[2].C0, norm[3].C0, q0, q1, q2);
    }

    /// <summary>The four coefficients' canonical encodings, c0 first: 16 bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        C0.WriteTo(destination);
        C1.WriteTo(destination[4..]);
        C2.WriteTo(destination[8..]);
        C3.WriteTo(destination[12..]);
    }

    /// <summary>Reads 16 bytes; a non-canonical coefficient is rejected with its byte offset (ZK1001).</summary>
    public static BabyBearExt4 ReadFrom(ReadOnlySpan<byte> source, long offset = 0)
    {
        if (source.Length < 16)
            throw new ZkVmException(FieldErrors.Truncated, $"extension element at byte offset {offset} needs 16 bytes, {source.Length} remain");
        return new(BabyBear.ReadFrom(source, offset), BabyBear.ReadFrom(source[4..], offset + 4),
            BabyBear.ReadFrom(source[8..], offset + 8), BabyBear.ReadFrom(source[12..], offset + 12));
    }

    public bool Equals(BabyBearExt4 other) => C0 == other.C0 && C1 == other.C1 && C2 == other.C2 && C3 == other.C3;
    public override bool Equals(object? obj) => obj is BabyBearExt4 e && Equals(e);
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2, C3);
    public override string ToString() => $"[{C0}, {C1}, {C2}, {C3}]";
}
