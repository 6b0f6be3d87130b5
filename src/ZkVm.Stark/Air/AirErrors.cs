namespace ZkVm.Stark.Air;

/// <summary>Stable error codes for AIR definitions and traces (docs/ERRORS.md, range ZK33xx).</summary>
public static class AirErrors
{
    public const string DegreeTooHigh = "ZK3301";
    public const string ColumnOutOfRange = "ZK3302";
    public const string ArityMismatch = "ZK3303";
    public const string InteractionDegreeTooHigh = "ZK3304";
    public const string TraceShape = "ZK3305";
    public const string ConstraintFailed = "ZK3306";
    public const string BusUnbalanced = "ZK3307";
}
