using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine;

/// <summary>Checks a proof of a run of a program against a claim; accepts by returning, rejects with a typed reason.</summary>
public static class MachineVerifier
{
    /// <summary>Journals above this many bytes are refused before any work (the guest limit is 64 MiB).</summary>
    public const int MaxJournalBytes = 64 << 20;

    public static void Verify(MachineProgram program, MachineClaim claim, StarkProof proof, SecurityRegime regime = SecurityRegime.Proven)
    {
        if (claim.Cycles is 0 or > MachineLayout.MaxCycles)
            throw new ZkVmException(MachineErrors.BadClaim, $"a proven run has 1 to {MachineLayout.MaxCycles} cycles, not {claim.Cycles}");
        if (claim.Journal.Length > MaxJournalBytes)
            throw new ZkVmException(MachineErrors.BadClaim, $"the journal has {claim.Journal.Length} bytes; at most {MaxJournalBytes} can be committed");
        var circuit = new MachineCircuit(program);
        StarkVerifier.Verify(circuit.Statement(claim), proof, SecurityPresets.TargetBits, regime);
    }
}
