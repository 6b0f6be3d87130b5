using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkVm.Field;

/// <summary>
/// 8 BabyBear elements (Montgomery form) in one AVX2 register. Only use when
/// <see cref="Avx2.IsSupported"/>; <see cref="Packing"/> picks the widest supported type.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct PackedBabyBearAvx2 : IPackedField<PackedBabyBearAvx2>
{
    internal readonly Vector256<uint> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal PackedBabyBearAvx2(Vector256<uint> v) => V = v;

    public static int Width => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx2 Broadcast(BabyBear value) => new(Vector256.Create(value.Monty));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx2 Load(ref readonly BabyBear source) =>
        new(Vector256.LoadUnsafe(ref Unsafe.As<BabyBear, uint>(ref Unsafe.AsRef(in source))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref BabyBear destination, PackedBabyBearAvx2 value) =>
        value.V.StoreUnsafe(ref Unsafe.As<BabyBear, uint>(ref destination));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLast(ref BabyBear destination, PackedBabyBearAvx2 value, int count)
    {
        ref uint target = ref Unsafe.As<BabyBear, uint>(ref destination);
        Vector256<uint> keep = Vector256.LessThan(Vector256<uint>.Indices, Vector256.Create((uint)(8 - count)));
        Vector256.ConditionalSelect(keep, Vector256.LoadUnsafe(ref target), value.V).StoreUnsafe(ref target);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx2 operator +(PackedBabyBearAvx2 a, PackedBabyBearAvx2 b)
    {
        // a + b < 2p < 2^32: subtract p and keep whichever of the two is smaller as unsigned.
        Vector256<uint> s = a.V + b.V;
        return new(Vector256.Min(s, s - Vector256.Create(BabyBear.P)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx2 operator -(PackedBabyBearAvx2 a, PackedBabyBearAvx2 b)
    {
        // On borrow d wraps above p and d + p is the right (smaller) value.
        Vector256<uint> d = a.V - b.V;
        return new(Vector256.Min(d, d + Vector256.Create(BabyBear.P)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx2 operator *(PackedBabyBearAvx2 a, PackedBabyBearAvx2 b) => new(MontyMul(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx2 Halve(PackedBabyBearAvx2 a)
    {
        // (x + (x odd ? p : 0)) / 2 without overflow: x/2 rounded down, plus (p+1)/2 when x was odd.
        Vector256<uint> odd = (Vector256<uint>.Zero - (a.V & Vector256<uint>.One)) & Vector256.Create((BabyBear.P + 1) / 2);
        return new((a.V >>> 1) + odd);
    }

    /// <summary>
    /// Montgomery product of 16 lane pairs. vpmuludq multiplies the even 32-bit lanes into 64-bit
    /// products, so even and odd lanes are multiplied separately and the high halves recombined.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> MontyMul(Vector256<uint> a, Vector256<uint> b)
    {
        Vector256<uint> p = Vector256.Create(BabyBear.P);
        Vector256<uint> mu = Vector256.Create(BabyBear.MontyMu);
        Vector256<uint> aOdd = (a.AsUInt64() >>> 32).AsUInt32();
        Vector256<uint> bOdd = (b.AsUInt64() >>> 32).AsUInt32();
        Vector256<ulong> prodEven = Avx2.Multiply(a, b);
        Vector256<ulong> prodOdd = Avx2.Multiply(aOdd, bOdd);
        Vector256<ulong> qEven = Avx2.Multiply(prodEven.AsUInt32(), mu);
        Vector256<ulong> qOdd = Avx2.Multiply(prodOdd.AsUInt32(), mu);
        // prod − q·p has a zero low half, so the 64-bit difference's high half is the reduced value (mod 2^32).
        Vector256<ulong> dEven = prodEven - Avx2.Multiply(qEven.AsUInt32(), p);
        Vector256<ulong> dOdd = prodOdd - Avx2.Multiply(qOdd.AsUInt32(), p);
        Vector256<uint> d = Vector256.ConditionalSelect(OddLanes, dOdd.AsUInt32(), (dEven >>> 32).AsUInt32());
        return Vector256.Min(d, d + p);
    }

    private static Vector256<uint> OddLanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(0xFFFF_FFFF_0000_0000UL).AsUInt32();
    }

    public BabyBear this[int lane] => BabyBear.FromMonty(V.GetElement(lane));
}
