using ZkVm.Host.Tests.Support;
using ZkVm.Machine;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Air;
using ZkVm.Cli.Benchmarks;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Host.Tests;

/// <summary>
/// The ZKRC format on a receipt whose parts are well-formed but whose proof is of a synthetic table
/// (it parses, and it is rejected when verified): round trip, every truncation, sampled byte flips.
/// </summary>
public class ReceiptFormatTests
{
    // Nothing below 0x2000 (the null page and the code page at 0x1000), read-write data above.
    static readonly MemoryRegion[] Map = [new(0, PageAccess.None), new(0x2000, PageAccess.ReadWrite)];

    internal static readonly Lazy<Receipt> Synthetic = new(() => SyntheticReceipt(SecurityPreset.Conjectured100));

    internal static readonly Lazy<Receipt> SyntheticProven = new(() => SyntheticReceipt(SecurityPreset.Proven100));

    static Receipt SyntheticReceipt(SecurityPreset preset)
    {
        // addi a0, x0, 7; addi a7, x0, 0; ecall
        var program = new MachineProgram(0x1000, 0x1000, [0x00700513, 0x00000893, 0x00000073],
            [new ImageWord(MachineLayout.RegisterSpace, 2, 0x2000_0000), new ImageWord(MachineLayout.MemorySpace, 0x800, 0xdeadbeef)], Map);
        TableTrace[] tables = [SyntheticAir.Trace(4, 1 << 4, seed: 3)];
        var proof = StarkProver.Prove(tables, SecurityPresets.Parameters(preset));
        return new Receipt(program, new MachineClaim(7, 3, [1, 2, 3]), preset, proof);
    }

