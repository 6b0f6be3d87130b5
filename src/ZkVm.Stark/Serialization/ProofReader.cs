using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Stark.Serialization;

/// <summary>
/// A strict, bounded reader of untrusted proof bytes. Every read names what it reads, so an error
/// says what was wrong and at which byte offset; a count is checked against a caller-given maximum
/// and against the bytes that remain before anything is allocated, so a forged length cannot make
/// the reader allocate more than the input's size; a field element must be canonical; and
/// <see cref="ExpectEnd"/> rejects trailing bytes. All failures are <see cref="ZkVmException"/>s.
/// </summary>
public ref struct ProofReader
{
    private readonly ReadOnlySpan<byte> data;
    private int position;

    public ProofReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    public readonly int Position => position;
    public readonly int Remaining => data.Length - position;

    private ReadOnlySpan<byte> Take(int length, string what)
    {
        if (length > Remaining)
            throw new ZkVmException(ProofFormatErrors.Truncated, $"{what} at byte offset {position} needs {length} bytes, {Remaining} remain");
        ReadOnlySpan<byte> slice = data.Slice(position, length);
        position += length;
        return slice;
    }

    public ReadOnlySpan<byte> ReadBytes(int length, string what) => Take(length, what);

    public byte ReadU8(string what) => Take(1, what)[0];

    public uint ReadU32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    /// <summary>A 64-bit integer that must lie in [0, max].</summary>
    public long ReadBounded64(string what, long max)
    {
        int start = position;
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));
        if (value > (ulong)max)
            throw new ZkVmException(ProofFormatErrors.InvalidValue, $"{what} at byte offset {start} is {value}, allowed 0…{max}");
        return (long)value;
    }

    /// <summary>A 32-bit integer that must lie in [min, max].</summary>
    public int ReadBounded(string what, int min, int max)
    {
        int start = position;
        uint value = ReadU32(what);
        if (value < (uint)min || value > (uint)max)
            throw new ZkVmException(ProofFormatErrors.InvalidValue, $"{what} at byte offset {start} is {value}, allowed {min}…{max}");
        return (int)value;
    }

    public BabyBear ReadField(string what)
    {
        int start = position;
        ReadOnlySpan<byte> bytes = Take(4, what);
        try
        {
            return BabyBear.ReadFrom(bytes, start);
        }
        catch (ZkVmException e)
        {
            throw new ZkVmException(e.Code, $"{what}: {e.Detail}");
        }
    }

    public BabyBearExt4 ReadExtension(string what) =>
        new(ReadField(what), ReadField(what), ReadField(what), ReadField(what));

    public Digest ReadDigest(string what)
    {
        Span<BabyBear> values = stackalloc BabyBear[Digest.Length];
        for (int i = 0; i < Digest.Length; i++) values[i] = ReadField(what);
        return new Digest(values);
    }

    /// <summary>
    /// A sequence count in [0, max] whose elements (each at least <paramref name="minElementBytes"/>
    /// bytes) fit in what remains: checked before the caller allocates anything.
    /// </summary>
    public int ReadCount(string what, int max, int minElementBytes)
    {
        int start = position;
        uint count = ReadU32($"count of {what}");
        if (count > (uint)max)
            throw new ZkVmException(ProofFormatErrors.CountOutOfRange, $"{what}: count {count} at byte offset {start} exceeds the limit {max}");
        if ((long)count * minElementBytes > Remaining)
            throw new ZkVmException(ProofFormatErrors.Truncated, $"{what}: {count} elements at byte offset {start} need at least {(long)count * minElementBytes} bytes, {Remaining} remain");
        return (int)count;
    }

    /// <summary>
    /// A count in [0, max] of elements of <paramref name="fieldsEach"/> packed field elements each (31 bits apiece), checked
    /// against the bytes that remain before the caller allocates anything.
    /// </summary>
    public int ReadPackedCount(string what, int max, int fieldsEach)
    {
        int start = position;
        int count = ReadCount(what, max, 0);
        if ((long)count * fieldsEach * ProofWriter.FieldBits > 8L * Remaining)
            throw new ZkVmException(ProofFormatErrors.Truncated, $"{what}: {count} elements at byte offset {start} need at least {ProofWriter.PackedBytes((long)count * fieldsEach)} bytes, {Remaining} remain");
        return count;
    }

    public BabyBear[] ReadFields(string what, int max)
    {
        var values = new BabyBear[ReadPackedCount(what, max, 1)];
        ReadPacked(values, what);
        return values;
    }

    public BabyBearExt4[] ReadExtensions(string what, int max)
    {
        var values = new BabyBearExt4[ReadPackedCount(what, max, 4)];
        ReadPacked(MemoryMarshal.Cast<BabyBearExt4, BabyBear>(values.AsSpan()), what);
        return values;
    }

    public Digest[] ReadDigests(string what, int max)
    {
        var values = new Digest[ReadPackedCount(what, max, Digest.Length)];
        ReadPacked(MemoryMarshal.Cast<Digest, BabyBear>(values.AsSpan()), what);
        return values;
    }

    /// <summary>What <see cref="ProofWriter.WritePacked"/> wrote: <paramref name="values"/>.Length elements of 31 bits, each canonical (else ZK1001).</summary>
    public void ReadPacked(Span<BabyBear> values, string what)
    {
        int start = position;
        var raw = new uint[values.Length];
        ReadBits(raw, ProofWriter.FieldBits, what);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] >= BabyBear.P)
                throw new ZkVmException(FieldErrors.NonCanonical, $"{what} at byte offset {start + i * ProofWriter.FieldBits / 8}: non-canonical BabyBear value 0x{raw[i]:x8} (must be < 0x{BabyBear.P:x8})");
            values[i] = BabyBear.FromCanonical(raw[i]);
        }
    }

    /// <summary>What <see cref="ProofWriter.WriteBits"/> wrote: <paramref name="values"/>.Length values of b bits; the padding bits must be zero.</summary>
    public void ReadBits(Span<uint> values, int bits, string what)
    {
        int start = position;
        ReadOnlySpan<byte> read = Take((int)ProofWriter.BitBytes(values.Length, bits), what);
        // Eight zero bytes past the end, so that each value is one 64-bit load.
        var packed = new byte[read.Length + 8];
        read.CopyTo(packed);
        ulong mask = (1UL << bits) - 1;
        long bit = 0;
        for (int i = 0; i < values.Length; i++, bit += bits)
            values[i] = (uint)((BinaryPrimitives.ReadUInt64LittleEndian(packed.AsSpan((int)(bit >> 3))) >> (int)(bit & 7)) & mask);
        if (bit % 8 != 0 && read[^1] >> (int)(bit % 8) != 0)
            throw new ZkVmException(ProofFormatErrors.InvalidValue, $"{what} at byte offset {start}: padding bits are not zero");
    }

    /// <summary>The format's magic bytes must come next (they say what kind of file this is).</summary>
    public void ExpectMagic(ReadOnlySpan<byte> magic, string what)
    {
        int start = position;
        if (Remaining < magic.Length || !data.Slice(position, magic.Length).SequenceEqual(magic))
            throw new ZkVmException(ProofFormatErrors.BadMagic, $"not a {what}: the bytes at offset {start} are not its magic number");
        position += magic.Length;
    }

    /// <summary>A format version this reader understands; any other is rejected before it is parsed.</summary>
    public uint ReadVersion(string what, uint supported)
    {
        int start = position;
        uint version = ReadU32($"{what} version");
        if (version != supported)
            throw new ZkVmException(ProofFormatErrors.UnsupportedVersion, $"{what} version {version} at byte offset {start} is not supported (this reader reads version {supported})");
        return version;
    }

    /// <summary>The input must end here.</summary>
    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
            throw new ZkVmException(ProofFormatErrors.TrailingBytes, $"{Remaining} unexpected bytes after {what} at byte offset {position}");
    }
}
