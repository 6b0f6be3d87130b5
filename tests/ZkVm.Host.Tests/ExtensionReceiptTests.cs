using System.Buffers.Binary;
using ZkVm.Machine;
using ZkVm.Machine.Extensions;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Samples.Zicond;

namespace ZkVm.Host.Tests;

/// <summary>
/// Receipts of a guest on a machine extension (samples/zicond): the extension is loaded from its assembly, the receipt
/// names it, and a verifier accepts it only on the same machine, however the receipt is relabelled.
/// </summary>
public sealed class ExtensionReceiptTests
{
    static string ExtensionAssembly => typeof(ZicondExtension).Assembly.Location;

    static readonly Lazy<ExtensionSet> Machine = new(() => MachineExtensions.Load([ExtensionAssembly]));

    static readonly Lazy<string> Elf = new(() => Guests.FromText("zicond_guest.c",
        File.ReadAllText(Path.Combine(Guests.RepoRoot, "samples", "zicond", "ZicondGuest", "src", "main.c")), bare: false));

    static byte[] Input => File.ReadAllBytes(Path.Combine(Guests.RepoRoot, "samples", "zicond", "ZicondGuest", "inputs", "values.bin"));

    static readonly Lazy<(ZkProgram Program, Receipt Receipt)> Proven = new(() =>
    {
        var program = ZkProgram.Load(Elf.Value, Machine.Value);
        return (program, program.Prove(Input));
    });

    [Fact]
    public void TheExtensionLoadsFromItsAssembly()
    {
        Assert.Equal("rv32im+zicond", Machine.Value.ToString());
        Assert.Same(ExtensionSet.Rv32im, MachineExtensions.Load([]));
    }

    [Theory]
    [InlineData("missing.dll", "not found")]
    [InlineData("field", "has no public class implementing IMachineExtension")]
    [InlineData("text", "cannot be loaded")]
    public void AnAssemblyThatIsNoExtensionIsATypedError(string which, string message)
    {
        string path = which switch
        {
            "field" => typeof(ZkVm.Field.BabyBear).Assembly.Location,
            "text" => Path.Combine(Guests.WorkDir, "not-an-assembly.dll"),
            _ => Path.Combine(Guests.WorkDir, which),
        };
        if (which == "text") File.WriteAllText(path, "not an assembly");
        var e = Assert.Throws<ZkVmException>(() => MachineExtensions.Load([path]));
        Assert.Equal(HostErrors.BadExtensionAssembly, e.Code);
        Assert.Contains(message, e.Detail);
    }

    [Fact]
    public void TheGuestProvesAndItsReceiptVerifiesOnTheSameMachine()
    {
        var (program, receipt) = Proven.Value;
        Assert.Equal(0u, receipt.ExitCode);
        Assert.Equal(16, receipt.Journal.Length);
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(receipt.Journal.Span));
        var read = Receipt.VerifyBytes(receipt.ToBytes(), program.ImageId, machine: Machine.Value);
        Assert.Equal(receipt.Cycles, read.Cycles);
        Assert.NotEqual(ZkProgram.Load(Elf.Value).ImageId, program.ImageId);
    }

    [Fact]
    public void AVerifierWithoutTheExtensionRejectsTheReceipt()
    {
        var (program, receipt) = Proven.Value;
        var e = Assert.Throws<VerificationException>(() => Receipt.VerifyBytes(receipt.ToBytes(), program.ImageId));
        Assert.Equal(HostErrors.ExtensionMismatch, e.Code);
        Assert.Contains("load the 'zicond' extension", e.Detail);
    }

    [Fact]
    public void AReceiptRelabelledAsPlainRv32imIsRejected()
    {
        // Drop the extension's name: the parts now hash, on plain RV32IM, to another ImageId than the one written.
        var (program, receipt) = Proven.Value;
        byte[] bytes = receipt.ToBytes();
        int names = NamesOffset(bytes);
        byte[] plain = [.. bytes[..names], 0, 0, 0, 0, .. bytes[(names + 4 + 4 + "zicond".Length)..]];
        Assert.Equal(HostErrors.ImageIdMismatch, Assert.Throws<VerificationException>(() => Receipt.VerifyBytes(plain, program.ImageId)).Code);

        // Write that ImageId too: the expected one no longer matches, and against the relabelled one the STARK proof fails.
        var relabelled = new ZkVm.Machine.MachineProgram(program.Machine.Entry, program.Machine.CodeBase, program.Machine.Words, program.Machine.Image, program.Machine.Map.Regions).ImageId;
        relabelled.WriteTo(plain.AsSpan(9));
        Assert.Equal(HostErrors.WrongImage, Assert.Throws<VerificationException>(() => Receipt.VerifyBytes(plain, program.ImageId)).Code);
        var e = Assert.Throws<VerificationException>(() => Receipt.VerifyBytes(plain, relabelled));
        Assert.Equal(HostErrors.ProofRejected, e.Code);
    }

    [Fact]
    public void APlainReceiptIsRejectedByAVerifierThatExpectsTheExtension()
    {
        var plain = ZkProgram.Load(Guests.SampleElf("fibonacci"));
        var receipt = plain.Prove(Guests.SampleInput("fibonacci"));
        var e = Assert.Throws<VerificationException>(() => Receipt.VerifyBytes(receipt.ToBytes(), plain.ImageId, machine: Machine.Value));
        Assert.Equal(HostErrors.ExtensionMismatch, e.Code);
    }

    /// <summary>The byte offset of the extension-name count: after the memory map, whose regions are 5 bytes each.</summary>
    static int NamesOffset(byte[] bytes)
    {
        int at = 4 + 4 + 1 + 32 + 4 + 8;
        at += 4 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));                 // journal
        at += 8;                                                                             // entry, code base
        at += 4 + 4 * BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));             // ROM words
        at += 4 + 12 * BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));            // image words
        at += 4 + 5 * BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));             // memory map
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)));
        Assert.Equal("zicond"u8.Length, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4)));
        return at;
    }
}
