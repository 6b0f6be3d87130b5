namespace ZkVm.Cluster;

/// <summary>Stable error codes of distributed proving (docs/ERRORS.md, range ZK70xx).</summary>
public static class ClusterErrors
{
    /// <summary>The cluster connection string is empty or names no usable membership store.</summary>
    public const string BadConnection = "ZK7001";

    /// <summary>The cluster could not be reached, or no worker joined it in time.</summary>
    public const string NoWorkers = "ZK7002";

    /// <summary>A shard failed on every worker it was tried on.</summary>
    public const string ShardFailed = "ZK7003";

    /// <summary>A shard's task or result is larger than one Orleans message may carry.</summary>
    public const string MessageTooLarge = "ZK7004";
}
