using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// The one judge of "rejected" for the machine's soundness tests: verification must throw the typed error
/// of the check a test is named for, not merely some error (a proof-of-work miss or an engine failure
/// would otherwise pass for the mechanism under test).
/// </summary>
static class Verdict
{
    public static ZkVmException Rejected(string code, Action verify)
    {
        var e = Assert.ThrowsAny<ZkVmException>(verify);
        Assert.True(e.Code == code, $"expected rejection {code}, got {e.Code}: {e.Message}");
        return e;
    }

    /// <summary>A cheating prover's best: the (forged) traces proved at Proven100 under the claim's own public
    /// terms and public values, so the transcript is consistent; the verifier must reject with <paramref name="code"/>.</summary>
    public static ZkVmException ProofRejected(string code, MachineCircuit circuit, TableTrace[] traces, MachineClaim claim)
    {
        var statement = circuit.Statement(claim);
        TableTrace[] claimed = [.. traces.Select((t, i) => new TableTrace(t.Air, t.Main, statement.PublicValues[i]))];
        var proof = StarkProver.Prove(claimed, SecurityPresets.Parameters(SecurityPreset.Proven100), statement.PublicBus);
        return Rejected(code, () => MachineVerifier.Verify(circuit.Program, claim, proof));
    }
}