    [Fact]
    public void A_receipt_round_trips_byte_for_byte()
    {
        var receipt = Synthetic.Value;
        byte[] bytes = receipt.ToBytes();
        Assert.True(ReceiptFormat.HasMagic(bytes));
        var read = Receipt.Read(bytes);
        Assert.Equal(receipt.ImageId, read.ImageId);
        Assert.Equal(7u, read.ExitCode);
        Assert.Equal(3ul, read.Cycles);
        Assert.Equal([1, 2, 3], read.Journal.ToArray());
        Assert.Equal(SecurityPreset.Conjectured100, read.Preset);
        Assert.Equal(receipt.Program.Words, read.Program.Words);
        Assert.Equal(receipt.Program.Image, read.Program.Image);
        Assert.Equal(bytes, read.ToBytes());

        string path = Path.Combine(Path.GetTempPath(), $"zkvm-receipt-{Guid.NewGuid():N}.zkrc");
        try
        {
            receipt.Save(path);
            Assert.Equal(bytes, Receipt.Load(path).ToBytes());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_summary_names_image_exit_code_cycles_journal_preset_and_size()
    {
        var receipt = Synthetic.Value;
        using var json = System.Text.Json.JsonDocument.Parse(receipt.SummaryJson());
        var root = json.RootElement;
        Assert.Equal(receipt.ImageId.ToString(), root.GetProperty("imageId").GetString());
        Assert.Equal(7u, root.GetProperty("exitCode").GetUInt32());
        Assert.Equal(3ul, root.GetProperty("cycles").GetUInt64());
        Assert.Equal("010203", root.GetProperty("journal").GetString());
        Assert.Equal("conjectured100", root.GetProperty("preset").GetString());
        Assert.Equal(Stark.Serialization.StarkProofFormat.Write(receipt.Proof).Length, root.GetProperty("proofBytes").GetInt32());
    }

    [Fact]
    public void Every_truncation_is_a_typed_error()
    {
        byte[] bytes = Synthetic.Value.ToBytes();
        for (int length = 0; length < bytes.Length; length++)
        {
            var e = Assert.ThrowsAny<ZkVmException>(() => Receipt.Read(bytes.AsSpan(0, length)));
            Assert.True(e.Code is HostErrors.Truncated or HostErrors.BadMagic or "ZK3001", $"length {length}: {e.Message}");
        }
        var trailing = Assert.ThrowsAny<ZkVmException>(() => Receipt.Read([.. bytes, 0]));
        Assert.Equal(HostErrors.TrailingBytes, trailing.Code);
    }

    [Fact]
    public void Sampled_byte_flips_are_typed_errors_or_typed_rejections()
    {
        var receipt = Synthetic.Value;
        byte[] bytes = receipt.ToBytes();
        var random = new Random(20261122);
        for (int n = 0; n < 2000; n++)
        {
            byte[] copy = (byte[])bytes.Clone();
            int at = n < 200 ? n % Math.Min(200, bytes.Length) : random.Next(bytes.Length); // every header byte, then anywhere
            copy[at] ^= (byte)(1 << random.Next(8));
            Rejection.Expect(copy, receipt.ImageId, SecurityRegime.Conjectured, $"flip at {at}");
        }
    }

    [Fact]
    public void Bad_fields_name_their_byte_offset()
    {
        byte[] bytes = Synthetic.Value.ToBytes();
        Assert.Equal(HostErrors.BadMagic, Assert.ThrowsAny<ZkVmException>(() => Receipt.Read("ZKSP"u8.ToArray().Concat(bytes[4..]).ToArray())).Code);

        byte[] version = (byte[])bytes.Clone();
        version[4] = (byte)(ReceiptFormat.Version + 1);
        Assert.Equal(HostErrors.UnsupportedVersion, Assert.ThrowsAny<ZkVmException>(() => Receipt.Read(version)).Code);

        byte[] preset = (byte[])bytes.Clone();
        preset[8] = 7;
        var e = Assert.ThrowsAny<ZkVmException>(() => Receipt.Read(preset));
        Assert.Equal(HostErrors.InvalidValue, e.Code);
        Assert.Contains("byte offset 8", e.Detail);

        byte[] id = (byte[])bytes.Clone();
        id[9] ^= 1;
        Assert.Equal(HostErrors.ImageIdMismatch, Assert.ThrowsAny<ZkVmException>(() => Receipt.Read(id)).Code);

        byte[] cycles = (byte[])bytes.Clone();
        Array.Clear(cycles, 45, 8);
        e = Assert.ThrowsAny<ZkVmException>(() => Receipt.Read(cycles));
        Assert.Equal(HostErrors.InvalidValue, e.Code);
        Assert.Contains("byte offset 45", e.Detail);

        byte[] journal = (byte[])bytes.Clone();
        BitConverter.GetBytes(uint.MaxValue).CopyTo(journal, 53);
        Assert.Equal(HostErrors.CountOutOfRange, Assert.ThrowsAny<ZkVmException>(() => Receipt.Read(journal)).Code);
    }

    [Fact]
    public void The_preset_byte_must_name_the_parameters_the_proof_carries()
    {
        // Relabelled either way, a receipt would report a security its proof does not have (or hide the one it has).
        foreach (var (receipt, label) in new[] { (Synthetic.Value, SecurityPreset.Proven100), (SyntheticProven.Value, SecurityPreset.Conjectured100) })
        {
            byte[] bytes = receipt.ToBytes();
            Assert.Equal((byte)receipt.Preset, bytes[8]);
            bytes[8] = (byte)label;
            var e = Assert.ThrowsAny<ZkVmException>(() => Receipt.Read(bytes));
            Assert.Equal(HostErrors.PresetMismatch, e.Code);
            Assert.Contains("byte offset 8", e.Detail);
            Assert.Equal(HostErrors.PresetMismatch, Rejection.Expect(bytes, receipt.ImageId, SecurityRegime.Conjectured, $"relabelled {label}"));
            Assert.Equal(HostErrors.PresetMismatch, Rejection.Expect(bytes, receipt.ImageId, SecurityRegime.Proven, $"relabelled {label}"));
        }
    }

    [Fact]
    public void A_missing_receipt_file_is_a_typed_error()
    {
        var e = Assert.ThrowsAny<ZkVmException>(() => Receipt.Load(Path.Combine(Path.GetTempPath(), "no-such-receipt.zkrc")));
        Assert.Equal(HostErrors.Unreadable, e.Code);
    }

    [Fact]
    public void A_receipt_for_another_image_or_with_a_foreign_proof_is_rejected()
    {
        var receipt = Synthetic.Value;
        var other = new MachineProgram(0x1000, 0x1000, [0x00000073], [MachineProgram.StackPointer], Map);
        var e = Assert.Throws<VerificationException>(() => receipt.Verify(other.ImageId));
        Assert.Equal(HostErrors.WrongImage, e.Code);
        Assert.Contains($"proof is for image {receipt.ImageId}, expected {other.ImageId}", e.Detail);

        e = Assert.Throws<VerificationException>(() => receipt.Verify(receipt.ImageId));
        Assert.StartsWith("ZK51", e.Code);
        Assert.NotNull(e.Reason);
    }
}
