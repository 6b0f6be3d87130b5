namespace ZkVm.Stark.Serialization;

/// <summary>Stable error codes of the binary proof format (docs/ERRORS.md, range ZK30xx).</summary>
public static class ProofFormatErrors
{
    public const string Truncated = "ZK3001";
    public const string CountOutOfRange = "ZK3002";
    public const string TrailingBytes = "ZK3003";
    public const string BadMagic = "ZK3004";
    public const string UnsupportedVersion = "ZK3005";
    public const string InvalidValue = "ZK3006";

    /// <summary>A proof-of-work bit count (query or LogUp) above what one transcript sample can check.</summary>
    public const string PowBitsOutOfRange = "ZK3007";
}
