using System.Buffers;
using System.Buffers.Binary;
using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Stark.Serialization;

/// <summary>
/// Writes the little-endian binary encoding that <see cref="ProofReader"/> reads back: fixed-size
/// integers, canonical field elements, and sequences prefixed by their 32-bit count.
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
        foreach (BabyBear v in values) WriteField(v);
    }

    public void WriteExtensions(ReadOnlySpan<BabyBearExt4> values)
    {
        WriteCount(values.Length);
        foreach (BabyBearExt4 v in values) WriteExtension(v);
    }

    public void WriteDigests(ReadOnlySpan<Digest> digests)
    {
        WriteCount(digests.Length);
        foreach (Digest d in digests) WriteDigest(d);
    }
}
