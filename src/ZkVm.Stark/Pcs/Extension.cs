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

    /// <summary>Row-major extension values (width columns) as a base matrix of 4·width columns.</summary>
    public static RowMajorMatrix Flatten(ReadOnlySpan<BabyBearExt4> values, int width)
    {
        var m = new RowMajorMatrix(4 * width, values.Length / width);
        for (int i = 0; i < values.Length; i++)
        {
            m.Values[4 * i] = values[i].C0;
            m.Values[4 * i + 1] = values[i].C1;
            m.Values[4 * i + 2] = values[i].C2;
            m.Values[4 * i + 3] = values[i].C3;
        }
        return m;
    }

    /// <summary>An extension column from its four base parts (each possibly an extension value, as at an opening point).</summary>
    public static BabyBearExt4 Combine(ReadOnlySpan<BabyBearExt4> parts) =>
        parts[0] + Basis[1] * parts[1] + Basis[2] * parts[2] + Basis[3] * parts[3];
}
