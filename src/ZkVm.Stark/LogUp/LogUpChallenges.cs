using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.LogUp;

/// <summary>
/// The two extension-field challenges of the LogUp argument, drawn after all main traces are
/// committed. A tuple v on bus b is the fraction m / d(b, v) with d(b, v) = α + b + Σ βⁱ⁺¹·vᵢ.
/// </summary>
public readonly record struct LogUpChallenges(BabyBearExt4 Alpha, BabyBearExt4 Beta)
{
    public static TE Denominator<TE>(TE alpha, TE beta, Bus bus, ReadOnlySpan<TE> values) where TE : IAirExpression<TE>
    {
        TE d = alpha + TE.Constant(BabyBear.FromCanonical(bus.Id));
        TE power = beta;
        foreach (TE v in values)
        {
            d += power * v;
            power *= beta;
        }
        return d;
    }

    /// <summary>Σ m / d over the terms the verifier computes from public data.</summary>
    public BabyBearExt4 PublicSum(IEnumerable<PublicBusEntry> entries)
    {
        BabyBearExt4 sum = BabyBearExt4.Zero;
        foreach (var e in entries)
        {
            ExtensionValue[] values = [.. e.Values.Select(v => (ExtensionValue)v)];
            BabyBearExt4 d = Denominator<ExtensionValue>(Alpha, Beta, e.Bus, values).Value;
            sum += d.Inverse() * e.Multiplicity;
        }
        return sum;
    }
}
