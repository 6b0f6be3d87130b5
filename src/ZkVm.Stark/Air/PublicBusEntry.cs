using ZkVm.Field;

namespace ZkVm.Stark.Air;

/// <summary>
/// A bus term the verifier computes from public data (a "public bus" input such as the journal):
/// it counts in the balance as if a table had sent it (positive) or received it (negative).
/// </summary>
public sealed record PublicBusEntry(Bus Bus, BabyBear Multiplicity, BabyBear[] Values)
{
    /// <summary>The shard a term of a <see cref="Bus.PerShard"/> bus belongs to (0 in a one-proof statement).</summary>
    public uint Shard { get; init; }
}
