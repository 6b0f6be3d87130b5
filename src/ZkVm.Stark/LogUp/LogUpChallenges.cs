using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.LogUp;

/// <summary>
/// The two extension-field challenges of the LogUp argument, drawn after all main traces are
/// committed. A tuple v on bus b is the fraction m / d(b, v) with d(b, v) = α + c(b) + Σ βⁱ⁺¹·vᵢ, where
/// c(b) is b's id, plus 256·k in shard k for a per-shard bus (<see cref="Bus.Constant"/>).
/// </summary>
public readonly record struct LogUpChallenges(BabyBearExt4 Alpha, BabyBearExt4 Beta)
{
    /// <summary>The shard whose tables these challenges serve: it offsets the per-shard buses' constants.</summary>
    public uint Shard { get; init; }

    public static TE Denominator<TE>(TE alpha, TE beta, Bus bus, uint shard, ReadOnlySpan<TE> values) where TE : IAirExpression<TE>
    {
        TE d = alpha + TE.Constant(BabyBear.FromCanonical(bus.Constant(shard)));
        TE power = beta;
        foreach (TE v in values)
        {
            d += power * v;
            power *= beta;
        }
        return d;
    }

    /// <summary>Σ m / d over the terms the verifier computes from public data (a journal gives one per byte: one inversion for all).</summary>
    public BabyBearExt4 PublicSum(IEnumerable<PublicBusEntry> entries)
    {
        PublicBusEntry[] terms = [.. entries];
        var denominators = new BabyBearExt4[terms.Length];
        var values = new ExtensionValue[terms.Length == 0 ? 0 : terms.Max(e => e.Values.Length)];
        for (int t = 0; t < terms.Length; t++)
        {
            var e = terms[t];
            for (int i = 0; i < e.Values.Length; i++) values[i] = e.Values[i];
            denominators[t] = Denominator<ExtensionValue>(Alpha, Beta, e.Bus, e.Shard, values.AsSpan(0, e.Values.Length)).Value;
        }
        var inverses = new BabyBearExt4[terms.Length];
        FieldMath.BatchInverse<BabyBearExt4>(denominators, inverses);
        BabyBearExt4 sum = BabyBearExt4.Zero;
        for (int t = 0; t < terms.Length; t++) sum += inverses[t] * terms[t].Multiplicity;
        return sum;
    }
}
