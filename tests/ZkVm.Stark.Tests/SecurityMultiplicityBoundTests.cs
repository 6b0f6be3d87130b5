using ZkVm.Stark.Security;

namespace ZkVm.Stark.Tests;

public class SecurityMultiplicityBoundTests
{
    private const long P = 2013265921;

    [Theory]
    [InlineData(P - 1, 1)]
    [InlineData((P - 1) / 15, 15)]
    [InlineData(0, long.MaxValue)]
    public void Accepts_bounds_below_p(long rows, long maxMultiplicity)
    {
        Assert.Equal((UInt128)rows * (ulong)maxMultiplicity, MultiplicityBound.Check(rows, maxMultiplicity));
    }

    [Theory]
    [InlineData(P, 1)]
    [InlineData(1L << 27, 15 + 1)]
    [InlineData(long.MaxValue, long.MaxValue)]
    public void Rejects_bounds_at_or_above_p(long rows, long maxMultiplicity)
    {
        var error = Assert.Throws<ZkVmException>(() => MultiplicityBound.Check(rows, maxMultiplicity));
        Assert.Equal(SecurityErrors.MultiplicityOverflow, error.Code);
    }

    [Fact]
    public void Sums_over_interactions()
    {
        MultiplicityBound.Interaction[] justBelow = [new(1L << 30, 1), new((P - 1 - (1L << 30)) / 2, 2)];
        Assert.Equal((UInt128)(P - 1), MultiplicityBound.Check(justBelow));

        MultiplicityBound.Interaction[] atP = [.. justBelow, new(1, 1)];
        Assert.Equal(SecurityErrors.MultiplicityOverflow, Assert.Throws<ZkVmException>(() => MultiplicityBound.Check(atP)).Code);
    }

    [Fact]
    public void Rejects_negative_counts()
    {
        Assert.Equal(SecurityErrors.InvalidParameters, Assert.Throws<ZkVmException>(() => MultiplicityBound.Check(-1, 1)).Code);
    }
}
