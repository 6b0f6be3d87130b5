using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>
/// What a proof is about and what the verifier knows without it: the tables' AIRs, their public
/// values, and the bus terms it computes from public data.
/// </summary>
public sealed record StarkStatement(IReadOnlyList<IAir> Airs, IReadOnlyList<BabyBear[]> PublicValues, IReadOnlyList<PublicBusEntry> PublicBus)
{
    public static StarkStatement For(IReadOnlyList<TableTrace> tables, IReadOnlyList<PublicBusEntry>? publicBus = null) =>
        new([.. tables.Select(t => t.Air)], [.. tables.Select(t => t.PublicValues)], publicBus ?? []);

    /// <summary>What a proof of this statement with tables of 2^<paramref name="logHeights"/> rows contributes to the soundness
    /// error (the shape a proof carries and the verifier recomputes), for security estimates before proving.</summary>
    public CircuitShape ShapeAt(int[] logHeights)
    {
        var shapes = Airs.Select(AirShape.ForAir).ToArray();
        return StatementShape.Of(shapes, [.. shapes.Select(LogUp.LogUpLayout.For)], logHeights);
    }
}
