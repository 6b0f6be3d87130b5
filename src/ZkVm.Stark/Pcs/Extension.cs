using ZkVm.Field;

namespace ZkVm.Stark.Pcs;

/// <summary>
/// Extension-field columns are committed as four base columns (the coefficients of 1, x, x², x³), so
/// a polynomial with extension coefficients is four base polynomials; these helpers move between the two.
/// </summary>
public static class Extension
{
    public static readonly BabyBearExt4[] Basis =
    [
        BabyBearExt4.One,
        new(BabyBear.Zero, BabyBear.One, BabyBear.Zero, BabyBear.Zero),
        new(BabyBear.Zero, BabyBear.Zero, BabyBear.One, BabyBear.Zero),
        new(BabyBear.Zero, BabyBear.Zero, BabyBear.Zero, BabyBear.One),
    ];

    /// <summary>Extension column <paramref name="column"/> of a base matrix that holds each as four base columns (4c … 4c + 3).</summary>
    public static BabyBearExt4 At(RowMajorMatrix parts, int row, int column)
    {
        var r = parts.Row(row).Slice(4 * column, 4);
        return new BabyBearExt4(r[0], r[1], r[2], r[3]);
    }

    /// <summary>An extension column from its four base parts (each possibly an extension value, as at an opening point).</summary>
    public static BabyBearExt4 Combine(ReadOnlySpan<BabyBearExt4> parts) =>
        parts[0] + Basis[1] * parts[1] + Basis[2] * parts[2] + Basis[3] * parts[3];
}
