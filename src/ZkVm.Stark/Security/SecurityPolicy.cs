using System.Globalization;

namespace ZkVm.Stark.Security;

/// <summary>The verifier's floor: it refuses to check a proof whose parameters promise less than its minimum.</summary>
public static class SecurityPolicy
{
    /// <summary>Throws ZK3202 naming the weakest term when <paramref name="report"/> gives fewer than <paramref name="minimumBits"/> in <paramref name="regime"/>.</summary>
    public static void EnsureAtLeast(SecurityReport report, double minimumBits, SecurityRegime regime)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!double.IsFinite(minimumBits) || minimumBits < 0)
            throw new ZkVmException(SecurityErrors.InvalidParameters, $"minimum of {minimumBits} bits is not a finite non-negative number");
        SecurityTerm weakest = report.Weakest(regime);
        double bits = weakest.Bits(regime);
        if (bits < minimumBits)
            throw new ZkVmException(SecurityErrors.BelowMinimum, string.Create(CultureInfo.InvariantCulture,
                $"{regime} security is below the minimum of {minimumBits} bits; weakest term: {weakest.Name} with {SecurityReport.Format(bits)} bits"));
    }
}
