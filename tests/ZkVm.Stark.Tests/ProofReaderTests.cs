using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Serialization;

namespace ZkVm.Stark.Tests;

public class ProofReaderTests
{
    private static readonly byte[] Magic = "ZKT1"u8.ToArray();

    private static readonly BabyBearExt4 Ext = new(BabyBear.FromCanonical(1), BabyBear.FromCanonical(2), BabyBear.FromCanonical(3), BabyBear.FromCanonical(BabyBear.P - 1));
    private static readonly Digest SomeDigest = Poseidon2Hash.HashRow([BabyBear.FromCanonical(9)]);

    private static byte[] Sample()
    {
        var w = new ProofWriter();
        w.WriteBytes(Magic);
        w.WriteU32(1);
        w.WriteU8(7);
        w.WriteField(BabyBear.FromCanonical(BabyBear.P - 1));
        w.WriteExtension(Ext);
        w.WriteFields([BabyBear.One, BabyBear.Zero]);
        w.WriteExtensions([Ext]);
        w.WriteDigests([SomeDigest, SomeDigest]);
        w.WriteU32(12);
        return w.ToArray();
    }

    private static void ReadSample(ReadOnlySpan<byte> bytes)
    {
        var r = new ProofReader(bytes);
        r.ExpectMagic(Magic, "test proof");
        r.ReadVersion("test proof", 1);
        Assert.Equal(7, r.ReadU8("flag"));
        Assert.Equal(BabyBear.FromCanonical(BabyBear.P - 1), r.ReadField("field"));
        Assert.Equal(Ext, r.ReadExtension("ext"));
        Assert.Equal([BabyBear.One, BabyBear.Zero], r.ReadFields("fields", 8));
        Assert.Equal([Ext], r.ReadExtensions("exts", 8));
        Assert.Equal([SomeDigest, SomeDigest], r.ReadDigests("digests", 8));
        Assert.Equal(12, r.ReadBounded("height", 1, 27));
        r.ExpectEnd("test proof");
    }

    [Fact]
    public void Written_values_read_back()
    {
        ReadSample(Sample());
    }

    [Fact]
    public void Truncation_at_every_length_is_a_typed_error()
    {
        byte[] bytes = Sample();
        for (int length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<ZkVmException>(() => ReadSample(bytes.AsSpan(0, length)));
            Assert.True(e.Code is ProofFormatErrors.Truncated or ProofFormatErrors.BadMagic, $"length {length}: {e.Message}");
        }
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        var e = Assert.Throws<ZkVmException>(() => ReadSample([.. Sample(), 0]));
        Assert.Equal(ProofFormatErrors.TrailingBytes, e.Code);
    }

    [Fact]
    public void Bad_magic_and_version_are_rejected_before_parsing()
    {
        byte[] bytes = Sample();
        bytes[0] ^= 1;
        Assert.Equal(ProofFormatErrors.BadMagic, Assert.Throws<ZkVmException>(() => ReadSample(bytes)).Code);
        bytes = Sample();
        bytes[4] = 2;
        var e = Assert.Throws<ZkVmException>(() => ReadSample(bytes));
        Assert.Equal(ProofFormatErrors.UnsupportedVersion, e.Code);
        Assert.Contains("version 2", e.Message);
    }

    [Fact]
    public void Absurd_counts_fail_before_allocating()
    {
        var w = new ProofWriter();
        w.WriteU32(uint.MaxValue);
        Assert.Equal(ProofFormatErrors.CountOutOfRange, Assert.Throws<ZkVmException>(() => new ProofReader(w.ToArray()).ReadFields("fields", 1 << 20)).Code);
        w = new ProofWriter();
        w.WriteU32(1 << 20); // within the limit, but the bytes are not there
        w.WriteField(BabyBear.One);
        var e = Assert.Throws<ZkVmException>(() => new ProofReader(w.ToArray()).ReadDigests("digests", 1 << 20));
        Assert.Equal(ProofFormatErrors.Truncated, e.Code);
        Assert.Contains("digests", e.Message);
    }

