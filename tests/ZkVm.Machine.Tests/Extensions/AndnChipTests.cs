using ZkVm.Field;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Tests.Chips;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Extensions;

/// <summary>The walkthrough's new instruction: a guest uses it, the run proves and verifies, and a forged result byte is caught.</summary>
public sealed class AndnChipTests
{
    static readonly ExtensionSet Machine = new([new AndnExtension()]);

    const string Source = """
            li t0, 0xF0F0FF00
            li t1, 0x0FF0F0F0
            .insn r 0x33, 7, 0x20, a1, t0, t1
            li t2, 0xF0000F00
            bne a1, t2, fail
            .insn r 0x33, 7, 0x20, a2, t0, zero
            bne a2, t0, fail
            .insn r 0x33, 7, 0x20, a3, t0, t0
            bnez a3, fail
            .insn r 0x33, 7, 0x20, zero, t0, t1
            j ok
        fail:
            li a0, 1
            li a7, 0
            ecall
        ok:
        """;

    static readonly Lazy<(MachineProgram Program, MachineWitness Witness)> Run = new(() => MachineRuns.On(Machine, ChipHarness.Bare("andn_cases.S", Source)));

    [Fact]
    public void AGuestUsingItProvesAndVerifies()
    {
        var (program, witness) = Run.Value;
        Assert.Equal(0u, witness.ExitCode);
        var (table, steps) = ChipHarness.Fill(Machine.Chips[^1], witness);
        Assert.Equal(4, steps.Length);
        ChipHarness.AssertHonest(table, steps);
        var proof = MachineProver.Prove(program, ReadOnlyMemory<byte>.Empty);
        MachineVerifier.Verify(program, proof.Claim, proof.Proof);
    }

    [Fact]
    public void AForgedResultByteIsNotInTheByteTable()
    {
        var (table, _) = ChipHarness.Fill(Machine.Chips[^1], Run.Value.Witness);
        int column = Columns.Index(Machine.Chips[^1], "ResBytes[1]");
        var forged = ChipHarness.With(table, m => m[0, column] += BabyBear.One);
        Assert.StartsWith("bytes (2, ", ChipHarness.Rejects(table, forged, 0));
    }
}
