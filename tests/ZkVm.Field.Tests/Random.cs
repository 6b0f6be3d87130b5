using ZkVm.Field;

namespace ZkVm.Field.Tests;

internal static class Rand
{
    public static BabyBear Element(Random r) => BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P));

    public static BabyBearExt4 Ext(Random r) => new(Element(r), Element(r), Element(r), Element(r));

    /// <summary>Mostly uniform, with the edge values 0, 1, p−1 and small numbers mixed in.</summary>
    public static BabyBear EdgeBiased(Random r) => r.Next(8) switch
    {
        0 => BabyBear.Zero,
        1 => BabyBear.One,
        2 => BabyBear.FromCanonical(BabyBear.P - 1),
        3 => BabyBear.FromCanonical((uint)r.Next(16)),
        _ => Element(r),
    };
}
