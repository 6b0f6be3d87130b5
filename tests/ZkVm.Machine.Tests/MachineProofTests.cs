using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;

namespace ZkVm.Machine.Tests;

/// <summary>Real guests proved and verified end to end at the default preset; the claim equals the emulator's run.</summary>
public class MachineProofTests
{
    public static TheoryData<string> DirectedPrograms() => [.. Guests.DirectedPrograms];

    public static TheoryData<string> Samples() => [.. Guests.Samples];

    [Theory]
    [MemberData(nameof(DirectedPrograms))]
    public void Every_directed_program_proves_and_verifies(string file) =>
        ProveAndVerify(Guests.DirectedElf(file), []);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_proves_and_verifies(string sample) =>
        ProveAndVerify(Guests.SampleElf(sample), Guests.SampleInput(sample));

    static void ProveAndVerify(string elf, byte[] input)
    {
        var harvard = HarvardProgram.Load(elf);
        var run = Interpreter.Run(harvard, input);
        Assert.Null(run.Trap);
        var program = new MachineProgram(harvard);
        var proof = MachineProver.Prove(program, input);
        Assert.Equal((uint)run.ExitCode!.Value, proof.Claim.ExitCode);
        Assert.Equal(run.Cycles, proof.Claim.Cycles);
        Assert.Equal(run.Journal, proof.Claim.Journal);
        MachineVerifier.Verify(program, proof.Claim, proof.Proof);
    }
}
