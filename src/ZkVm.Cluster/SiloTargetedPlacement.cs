using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace ZkVm.Cluster;

/// <summary>Places a grain on the silo whose address (<see cref="SiloAddress.ToParsableString"/>) is its key.</summary>
[Serializable, GenerateSerializer, Immutable]
public sealed class SiloTargetedPlacement : PlacementStrategy;

/// <summary>Marks a grain class as placed by <see cref="SiloTargetedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloTargetedPlacementAttribute() : PlacementAttribute(new SiloTargetedPlacement());

/// <summary>
/// Activates a worker's grain on that worker only; when the silo is gone the activation fails rather than move the
/// work elsewhere, and the coordinator hands the shard to another worker itself.
/// </summary>
sealed class SiloTargetedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString();
        foreach (var silo in context.GetCompatibleSilos(target))
            if (silo.ToParsableString() == key) return Task.FromResult(silo);
        throw new SiloUnavailableException($"worker {key} is not an active member of the cluster");
    }
}
