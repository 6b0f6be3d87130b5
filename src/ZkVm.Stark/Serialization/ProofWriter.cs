using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Stark.Serialization;

/// <summary>
/// Writes the little-endian binary encoding that <see cref="ProofReader"/> reads back: fixed-size
/// integers, canonical field elements (4 bytes alone, 31 bits each in a sequence), and sequences prefixed by their
/// 32-bit count.
/// </summary>
public sealed class ProofWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new();

    public int Length => buffer.WrittenCount;

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();

    public void WriteBytes(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    public void WriteU8(byte value) => buffer.Write([value]);

    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void WriteField(BabyBear value)
    {
        value.WriteTo(buffer.GetSpan(4));
        buffer.Advance(4);
    }

    public void WriteExtension(BabyBearExt4 value)
    {
        value.WriteTo(buffer.GetSpan(16));
        buffer.Advance(16);
    }

    public void WriteDigest(in Digest digest)
    {
        for (int i = 0; i < Digest.Length; i++) WriteField(digest[i]);
    }

    public void WriteCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteU32((uint)count);
    }

    public void WriteFields(ReadOnlySpan<BabyBear> values)
    {
        WriteCount(values.Length);
        WritePacked(values);
    }

    public void WriteExtensions(ReadOnlySpan<BabyBearExt4> values)
    {
        WriteCount(values.Length);
        WritePacked(MemoryMarshal.Cast<BabyBearExt4, BabyBear>(values));
    }

    public void WriteDigests(ReadOnlySpan<Digest> digests)
    {
        WriteCount(digests.Length);
        WritePacked(MemoryMarshal.Cast<Digest, BabyBear>(digests));
    }

    /// <summary>
    /// Field elements without a count, 31 bits each (p &lt; 2^31): a sequence of n takes ⌈31n/8⌉ bytes instead of 4n.
    /// </summary>
    public void WritePacked(ReadOnlySpan<BabyBear> values)
    {
        var canonical = new uint[values.Length];
        for (int i = 0; i < values.Length; i++) canonical[i] = values[i].ToCanonical();
        WriteBits(canonical, FieldBits);
    }

    /// <summary>Bits of a field element in a packed sequence.</summary>
    public const int FieldBits = 31;

    /// <summary>Bytes of n field elements written by <see cref="WritePacked"/>.</summary>
    public static long PackedBytes(long n) => BitBytes(n, FieldBits);

    /// <summary>Bytes of n values of b bits written by <see cref="WriteBits"/>.</summary>
    public static long BitBytes(long n, int bits) => (n * bits + 7) / 8;

    /// <summary>
    /// Values of <paramref name="bits"/> bits each (at most 32, each below 2^bits), least significant bit first, packed
    /// into ⌈n·bits/8⌉ bytes with zero padding bits.
    /// </summary>
    public void WriteBits(ReadOnlySpan<uint> values, int bits)
    {
        int length = (int)BitBytes(values.Length, bits);
        // Eight bytes of room past the end, so that each value is or-ed in with one 64-bit store.
        var packed = new byte[length + 8];
        long bit = 0;
        foreach (uint value in values)
        {
            var at = packed.AsSpan((int)(bit >> 3), 8);
            BinaryPrimitives.WriteUInt64LittleEndian(at, BinaryPrimitives.ReadUInt64LittleEndian(at) | (ulong)value << (int)(bit & 7));
            bit += bits;
        }
        WriteBytes(packed.AsSpan(0, length));
    }
}
