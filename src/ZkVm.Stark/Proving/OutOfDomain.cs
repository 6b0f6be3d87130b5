using ZkVm.Field;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Proving;

/// <summary>The out-of-domain point must avoid the trace domain and every LDE point (which lie in the base field).</summary>
internal static class OutOfDomain
{
    public static string? Problem(BabyBearExt4 zeta, int logHeight)
    {
        if (zeta.C1.IsZero && zeta.C2.IsZero && zeta.C3.IsZero) return "ζ lies in the base field";
        if (Domain.Vanishing(zeta, logHeight).IsZero) return "ζ lies in the trace domain";
        return null;
    }
}
