using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ZkVm.Field;
using C = ZkVm.Crypto.Poseidon2BabyBear16Constants;
using V = System.Runtime.Intrinsics.Vector256<uint>;

namespace ZkVm.Crypto;

/// <summary>
/// The permutation for <see cref="PackedBabyBearAvx2"/> written directly on 8-lane vectors, the same
/// way as <see cref="Poseidon2Avx512"/>, so that
/// values may leave the canonical range between steps where that saves instructions:
/// <list type="bullet">
/// <item>The round constant is stored as c − p, so x + (c − p) ∈ (−p, p) needs no reduction and the
/// S-box works on signed values with signed products (vpmuldq); x², x³, x⁴ stay in 64-bit even/odd
/// halves, partially reduced to (−p, p); only x⁷ is recombined and made canonical.</item>
/// <item>In the internal layer, multiplication by 2⁻ⁿ uses p = 15·2²⁷ + 1: with x = h·2ⁿ + l,
/// x·2⁻ⁿ ≡ h − l·15·2²⁷⁻ⁿ, one shift, one mask and one 32-bit multiplication instead of a Montgomery
/// product.</item>
/// </list>
/// Every state element is canonical Montgomery form between rounds, like the generic version.
/// </summary>
internal static class Poseidon2Avx2
{
    private const int Width = C.Width;
    private const uint P = BabyBear.P;
    private const uint Mu = 0x8800_0001; // p⁻¹ mod 2³²

    // Round constants in Montgomery form minus p (mod 2³²), i.e. in (−p, 0] as signed.
    private static readonly V[] InitialConstants = ShiftedConstants(C.ExternalInitial);
    private static readonly V[] FinalConstants = ShiftedConstants(C.ExternalFinal);
    private static readonly V[] InternalConstants = ShiftedConstants(C.Internal);

    internal static V[] ShiftedConstants(ReadOnlySpan<uint> canonical)
    {
        var result = new V[canonical.Length];
        for (int i = 0; i < result.Length; i++)
        {
            BabyBear b = BabyBear.FromCanonical(canonical[i]);
            result[i] = Vector256.Create(Unsafe.As<BabyBear, uint>(ref b) - P);
        }
        return result;
    }

