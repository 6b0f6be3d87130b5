using ZkVm.Stark.Security;

namespace ZkVm.Stark.Tests;

public class SecurityPolicyTests
{
    // Set B of SecurityCalculatorTests: proven 99.780683945 bits in total; its weakest term, the FRI query phase,
    // has 100.080916234 alone.
    private static readonly SecurityReport SetB = SecurityCalculator.Compute(
        new SecurityParameters(2, 124, 16, 3, BatchingMode.IndependentCoefficients),
        new CircuitShape(16, 500, 2, 2, 64, 4, 1L << 20, 16, 2, CircuitShape.HeightsOf([16, 15, 12])));

    [Fact]
    public void Accepts_at_and_above_the_minimum()
    {
        SecurityPolicy.EnsureAtLeast(SetB, 99.7, SecurityRegime.Proven);
        SecurityPolicy.EnsureAtLeast(SetB, SetB.ProvenBits, SecurityRegime.Proven);
        SecurityPolicy.EnsureAtLeast(SetB, SetB.ConjecturedBits, SecurityRegime.Conjectured);
    }

    [Fact]
    public void Rejects_below_the_minimum_naming_the_total_and_the_weakest_term()
    {
        // Every term alone has 100 bits or more; their sum does not.
        var error = Assert.Throws<ZkVmException>(() => SecurityPolicy.EnsureAtLeast(SetB, 100, SecurityRegime.Proven));

        Assert.Equal(SecurityErrors.BelowMinimum, error.Code);
        Assert.Contains("99.70 bits (sum of all errors)", error.Message);
        Assert.Contains("FRI query phase with 100.08 bits", error.Message);
    }

    [Fact]
    public void The_conjectured_preset_is_rejected_by_a_proven_minimum()
    {
        SecurityReport report = SecurityCalculator.Compute(
            SecurityPresets.Parameters(SecurityPreset.Conjectured100), new CircuitShape(16, 100, 3, 2, 100, 4, 1L << 16, 1, 2, 1L << 16));

        SecurityPolicy.EnsureAtLeast(report, 100, SecurityRegime.Conjectured);
        var error = Assert.Throws<ZkVmException>(() => SecurityPolicy.EnsureAtLeast(report, 100, SecurityRegime.Proven));
        Assert.Equal(SecurityErrors.BelowMinimum, error.Code);
        // 85·(−log2 0.75) + 16 = 51.278187439.
        Assert.Contains("FRI query phase with 51.27 bits", error.Message);
    }

    [Fact]
    public void Rejects_a_meaningless_minimum()
    {
        var error = Assert.Throws<ZkVmException>(() => SecurityPolicy.EnsureAtLeast(SetB, double.NaN, SecurityRegime.Proven));
        Assert.Equal(SecurityErrors.InvalidParameters, error.Code);
    }
}
