namespace ZkVm.Machine;

/// <summary>Error codes of proving and verifying guest runs (docs/ERRORS.md, ZK50xx).</summary>
public static class MachineErrors
{
    /// <summary>The run did not halt (a trap or the cycle limit); nothing can be proven.</summary>
    public const string NotHalted = "ZK5001";

    /// <summary>The run is longer than one proof covers.</summary>
    public const string TooManyCycles = "ZK5002";

    /// <summary>The emulator's records and the memory replay disagree (an engine bug, never the guest's).</summary>
    public const string WitnessMismatch = "ZK5003";
}