    public static unsafe void Permute(ref V state)
    {
        // The state lives in a cache-line-aligned copy between rounds (see Poseidon2<TP>.Permute).
        byte* scratch = stackalloc byte[Width * 32 + 64];
        ref V s = ref Unsafe.AsRef<V>((void*)(((nint)scratch + 63) & ~(nint)63));
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<V, byte>(ref s), ref Unsafe.As<V, byte>(ref state), Width * 32);
        ExternalLayer(ref s);
        ref V initial = ref MemoryMarshal.GetArrayDataReference(InitialConstants);
        FullRounds(ref s, ref initial, C.HalfFullRounds);
        ref V partial = ref MemoryMarshal.GetArrayDataReference(InternalConstants);
        PartialRounds(ref s, ref partial, C.PartialRounds);
        ref V final = ref MemoryMarshal.GetArrayDataReference(FinalConstants);
        FullRounds(ref s, ref final, C.HalfFullRounds);
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<V, byte>(ref state), ref Unsafe.As<V, byte>(ref s), Width * 32);
    }

    // ---- field helpers on canonical values ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Add(V a, V b)
    {
        V s = a + b;
        return Vector256.Min(s, s - Vector256.Create(P));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Sub(V a, V b)
    {
        V d = a - b;
        return Vector256.Min(d, d + Vector256.Create(P));
    }

    /// <summary>Maps a signed value in (−p, p) to [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Canonical(V x) => Vector256.Min(x, x + Vector256.Create(P));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Double(V x) => Add(x, x);

    /// <summary>x/2 for canonical x: ⌊x/2⌋ plus (p+1)/2 when x is odd.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Halve(V x) => (x >>> 1) + (x & V.One) * Vector256.Create((P + 1) / 2);

    /// <summary>x·2⁻ⁿ for canonical x, 1 ≤ n ≤ 27: h − l·15·2²⁷⁻ⁿ ∈ (−p, p) with x = h·2ⁿ + l, made canonical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V MulTwoExpNeg(V x, byte n)
    {
        V hi = x >>> n;
        V lo = x & Vector256.Create((1u << n) - 1);
        return Canonical(hi - lo * Vector256.Create(15u << (27 - n)));
    }

    // ---- S-box ----

    /// <summary>
    /// Signed Montgomery reduction of a 64-bit product |v| &lt; p² (or &lt; 2p² here): returns (v − q·p)
    /// whose high 32 bits are v·2⁻³² mod p in (−p, p) (|v − q·p| &lt; p² + 2³¹p) and low 32 bits zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Reduce(Vector256<long> v)
    {
        Vector256<ulong> q = Avx2.Multiply(v.AsUInt32(), Vector256.Create(Mu));
        return v - Avx2.Multiply(q.AsInt32(), Vector256.Create((int)P));
    }

    /// <summary>Like <see cref="Reduce"/>, with the result moved to the low 32 bits for the next vpmuldq.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ReduceLow(Vector256<long> v) => (Reduce(v).AsUInt64() >>> 32).AsInt32();

    /// <summary>x⁷ for x ∈ (−p, p) held as signed 32-bit lanes; the result is canonical.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V SBox(V input)
    {
        Vector256<int> xe = input.AsInt32();
        Vector256<int> xo = (input.AsUInt64() >>> 32).AsInt32();
        Vector256<int> x2e = ReduceLow(Avx2.Multiply(xe, xe));
        Vector256<int> x2o = ReduceLow(Avx2.Multiply(xo, xo));
        Vector256<int> x3e = ReduceLow(Avx2.Multiply(x2e, xe));
        Vector256<int> x3o = ReduceLow(Avx2.Multiply(x2o, xo));
        Vector256<int> x4e = ReduceLow(Avx2.Multiply(x2e, x2e));
        Vector256<int> x4o = ReduceLow(Avx2.Multiply(x2o, x2o));
        Vector256<long> x7e = Reduce(Avx2.Multiply(x3e, x4e));
        Vector256<long> x7o = Reduce(Avx2.Multiply(x3o, x4o));
        V r = Avx2.Blend((x7e.AsUInt64() >>> 32).AsUInt32(), x7o.AsUInt32(), 0b1010_1010);
        return Canonical(r);
    }

    // ---- rounds ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mat4(ref V x0, ref V x1, ref V x2, ref V x3)
    {
        V t01 = Add(x0, x1);
        V t23 = Add(x2, x3);
        V t0123 = Add(t01, t23);
        V t01123 = Add(t0123, x1);
        V t01233 = Add(t0123, x3);
        V y3 = Add(t01233, Double(x0));
        V y1 = Add(t01123, Double(x2));
        x0 = Add(t01123, t01);
        x2 = Add(t01233, t23);
        x1 = y1;
        x3 = y3;
    }

    /// <summary>
    /// <paramref name="rounds"/> full rounds on the state in memory (a cache-line-aligned stack copy): each S-box loads
    /// one element and stores it back, and the external layer goes group by group, so no more than a group's values and
    /// an S-box's temporaries are live. Kept in registers, the sixteen state vectors alone filled all sixteen, and the
    /// JIT spilled inside every S-box.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FullRounds(ref V s, ref V c, int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < Width; i++)
                Unsafe.Add(ref s, i) = SBox(Unsafe.Add(ref s, i) + Unsafe.Add(ref c, i));
            ExternalLayer(ref s);
            c = ref Unsafe.Add(ref c, Width);
        }
    }

    /// <summary>The external layer on the state in memory: Mat4 on each group of four, then each element plus its column's sum over the groups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExternalLayer(ref V s)
    {
        for (int g = 0; g < Width; g += 4)
        {
            V x0 = Unsafe.Add(ref s, g), x1 = Unsafe.Add(ref s, g + 1), x2 = Unsafe.Add(ref s, g + 2), x3 = Unsafe.Add(ref s, g + 3);
            Mat4(ref x0, ref x1, ref x2, ref x3);
            Unsafe.Add(ref s, g) = x0; Unsafe.Add(ref s, g + 1) = x1; Unsafe.Add(ref s, g + 2) = x2; Unsafe.Add(ref s, g + 3) = x3;
        }
        for (int k = 0; k < 4; k++)
        {
            V sum = Add(Add(Unsafe.Add(ref s, k), Unsafe.Add(ref s, 4 + k)), Add(Unsafe.Add(ref s, 8 + k), Unsafe.Add(ref s, 12 + k)));
            for (int g = 0; g < Width; g += 4) Unsafe.Add(ref s, g + k) = Add(Unsafe.Add(ref s, g + k), sum);
        }
    }

    /// <summary>
    /// S-box on element 0, then state[i] ← V[i]·state[i] + Σ state with V = [−2, 1, 2, 1/2, 3, 4, −1/2,
    /// −3, −4, 1/2⁸, 1/4, 1/8, 1/2²⁷, −1/2⁸, −1/16, −1/2²⁷]. The sum of elements 1..15 does not depend
    /// on the S-box, and −2·y + (y + rest) = rest − y for element 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PartialRounds(ref V s, ref V c, int rounds)
    {
        // The state stays in memory, as in FullRounds: each round reads it once for the sum and once to update it.
        ref V x0 = ref s;
        ref V x1 = ref Unsafe.Add(ref s, 1), x2 = ref Unsafe.Add(ref s, 2), x3 = ref Unsafe.Add(ref s, 3), x4 = ref Unsafe.Add(ref s, 4);
        ref V x5 = ref Unsafe.Add(ref s, 5), x6 = ref Unsafe.Add(ref s, 6), x7 = ref Unsafe.Add(ref s, 7), x8 = ref Unsafe.Add(ref s, 8);
        ref V x9 = ref Unsafe.Add(ref s, 9), x10 = ref Unsafe.Add(ref s, 10), x11 = ref Unsafe.Add(ref s, 11), x12 = ref Unsafe.Add(ref s, 12);
        ref V x13 = ref Unsafe.Add(ref s, 13), x14 = ref Unsafe.Add(ref s, 14), x15 = ref Unsafe.Add(ref s, 15);
        for (int r = 0; r < rounds; r++)
        {
            V y = SBox(x0 + Unsafe.Add(ref c, r));
            V rest = Add(Add(Add(Add(x1, x2), Add(x3, x4)), Add(Add(x5, x6), Add(x7, x8))),
                         Add(Add(Add(x9, x10), Add(x11, x12)), Add(Add(x13, x14), x15)));
            V sum = Add(rest, y);
            x0 = Sub(rest, y);
            x1 = Add(sum, x1);
            x2 = Add(sum, Double(x2));
            x3 = Add(sum, Halve(x3));
            x4 = Add(sum, Add(Double(x4), x4));
            x5 = Add(sum, Double(Double(x5)));
            x6 = Sub(sum, Halve(x6));
            x7 = Sub(sum, Add(Double(x7), x7));
            x8 = Sub(sum, Double(Double(x8)));
            x9 = Add(sum, MulTwoExpNeg(x9, 8));
            x10 = Add(sum, MulTwoExpNeg(x10, 2));
            x11 = Add(sum, MulTwoExpNeg(x11, 3));
            x12 = Add(sum, MulTwoExpNeg(x12, 27));
            x13 = Sub(sum, MulTwoExpNeg(x13, 8));
            x14 = Sub(sum, MulTwoExpNeg(x14, 4));
            x15 = Sub(sum, MulTwoExpNeg(x15, 27));
        }
    }
}
