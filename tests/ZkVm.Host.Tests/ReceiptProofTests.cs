using ZkVm.Machine;
using ZkVm.Host.Tests.Support;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Security;

namespace ZkVm.Host.Tests;

/// <summary>
/// Real receipts of a tiny bare-assembly guest (READ up to 4 bytes, COMMIT them, HALT with 7): proven,
/// verified, saved and read back, and rejected when anything they claim is changed. These need the
/// instruction chips (ALU, memory, system) in the machine.
/// </summary>
public class ReceiptProofTests
{
    static readonly byte[] Input = EchoGuest.Input;

    static Receipt Proven => EchoGuest.Proof.Receipt;

    [Fact]
    public void A_proven_run_verifies_and_claims_what_the_emulator_saw()
    {
        var program = EchoGuest.Program;
        var run = program.Execute(Input);
        Assert.Equal(7u, run.ExitCode);
        Assert.Equal(Input, run.Journal);

        var (receipt, progress) = EchoGuest.Proof;
        Assert.Equal(program.ImageId, receipt.ImageId);
        Assert.Equal(run.ExitCode, receipt.ExitCode); // one type, uint, for the run and its receipt
        Assert.Equal(1, receipt.ShardCount);
        Assert.Equal(run.Cycles, receipt.Cycles);
        Assert.Equal(Input, receipt.Journal.ToArray());
        Assert.NotEmpty(receipt.ProvingPhases);
        Assert.Equal(ZkProgram.Stages[0], progress[0].Stage);
        Assert.Equal(("done", 1.0), (progress[^1].Stage, progress[^1].Fraction));
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First.Fraction <= p.Second.Fraction));

        var sevenAccepted = new VerificationPolicy { Minimum = SecurityRegime.Conjectured, ExitCodes = [7] };
        receipt.Verify(program, sevenAccepted);
        receipt.Verify(program.ImageId, sevenAccepted);
        Receipt.Read(receipt.ToBytes()).Verify(program.ImageId, sevenAccepted);
    }

    /// <summary>
    /// The guest halts with 7: a verified proof of a run that reported a failure. The default policy refuses it (ZK5106),
    /// as a verifier that never looks at the exit code would otherwise accept a failed assert; the verifier may accept
    /// that code, or any, and may pin the journal (ZK5107).
    /// </summary>
    [Fact]
    public void A_nonzero_exit_code_is_refused_unless_the_verifier_accepts_it()
    {
        var (program, receipt) = (EchoGuest.Program, Proven);
        var e = Assert.Throws<VerificationException>(() => receipt.Verify(program.ImageId, SecurityRegime.Conjectured));
        Assert.Equal(HostErrors.ExitCodeRefused, e.Code);
        Assert.Contains("exit code 7", e.Detail);
        Assert.Equal(HostErrors.ExitCodeRefused, Assert.Throws<VerificationException>(() =>
            Receipt.VerifyBytes(receipt.ToBytes(), program.ImageId, SecurityRegime.Conjectured)).Code);
        Assert.Equal(HostErrors.ExitCodeRefused, Assert.Throws<VerificationException>(() =>
            receipt.Verify(program, new VerificationPolicy { Minimum = SecurityRegime.Conjectured, ExitCodes = [0, 3] })).Code);

        receipt.Verify(program, new VerificationPolicy { Minimum = SecurityRegime.Conjectured, ExitCodes = [3, 7] });
        receipt.Verify(program, VerificationPolicy.AnyExitCode(SecurityRegime.Conjectured));
        receipt.Verify(program, VerificationPolicy.AnyExitCode(SecurityRegime.Conjectured) with { ExpectedJournal = Input });
        var journal = Assert.Throws<VerificationException>(() =>
            receipt.Verify(program, VerificationPolicy.AnyExitCode(SecurityRegime.Conjectured) with { ExpectedJournal = new byte[] { 1, 2, 3 } }));
        Assert.Equal(HostErrors.JournalMismatch, journal.Code);
        // The proof is judged first: the policy never turns a forged receipt into another verdict than the proof's.
        Assert.Equal(HostErrors.InsufficientSecurity, Assert.Throws<VerificationException>(() => receipt.Verify(program.ImageId, VerificationPolicy.AnyExitCode())).Code);
    }

    /// <summary>One Verifier shared by eight threads: every verification of the receipt's bytes succeeds, and a forged copy is refused in each.</summary>
    [Fact]
    public void A_shared_verifier_verifies_from_many_threads()
    {
        var verifier = new Verifier(policy: new VerificationPolicy { Minimum = SecurityRegime.Conjectured, ExitCodes = [7] });
        byte[] bytes = Proven.ToBytes(), forged = (byte[])bytes.Clone();
        forged[57] ^= 1; // the journal's first byte
        var id = EchoGuest.Program.ImageId;
        var verdicts = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(Input, verifier.Verify(bytes, id).Journal.ToArray());
                verdicts.Add(Assert.Throws<VerificationException>(() => verifier.Verify(forged, id)).Code);
            }
        });
        Assert.Equal(24, verdicts.Count);
        Assert.All(verdicts, code => Assert.Equal(HostErrors.ProofRejected, code));
        Assert.Equal(HostErrors.ExitCodeRefused, Assert.Throws<VerificationException>(() =>
            new Verifier(policy: VerificationPolicy.Default with { Minimum = SecurityRegime.Conjectured }).Verify(bytes, id)).Code);
    }

    [Fact]
    public void The_verifier_chooses_the_security_regime_not_the_receipt()
    {
        // A conjectured100 proof claims 100 bits only under the conjecture; a verifier asking for proven bits says no.
        var e = Assert.Throws<VerificationException>(() => Proven.Verify(EchoGuest.Program));
        Assert.Equal(HostErrors.InsufficientSecurity, e.Code);
        Assert.StartsWith("ZK32", e.Reason!.Code);
    }

    [Fact]
    public void A_conjectured_receipt_relabelled_proven_is_rejected()
    {
        // Before the label was bound, this receipt read as "proven100" and verified under --accept-conjectured.
        byte[] bytes = Proven.ToBytes();
        bytes[8] = (byte)SecurityPreset.Proven100;
        Assert.Equal(HostErrors.PresetMismatch, Rejection.Expect(bytes, Proven.ImageId, SecurityRegime.Conjectured, "relabelled proven100"));
        Assert.Equal(HostErrors.PresetMismatch, Rejection.Expect(bytes, Proven.ImageId, SecurityRegime.Proven, "relabelled proven100"));
    }

    [Fact]
    public void A_receipt_is_rejected_for_another_program()
    {
        var other = ZkProgram.Load(Guests.FromText("echo-other.S", EchoGuest.Source.Replace("li a0, 7", "li a0, 8"), bare: true));
        var e = Assert.Throws<VerificationException>(() => Proven.Verify(other, SecurityRegime.Conjectured));
        Assert.Equal(HostErrors.WrongImage, e.Code);
        Assert.Equal($"proof is for image {Proven.ImageId}, expected {other.ImageId}", e.Detail);
    }

    [Fact]
    public void A_changed_journal_exit_code_or_cycle_count_is_rejected()
    {
        var r = Proven;
        var id = r.ImageId;
        Receipt With(MachineClaim claim) => new(r.Program, claim, r.Preset, r.Proof);
        var claim = new MachineClaim(r.ExitCode, r.Cycles, r.Journal.ToArray());

        foreach (var forged in new[]
        {
            claim with { Journal = [0xca, 0xfe, 0x02] },
            claim with { Journal = [0xca, 0xfe] },
            claim with { Journal = [0xca, 0xfe, 0x01, 0x00] },
            claim with { ExitCode = 0 },
            claim with { Cycles = claim.Cycles + 1 },
            claim with { Cycles = claim.Cycles - 1 },
        })
        {
            var e = Assert.Throws<VerificationException>(() => With(forged).Verify(id, SecurityRegime.Conjectured));
            Assert.Equal(HostErrors.ProofRejected, e.Code);
            Assert.NotNull(e.Reason);
        }
        Assert.Equal(HostErrors.BadClaim, Assert.Throws<VerificationException>(() => With(claim with { Cycles = 0 }).Verify(id, SecurityRegime.Conjectured)).Code);

        // The same through the bytes: exit code at offset 41, cycles at 45, the journal's first byte at 57.
        byte[] bytes = r.ToBytes();
        foreach (int offset in new[] { 41, 45, 57 })
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[offset] ^= 1;
            var e = Assert.Throws<VerificationException>(() => Receipt.Read(copy).Verify(id, SecurityRegime.Conjectured));
            Assert.StartsWith("ZK51", e.Code);
        }
    }

    [Fact]
    public void Sampled_byte_flips_of_a_real_receipt_are_typed_errors_or_rejections()
    {
        var r = Proven;
        byte[] bytes = r.ToBytes();
        var random = new Random(7);
        // Every byte of the header and claim, then a sample of the rest (each verification costs a proof check).
        for (int at = 0; at < 70; at++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[at] ^= (byte)(1 << random.Next(8));
            Rejection.Expect(copy, r.ImageId, SecurityRegime.Conjectured, $"flip at {at}");
        }
        for (int n = 0; n < 12; n++)
        {
            byte[] copy = (byte[])bytes.Clone();
            int at = random.Next(bytes.Length);
            copy[at] ^= (byte)(1 << random.Next(8));
            Rejection.Expect(copy, r.ImageId, SecurityRegime.Conjectured, $"flip at {at}");
        }
    }
}
