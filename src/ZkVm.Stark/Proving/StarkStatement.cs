using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Proving;

/// <summary>
/// What a proof is about and what the verifier knows without it: the tables' AIRs, their public
/// values, and the bus terms it computes from public data.
/// </summary>
public sealed record StarkStatement(IReadOnlyList<IAir> Airs, IReadOnlyList<BabyBear[]> PublicValues, IReadOnlyList<PublicBusEntry> PublicBus)
{
    public static StarkStatement For(IReadOnlyList<TableTrace> tables, IReadOnlyList<PublicBusEntry>? publicBus = null) =>
        new([.. tables.Select(t => t.Air)], [.. tables.Select(t => t.PublicValues)], publicBus ?? []);
}
