using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ZkVm.Field;

/// <summary>
/// An element of the BabyBear field, p = 15·2^27 + 1, stored in Montgomery form (x·2^32 mod p) so
/// a product needs one 64-bit multiply and one reduction, never a division.
/// </summary>
public readonly struct BabyBear : IField<BabyBear>, IPackedField<BabyBear>
{
    public const uint P = 0x7800_0001;
    public const int TwoAdicity = 27;

    /// <summary>p⁻¹ mod 2^32.</summary>
    internal const uint MontyMu = 0x8800_0001;
    /// <summary>2^64 mod p: multiplying a canonical value by it and reducing gives its Montgomery form.</summary>
    private const uint MontyR2 = 0x45dd_dde3;
    /// <summary>Montgomery form of 1, i.e. 2^32 mod p.</summary>
    private const uint MontyOne = 0x0fff_fffe;
    /// <summary>A generator of the multiplicative group (as in Plonky3 and RISC Zero).</summary>
    public static BabyBear Generator => FromCanonical(31);

    /// <summary>The Montgomery representative, always in [0, p).</summary>
    internal readonly uint Monty;

    private BabyBear(uint monty, bool _) => Monty = monty;

    internal static BabyBear FromMonty(uint monty) => new(monty, false);

    public static BabyBear Zero => default;
    public static BabyBear One => new(MontyOne, false);
    public static int ExtensionDegree => 1;
    static int IPackedField<BabyBear>.Width => 1;

    /// <summary>The element with canonical value <paramref name="value"/>; it must be below p.</summary>
    public static BabyBear FromCanonical(uint value)
    {
        if (value >= P)
            throw new ArgumentOutOfRangeException(nameof(value), value, "not a canonical BabyBear value (must be < p)");
        return new(MontyReduce((ulong)value * MontyR2), false);
    }

    /// <summary>Reduces any 64-bit integer modulo p.</summary>
    public static BabyBear FromUInt64(ulong value) => new(MontyReduce((value % P) * MontyR2), false);

    public static BabyBear FromInt64(long value)
    {
        long r = value % P;
        return FromCanonical((uint)(r < 0 ? r + P : r));
    }

    public uint ToCanonical() => MontyReduce(Monty);

    public bool IsZero => Monty == 0;

    /// <summary>x·y·2^−32 mod p for x·y &lt; p·2^32, result in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint MontyReduce(ulong x)
    {
        uint t = (uint)x * MontyMu;
        ulong u = (ulong)t * P;
        ulong d = x - u;
        // Branch-free: on random data a conditional here mispredicts half the time. x, u < 2^63, so
        // bit 63 of the difference is the borrow.
        uint borrow = (uint)(d >> 63);
        return (uint)(d >> 32) + (P & (0u - borrow));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BabyBear operator +(BabyBear a, BabyBear b)
    {
        // a + b − p lies in (−p, p), and p < 2^31, so its sign says whether to add p back. Arithmetic
        // instead of a conditional: the JIT turns conditionals in loops into branches that mispredict.
        int t = (int)(a.Monty + b.Monty - P);
        return new((uint)(t + (int)(P & (uint)(t >> 31))), false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BabyBear operator -(BabyBear a, BabyBear b)
    {
        // a − b lies in (−p, p): add p back when it is negative.
        int d = (int)(a.Monty - b.Monty);
        return new((uint)(d + (int)(P & (uint)(d >> 31))), false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BabyBear operator -(BabyBear a) => new(a.Monty == 0 ? 0 : P - a.Monty, false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BabyBear operator *(BabyBear a, BabyBear b) => new(MontyReduce((ulong)a.Monty * b.Monty), false);

    public static bool operator ==(BabyBear a, BabyBear b) => a.Monty == b.Monty;
    public static bool operator !=(BabyBear a, BabyBear b) => a.Monty != b.Monty;

    public BabyBear Square() => this * this;

    /// <summary>Halving is cheap: add p to an odd representative and shift.</summary>
    public BabyBear Halve() => new((Monty & 1) == 0 ? Monty >> 1 : (uint)(((ulong)Monty + P) >> 1), false);

    /// <summary>x^(p−2) by Fermat; zero has no inverse.</summary>
    public BabyBear Inverse()
    {
        if (IsZero) throw new DivideByZeroException("BabyBear: zero has no inverse");
        return FieldMath.Pow(this, P - 2);
    }

    /// <summary>A generator of the subgroup of order 2^<paramref name="logOrder"/>.</summary>
    public static BabyBear TwoAdicGenerator(int logOrder)
    {
        if ((uint)logOrder > TwoAdicity)
            throw new ArgumentOutOfRangeException(nameof(logOrder), logOrder, $"BabyBear has two-adicity {TwoAdicity}");
        // 31^((p−1)/2^27) = 0x1a427a41, as in Plonky3; squaring lowers the order.
        BabyBear g = FromCanonical(0x1a42_7a41);
        for (int i = logOrder; i < TwoAdicity; i++) g = g.Square();
        return g;
    }

    /// <summary>Little-endian canonical encoding, 4 bytes.</summary>
    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt32LittleEndian(destination, ToCanonical());

    /// <summary>Reads a little-endian canonical encoding; a value ≥ p is rejected (ZK1001), never reduced.</summary>
    public static BabyBear ReadFrom(ReadOnlySpan<byte> source, long offset = 0)
    {
        if (source.Length < 4)
            throw new ZkVmException(FieldErrors.Truncated, $"BabyBear element at byte offset {offset} needs 4 bytes, {source.Length} remain");
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (v >= P)
            throw new ZkVmException(FieldErrors.NonCanonical, $"non-canonical BabyBear encoding 0x{v:x8} at byte offset {offset} (must be < 0x{P:x8})");
        return FromCanonical(v);
    }

    // Packed-field view of a single element: the scalar fallback of vectorised algorithms.
    static BabyBear IPackedField<BabyBear>.Broadcast(BabyBear value) => value;
    static BabyBear IPackedField<BabyBear>.Load(ref readonly BabyBear source) => source;
    static void IPackedField<BabyBear>.Store(ref BabyBear destination, BabyBear value) => destination = value;
    static BabyBear IPackedField<BabyBear>.Halve(BabyBear value) => value.Halve();
    static void IPackedField<BabyBear>.StoreLast(ref BabyBear destination, BabyBear value, int count)
    {
        if (count > 0) destination = value;
    }

    public bool Equals(BabyBear other) => Monty == other.Monty;
    public override bool Equals(object? obj) => obj is BabyBear b && Equals(b);
    public override int GetHashCode() => (int)Monty;
    public override string ToString() => ToCanonical().ToString();
}
