using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkVm.Field;

/// <summary>
/// 16 BabyBear elements (Montgomery form) in one AVX-512 register. Only use when
/// <see cref="Avx512F.IsSupported"/>; <see cref="Packing"/> picks the widest supported type.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct PackedBabyBearAvx512 : IPackedField<PackedBabyBearAvx512>
{
    internal readonly Vector512<uint> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal PackedBabyBearAvx512(Vector512<uint> v) => V = v;

    public static int Width => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx512 Broadcast(BabyBear value) => new(Vector512.Create(value.Monty));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx512 Load(ref readonly BabyBear source) =>
        new(Vector512.LoadUnsafe(ref Unsafe.As<BabyBear, uint>(ref Unsafe.AsRef(in source))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref BabyBear destination, PackedBabyBearAvx512 value) =>
        value.V.StoreUnsafe(ref Unsafe.As<BabyBear, uint>(ref destination));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreLast(ref BabyBear destination, PackedBabyBearAvx512 value, int count)
    {
        ref uint target = ref Unsafe.As<BabyBear, uint>(ref destination);
        Vector512<uint> keep = Vector512.LessThan(Vector512<uint>.Indices, Vector512.Create((uint)(16 - count)));
        Vector512.ConditionalSelect(keep, Vector512.LoadUnsafe(ref target), value.V).StoreUnsafe(ref target);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx512 operator +(PackedBabyBearAvx512 a, PackedBabyBearAvx512 b)
    {
        // a + b < 2p < 2^32: subtract p and keep whichever of the two is smaller as unsigned.
        Vector512<uint> s = a.V + b.V;
        return new(Vector512.Min(s, s - Vector512.Create(BabyBear.P)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx512 operator -(PackedBabyBearAvx512 a, PackedBabyBearAvx512 b)
    {
        // On borrow d wraps above p and d + p is the right (smaller) value.
        Vector512<uint> d = a.V - b.V;
        return new(Vector512.Min(d, d + Vector512.Create(BabyBear.P)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx512 operator *(PackedBabyBearAvx512 a, PackedBabyBearAvx512 b) => new(MontyMul(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PackedBabyBearAvx512 Halve(PackedBabyBearAvx512 a)
    {
        // (x + (x odd ? p : 0)) / 2 without overflow: x/2 rounded down, plus (p+1)/2 when x was odd.
        Vector512<uint> odd = (Vector512<uint>.Zero - (a.V & Vector512<uint>.One)) & Vector512.Create((BabyBear.P + 1) / 2);
        return new((a.V >>> 1) + odd);
    }

    /// <summary>
    /// Montgomery product of 16 lane pairs. vpmuludq multiplies the even 32-bit lanes into 64-bit
    /// products, so even and odd lanes are multiplied separately and the high halves recombined.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<uint> MontyMul(Vector512<uint> a, Vector512<uint> b)
    {
        Vector512<uint> p = Vector512.Create(BabyBear.P);
        Vector512<uint> mu = Vector512.Create(BabyBear.MontyMu);
        Vector512<uint> aOdd = (a.AsUInt64() >>> 32).AsUInt32();
        Vector512<uint> bOdd = (b.AsUInt64() >>> 32).AsUInt32();
        Vector512<ulong> prodEven = Avx512F.Multiply(a, b);
        Vector512<ulong> prodOdd = Avx512F.Multiply(aOdd, bOdd);
        Vector512<ulong> qEven = Avx512F.Multiply(prodEven.AsUInt32(), mu);
        Vector512<ulong> qOdd = Avx512F.Multiply(prodOdd.AsUInt32(), mu);
        // prod − q·p has a zero low half, so the 64-bit difference's high half is the reduced value (mod 2^32).
        Vector512<ulong> dEven = prodEven - Avx512F.Multiply(qEven.AsUInt32(), p);
        Vector512<ulong> dOdd = prodOdd - Avx512F.Multiply(qOdd.AsUInt32(), p);
        Vector512<uint> d = Vector512.ConditionalSelect(OddLanes, dOdd.AsUInt32(), (dEven >>> 32).AsUInt32());
        return Vector512.Min(d, d + p);
    }

    private static Vector512<uint> OddLanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(0xFFFF_FFFF_0000_0000UL).AsUInt32();
    }

    public BabyBear this[int lane] => BabyBear.FromMonty(V.GetElement(lane));
}
