using System.Runtime.CompilerServices;
using ZkVm.Field;

namespace ZkVm.Crypto;

[InlineArray(Digest.Length)]
internal struct DigestElements
{
    private BabyBear element0;
}

/// <summary>A Poseidon2 hash output: 8 BabyBear elements (~248 bits, ~124 bits of collision resistance).</summary>
public readonly struct Digest : IEquatable<Digest>
{
    public const int Length = 8;
    private readonly DigestElements elements;

    public Digest(ReadOnlySpan<BabyBear> values)
    {
        if (values.Length != Length) throw new ArgumentException($"a digest has {Length} elements", nameof(values));
        DigestElements e = default;
        values.CopyTo(e);
        elements = e;
    }

    public BabyBear this[int index] => elements[index];

    public void CopyTo(Span<BabyBear> destination) => ((ReadOnlySpan<BabyBear>)elements).CopyTo(destination);

    public bool Equals(Digest other)
    {
        for (int i = 0; i < Length; i++)
            if (this[i] != other[i]) return false;
        return true;
    }
    public override bool Equals(object? obj) => obj is Digest d && Equals(d);
    public override int GetHashCode() => HashCode.Combine(this[0], this[1], this[2], this[3]);
    public static bool operator ==(Digest a, Digest b) => a.Equals(b);
    public static bool operator !=(Digest a, Digest b) => !a.Equals(b);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length * 4];
        for (int i = 0; i < Length; i++) this[i].WriteTo(bytes.Slice(4 * i));
        return Convert.ToHexStringLower(bytes);
    }
}
