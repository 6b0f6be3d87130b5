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

    /// <summary>A program's parts (from a receipt) are out of bounds or out of order.</summary>
    public const string BadProgram = "ZK5004";

    /// <summary>An ImageId that is not 64 hex digits of canonical field elements.</summary>
    public const string BadImageId = "ZK5005";

    /// <summary>A claim no run can have (no cycles, too many, an oversized journal).</summary>
    public const string BadClaim = "ZK5006";

    /// <summary>The shards do not tile the run: a shard size out of range, a shard count other than the cycles need,
    /// or boundary pieces whose key ranges do not follow each other from 0 to the end.</summary>
    public const string BadShards = "ZK5007";
}
