using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Security;

namespace ZkVm.Host.Tests.Support;

/// <summary>
/// A tiny bare-assembly guest (READ up to 4 bytes, COMMIT them, HALT with 7) and its receipts, proven once
/// per test run and shared by the test classes: proving dominates their time.
/// </summary>
public static class EchoGuest
{
    public const string Source = """
            .text
            .globl _start
        _start:
            la a0, buf
            li a1, 4
            li a7, 1
            ecall
            mv a1, a0
            la a0, buf
            li a7, 3
            ecall
            li a0, 7
            li a7, 0
            ecall
            .data
            .balign 4
        buf:
            .word 0x11223344
        """;

    public static readonly byte[] Input = [0xca, 0xfe, 0x01];

    static readonly Lazy<ZkProgram> program = new(() => ZkProgram.Load(Guests.FromText("echo.S", Source, bare: true)));

    public static ZkProgram Program => program.Value;

    static readonly Lazy<(Receipt Receipt, List<ProofProgress> Progress)> proof = new(() =>
    {
        var progress = new List<ProofProgress>();
        var receipt = Program.Prove(Input, new ProverOptions { Preset = SecurityPreset.Conjectured100 }, new SyncProgress(progress.Add));
        return (receipt, progress);
    });

    /// <summary>The conjectured100 receipt of <see cref="Input"/>, with the progress its proving reported.</summary>
    public static (Receipt Receipt, List<ProofProgress> Progress) Proof => proof.Value;

    static readonly Lazy<Receipt> other = new(() => Program.Prove(new byte[] { 0x01, 0x02 }, new ProverOptions { Preset = SecurityPreset.Conjectured100 }));

    /// <summary>A second valid conjectured100 receipt of the same program (another input), to splice with the first.</summary>
    public static Receipt Other => other.Value;

    /// <summary>Reports on the prover's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SyncProgress(Action<ProofProgress> report) : IProgress<ProofProgress>
    {
        public void Report(ProofProgress value) => report(value);
    }
}
