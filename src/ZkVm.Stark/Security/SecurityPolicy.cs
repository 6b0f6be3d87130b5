using System.Globalization;

namespace ZkVm.Stark.Security;

/// <summary>The verifier's floor: it refuses to check a proof whose parameters promise less than its minimum.</summary>
public static class SecurityPolicy
{
    /// <summary>
    /// Throws ZK3202 when the total of <paramref name="report"/> (−log2 of the sum of its errors) is below
    /// <paramref name="minimumBits"/> in <paramref name="regime"/>; the message names the weakest term, the one to improve.
    /// </summary>
    public static void EnsureAtLeast(SecurityReport report, double minimumBits, SecurityRegime regime)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!double.IsFinite(minimumBits) || minimumBits < 0)
            throw new ZkVmException(SecurityErrors.InvalidParameters, $"minimum of {minimumBits} bits is not a finite non-negative number");
        double total = report.Bits(regime);
        if (total < minimumBits)
        {
            SecurityTerm weakest = report.Weakest(regime);
            throw new ZkVmException(SecurityErrors.BelowMinimum, string.Create(CultureInfo.InvariantCulture,
                $"{regime} security of {SecurityReport.Format(total)} bits (sum of all errors) is below the minimum of {minimumBits} bits; weakest term: {weakest.Name} with {SecurityReport.Format(weakest.Bits(regime))} bits"));
        }
    }
}
