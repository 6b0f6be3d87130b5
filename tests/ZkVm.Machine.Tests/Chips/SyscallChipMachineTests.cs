using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>The SYSCALL and TRANSFER tables inside MachineCircuit: whole runs checked, proved and verified.</summary>
public class SyscallChipMachineTests
{
    /// <summary>LUI and ECALL only (a7 starts at 0, so the ECALL is a HALT): the upper and syscall chips alone prove it.</summary>
    static readonly Lazy<string> HaltOnly = new(() => Guests.FromText("syscall_halt_only.S", """
        .globl _start
        _start:
            lui a0, 0x12345
            ecall
        """, bare: true));

    [Fact]
    public void A_halt_only_run_checks_proves_and_verifies_with_its_exit_code()
    {
        var (program, witness) = MachineRuns.Run(HaltOnly.Value);
        Assert.Equal(0x12345000u, witness.ExitCode);
        new MachineCircuit(program).Check(witness);
        var proof = MachineProver.Prove(program, Array.Empty<byte>());
        Assert.Equal(0x12345000u, proof.Claim.ExitCode);
        MachineVerifier.Verify(program, proof.Claim, proof.Proof);
        // The run proved again under another exit code (either limb) or another cycle count: the halt bus refuses it.
        var circuit = new MachineCircuit(program);
        foreach (var claim in new[] { proof.Claim with { ExitCode = 0x12345001 }, proof.Claim with { ExitCode = 0x12346000 }, proof.Claim with { Cycles = 3 } })
            Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, circuit.Traces(witness), claim);
    }

    /// <summary>
    /// Whole runs that READ, COMMIT, WRITE and ask for CYCLES. They need every instruction family's chip,
    /// so they pass once the other chips are in MachineCircuit (on this branch alone the ALU, branch, load
    /// and store rows have no table and the execution bus does not balance).
    /// </summary>
    [Theory]
    [InlineData("system.S")]
    [InlineData("sha256")]
    [InlineData("textstats")]
    public void A_run_that_reads_and_commits_passes_the_whole_machine_check(string guest)
    {
        // system.S reads "zk" and commits it (as the emulator tests run it).
        var (program, witness) = guest.EndsWith(".S") ? MachineRuns.Run(Guests.DirectedElf(guest), "zk"u8.ToArray()) : MachineRuns.Sample(guest);
        Assert.NotEmpty(witness.Transfers);
        new MachineCircuit(program).Check(witness);
    }
}
