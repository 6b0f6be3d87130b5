using System.Runtime.CompilerServices;
using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Proving;

/// <summary>
/// TP.Width extension-field values, one per lane (one per quotient-domain row), for the prover's packed
/// builder. Most operands are base-field values (trace columns, selectors, constants), so the value
/// remembers when its upper coefficients are zero and multiplies with 1 or 4 packed products instead of 16.
/// </summary>
public readonly struct PackedExtension<TP> : IAirExpression<PackedExtension<TP>> where TP : unmanaged, IPackedField<TP>
{
    private static readonly TP W = TP.Broadcast(BabyBearExt4.W);

    public readonly TP C0, C1, C2, C3;
    public readonly bool IsBase;

    public PackedExtension(TP c0)
    {
        C0 = c0;
        IsBase = true;
    }

    public PackedExtension(TP c0, TP c1, TP c2, TP c3)
    {
        (C0, C1, C2, C3) = (c0, c1, c2, c3);
        IsBase = false;
    }

    public static PackedExtension<TP> Broadcast(BabyBearExt4 x) =>
        new(TP.Broadcast(x.C0), TP.Broadcast(x.C1), TP.Broadcast(x.C2), TP.Broadcast(x.C3));

    public static PackedExtension<TP> Constant(BabyBear value) => new(TP.Broadcast(value));

    /// <summary>TP.Width extension values, lane 0 first.</summary>
    public static PackedExtension<TP> FromLanes(ReadOnlySpan<BabyBearExt4> lanes)
    {
        Span<BabyBear> c0 = stackalloc BabyBear[TP.Width], c1 = stackalloc BabyBear[TP.Width], c2 = stackalloc BabyBear[TP.Width], c3 = stackalloc BabyBear[TP.Width];
        for (int k = 0; k < TP.Width; k++) (c0[k], c1[k], c2[k], c3[k]) = (lanes[k].C0, lanes[k].C1, lanes[k].C2, lanes[k].C3);
        return new(TP.Load(ref c0[0]), TP.Load(ref c1[0]), TP.Load(ref c2[0]), TP.Load(ref c3[0]));
    }

    /// <summary>The TP.Width lane values, lane 0 first.</summary>
    public void CopyTo(Span<BabyBearExt4> destination)
    {
        Span<BabyBear> c0 = stackalloc BabyBear[TP.Width], c1 = stackalloc BabyBear[TP.Width], c2 = stackalloc BabyBear[TP.Width], c3 = stackalloc BabyBear[TP.Width];
        TP.Store(ref c0[0], C0);
        TP.Store(ref c1[0], C1);
        TP.Store(ref c2[0], C2);
        TP.Store(ref c3[0], C3);
        for (int k = 0; k < TP.Width; k++) destination[k] = new BabyBearExt4(c0[k], c1[k], c2[k], c3[k]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedExtension<TP> operator +(PackedExtension<TP> a, PackedExtension<TP> b) =>
        a.IsBase && b.IsBase ? new(a.C0 + b.C0) : new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2, a.C3 + b.C3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedExtension<TP> operator -(PackedExtension<TP> a, PackedExtension<TP> b) =>
        a.IsBase && b.IsBase ? new(a.C0 - b.C0) : new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2, a.C3 - b.C3);

    public static PackedExtension<TP> operator -(PackedExtension<TP> a) => Constant(BabyBear.Zero) - a;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedExtension<TP> operator *(PackedExtension<TP> a, PackedExtension<TP> b)
    {
        if (a.IsBase && b.IsBase) return new(a.C0 * b.C0);
        if (a.IsBase) return new(a.C0 * b.C0, a.C0 * b.C1, a.C0 * b.C2, a.C0 * b.C3);
        if (b.IsBase) return new(b.C0 * a.C0, b.C0 * a.C1, b.C0 * a.C2, b.C0 * a.C3);
        // Schoolbook product; x⁴, x⁵, x⁶ fold back multiplied by W = 11 (x⁴ = 11).
        TP c0 = a.C0 * b.C0 + W * (a.C1 * b.C3 + a.C2 * b.C2 + a.C3 * b.C1);
        TP c1 = a.C0 * b.C1 + a.C1 * b.C0 + W * (a.C2 * b.C3 + a.C3 * b.C2);
        TP c2 = a.C0 * b.C2 + a.C1 * b.C1 + a.C2 * b.C0 + W * (a.C3 * b.C3);
        TP c3 = a.C0 * b.C3 + a.C1 * b.C2 + a.C2 * b.C1 + a.C3 * b.C0;
        return new(c0, c1, c2, c3);
    }
}
