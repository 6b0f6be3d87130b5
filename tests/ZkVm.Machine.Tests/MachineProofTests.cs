using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;

namespace ZkVm.Machine.Tests;

/// <summary>
/// Real guests proved and verified end to end at the default preset, with the default shard size and in shards of
/// a third of the run (issue 14, must-show 1); the claim equals the emulator's run.
/// </summary>
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

    [Theory]
    [MemberData(nameof(DirectedPrograms))]
    public void Every_directed_program_proves_and_verifies_in_shards(string file) =>
        ProveAndVerify(Guests.DirectedElf(file), [], shards: 3);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_proves_and_verifies_in_shards(string sample) =>
        ProveAndVerify(Guests.SampleElf(sample), Guests.SampleInput(sample), shards: 3);

    /// <param name="shards">Prove in this many shards (the shard size a third of the run, rounded up); by default, in shards of the default size.</param>
    static void ProveAndVerify(string elf, byte[] input, int? shards = null)
    {
        var harvard = HarvardProgram.Load(elf);
        var run = Interpreter.Run(harvard, input);
        Assert.Null(run.Trap);
        var program = new MachineProgram(harvard);
        var options = shards is { } k
            ? new MachineProverOptions { ShardCycles = Math.Max(MachineLayout.MinShardCycles, (run.Cycles + (ulong)k - 1) / (ulong)k) }
            : MachineProverOptions.Default;
        var proof = MachineProver.Prove(program, input, options);
        Assert.Equal((uint)run.ExitCode!.Value, proof.Claim.ExitCode);
        Assert.Equal(run.Cycles, proof.Claim.Cycles);
        Assert.Equal(run.Journal, proof.Claim.Journal);
        if (shards is { } count) Assert.InRange(proof.Shards.Count, 2, count);
        MachineVerifier.Verify(program, proof.Claim, proof.ShardCycles, proof.Shards);
    }
}
