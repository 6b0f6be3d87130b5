namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// The one judge of "rejected" for the machine's soundness tests: verification must throw the typed error
/// of the check a test is named for, not merely some error (a proof-of-work miss or an engine failure
/// would otherwise pass for the mechanism under test).
/// </summary>
static class Verdict
{
    public static ZkVmException Rejected(string code, Action verify)
    {
        var e = Assert.ThrowsAny<ZkVmException>(verify);
        Assert.True(e.Code == code, $"expected rejection {code}, got {e.Code}: {e.Message}");
        return e;
    }
}