    [Fact]
    public void Non_canonical_elements_and_out_of_range_integers_name_what_and_where()
    {
        byte[] bytes = Sample();
        int fieldOffset = Magic.Length + 4 + 1;
        BitConverter.TryWriteBytes(bytes.AsSpan(fieldOffset), BabyBear.P);
        var e = Assert.Throws<ZkVmException>(() => ReadSample(bytes));
        Assert.Equal(FieldErrors.NonCanonical, e.Code);
        Assert.Contains("field", e.Message);
        Assert.Contains($"offset {fieldOffset}", e.Message);

        // The second element of a packed run of fields names its own byte: it starts at bit 31.
        bytes = Sample();
        int run = fieldOffset + 4 + 16 + 4;
        Splice(bytes, run, [1, BabyBear.P]);
        e = Assert.Throws<ZkVmException>(() => ReadSample(bytes));
        Assert.Equal(FieldErrors.NonCanonical, e.Code);
        Assert.Contains("fields at", e.Message);
        Assert.Contains($"offset {run + 3}", e.Message);

        bytes = Sample();
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 4), 28u);
        e = Assert.Throws<ZkVmException>(() => ReadSample(bytes));
        Assert.Equal(ProofFormatErrors.InvalidValue, e.Code);
        Assert.Contains("height", e.Message);
    }

    [Fact]
    public void A_run_of_fields_takes_31_bits_each_and_its_padding_bits_must_be_zero()
    {
        var w = new ProofWriter();
        BabyBear[] values = [.. Enumerable.Range(0, 9).Select(i => BabyBear.FromCanonical(BabyBear.P - 1 - (uint)i))];
        w.WriteFields(values);
        Assert.Equal(4 + 35, w.Length); // ⌈9·31/8⌉ = 35 bytes, against 36 at 4 bytes each
        Assert.Equal(35, ProofWriter.PackedBytes(9));
        Assert.Equal(values, new ProofReader(w.ToArray()).ReadFields("fields", 9));

        // 9·31 = 279 bits: the last byte holds 7 bits of the ninth value and one padding bit.
        byte[] bytes = w.ToArray();
        bytes[^1] |= 0x80;
        var e = Assert.Throws<ZkVmException>(() => new ProofReader(bytes).ReadFields("fields", 9));
        Assert.Equal(ProofFormatErrors.InvalidValue, e.Code);
        Assert.Contains("padding bits", e.Message);
    }

    [Fact]
    public void Packed_counts_are_checked_against_the_bytes_that_remain_at_31_bits_an_element()
    {
        // 8 elements need 31 bytes: with 30 there the count fails before anything is allocated.
        var w = new ProofWriter();
        w.WriteCount(8);
        w.WriteBytes(new byte[30]);
        var e = Assert.Throws<ZkVmException>(() => new ProofReader(w.ToArray()).ReadFields("fields", 8));
        Assert.Equal(ProofFormatErrors.Truncated, e.Code);
        w.WriteBytes(new byte[1]);
        Assert.Equal(new BabyBear[8], new ProofReader(w.ToArray()).ReadFields("fields", 8));
    }

    [Fact]
    public void An_opened_matrix_with_rows_has_columns_and_its_rows_bytes_are_checked_before_allocation()
    {
        // Flag, one matrix, 4096 rows: with width 0 they would cost no bytes at all.
        static byte[] Opening(int rows, int width, int valueBytes)
        {
            var w = new ProofWriter();
            w.WriteU8(1);
            w.WriteCount(1);
            w.WriteCount(rows);
            w.WriteCount(width);
            w.WriteBytes(new byte[valueBytes]);
            return w.ToArray();
        }
        static ZkVmException Read(byte[] bytes) => Assert.Throws<ZkVmException>(() =>
        {
            var r = new ProofReader(bytes);
            StarkProofFormat.ReadOpening(ref r, "main");
        });
        Assert.Equal(ProofFormatErrors.InvalidValue, Read(Opening(4096, 0, 0)).Code);
        var e = Read(Opening(4096, 1, 4096 * 31 / 8 - 1));
        Assert.Equal(ProofFormatErrors.Truncated, e.Code);
        Assert.Contains("4096 rows of 1 values", e.Message);

        var ok = new ProofReader([.. Opening(2, 3, 24), 0, 0, 0, 0]); // ⌈6·31/8⌉ = 24 bytes, then an empty path
        var opening = StarkProofFormat.ReadOpening(ref ok, "main")!;
        Assert.Equal(2, opening.Rows[0].Length);
        Assert.All(opening.Rows[0], row => Assert.Equal(3, row.Length));
    }

    /// <summary>Overwrites the bytes at <paramref name="at"/> with raw 31-bit values (canonical or not).</summary>
    private static void Splice(byte[] bytes, int at, uint[] values)
    {
        var w = new ProofWriter();
        w.WriteBits(values, ProofWriter.FieldBits);
        w.ToArray().CopyTo(bytes, at);
    }

    [Fact]
    public void Every_single_byte_flip_is_detected_or_changes_a_value()
    {
        // The format has no slack: a flipped byte either fails to parse or reads back differently
        // (which the checks above turn into an assertion failure).
        byte[] good = Sample();
        for (int i = 0; i < good.Length; i++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[i] ^= 0x10;
            Assert.ThrowsAny<Exception>(() => ReadSample(bad));
        }
    }
}
