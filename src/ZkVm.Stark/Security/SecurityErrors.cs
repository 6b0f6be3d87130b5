namespace ZkVm.Stark.Security;

/// <summary>Stable error codes of the security calculator and policy (docs/SECURITY.md, range ZK32xx).</summary>
public static class SecurityErrors
{
    /// <summary>A security parameter or circuit shape value lies outside its allowed range.</summary>
    public const string InvalidParameters = "ZK3201";

    /// <summary>The parameters give fewer bits than the configured minimum.</summary>
    public const string BelowMinimum = "ZK3202";

    /// <summary>The LogUp multiplicities can sum to p or more, so a fake lookup could cancel mod p.</summary>
    public const string MultiplicityOverflow = "ZK3203";
}
