using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkVm.Field;
using C = ZkVm.Crypto.Poseidon2BabyBear16Constants;

namespace ZkVm.Crypto;

/// <summary>A width-16 Poseidon2 state whose elements are packed: lane k of every element is state k.</summary>
[InlineArray(Poseidon2.Width)]
public struct Poseidon2State<TP> where TP : unmanaged, IPackedField<TP>
{
    private TP element0;
}

/// <summary>
/// Poseidon2 over BabyBear, width 16, x⁷, 8 full + 13 partial rounds, Plonky3's default instance.
/// The permutation is written once over a packed type, so one call permutes 16 independent states
/// with AVX-512, 8 with AVX2 or 1 with the scalar type; <see cref="Poseidon2Reference"/> is the
/// readable specification it is tested against. For <see cref="PackedBabyBearAvx512"/> and
/// <see cref="PackedBabyBearAvx2"/>, <see cref="Poseidon2{TP}.Permute"/> routes to hand-written
/// paths (<see cref="Poseidon2Avx512"/>, <see cref="Poseidon2Avx2"/>) that keep intermediate values
/// outside the canonical range where that saves instructions; the generic code below serves the
/// scalar type.
/// </summary>
public static class Poseidon2
{
    public const int Width = C.Width;

    /// <summary>Permutes one state of 16 elements in place.</summary>
    public static void Permute(Span<BabyBear> state)
    {
        if (state.Length != Width) throw new ArgumentException($"Poseidon2 state has {Width} elements", nameof(state));
        Poseidon2State<BabyBear> s = default;
        state.CopyTo(s);
        Poseidon2<BabyBear>.Permute(ref s);
        ((ReadOnlySpan<BabyBear>)s).CopyTo(state);
    }
}

/// <summary>The permutation specialised for one packed type.</summary>
public static class Poseidon2<TP> where TP : unmanaged, IPackedField<TP>
{
    private const int Width = C.Width;
    private static readonly TP[] InitialConstants = Broadcast(C.ExternalInitial);
    private static readonly TP[] FinalConstants = Broadcast(C.ExternalFinal);
    private static readonly TP[] InternalConstants = Broadcast(C.Internal);
    private static readonly TP InverseTwoTo8 = TP.Broadcast(BabyBear.FromCanonical(256).Inverse());
    private static readonly TP InverseTwoTo27 = TP.Broadcast(BabyBear.FromCanonical(1u << 27).Inverse());

    private static TP[] Broadcast(ReadOnlySpan<uint> canonical)
    {
        var result = new TP[canonical.Length];
        for (int i = 0; i < result.Length; i++) result[i] = TP.Broadcast(BabyBear.FromCanonical(canonical[i]));
        return result;
    }

    public static unsafe void Permute(ref Poseidon2State<TP> state)
    {
        // Type tests on a struct type parameter are constants for the JIT: each instantiation keeps one branch.
        if (typeof(TP) == typeof(PackedBabyBearAvx512))
        {
            Poseidon2Avx512.Permute(ref Unsafe.As<Poseidon2State<TP>, System.Runtime.Intrinsics.Vector512<uint>>(ref state));
            return;
        }
        if (typeof(TP) == typeof(PackedBabyBearAvx2))
        {
            Poseidon2Avx2.Permute(ref Unsafe.As<Poseidon2State<TP>, System.Runtime.Intrinsics.Vector256<uint>>(ref state));
            return;
        }
        // Rounds are separate methods so that each stays small enough for the JIT to inline every
        // field operation inside it; the state lives in memory between rounds. That memory is a
        // cache-line-aligned copy: a 64-byte vector stored across two lines and loaded back by the
        // next round misses store forwarding and halves the speed.
        byte* scratch = stackalloc byte[Width * sizeof(TP) + 64];
        ref TP s = ref Unsafe.AsRef<TP>((void*)(((nint)scratch + 63) & ~(nint)63));
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<TP, byte>(ref s), ref Unsafe.As<Poseidon2State<TP>, byte>(ref state), (uint)(Width * sizeof(TP)));
        ExternalLinearLayer(ref s);
        ref TP initial = ref MemoryMarshal.GetArrayDataReference(InitialConstants);
        for (int r = 0; r < C.HalfFullRounds; r++) FullRound(ref s, ref Unsafe.Add(ref initial, r * Width));
        ref TP partial = ref MemoryMarshal.GetArrayDataReference(InternalConstants);
        for (int r = 0; r < C.PartialRounds; r++) PartialRound(ref s, Unsafe.Add(ref partial, r));
        ref TP final = ref MemoryMarshal.GetArrayDataReference(FinalConstants);
        for (int r = 0; r < C.HalfFullRounds; r++) FullRound(ref s, ref Unsafe.Add(ref final, r * Width));
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<Poseidon2State<TP>, byte>(ref state), ref Unsafe.As<TP, byte>(ref s), (uint)(Width * sizeof(TP)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FullRound(ref TP s, ref TP constants)
    {
        for (int i = 0; i < Width; i++)
            Unsafe.Add(ref s, i) = SBox(Unsafe.Add(ref s, i) + Unsafe.Add(ref constants, i));
        ExternalLinearLayer(ref s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PartialRound(ref TP s, TP constant)
    {
        s = SBox(s + constant);
        InternalLinearLayer(ref s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TP SBox(TP x)
    {
        TP x2 = x * x;
        TP x3 = x2 * x;
        TP x4 = x2 * x2;
        return x3 * x4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExternalLinearLayer(ref TP s)
    {
        Mat4(ref s);
        Mat4(ref Unsafe.Add(ref s, 4));
        Mat4(ref Unsafe.Add(ref s, 8));
        Mat4(ref Unsafe.Add(ref s, 12));
        for (int k = 0; k < 4; k++)
        {
            ref TP a = ref Unsafe.Add(ref s, k);
            ref TP b = ref Unsafe.Add(ref s, k + 4);
            ref TP c = ref Unsafe.Add(ref s, k + 8);
            ref TP d = ref Unsafe.Add(ref s, k + 12);
            TP sum = (a + b) + (c + d);
            a += sum;
            b += sum;
            c += sum;
            d += sum;
        }
    }

    /// <summary>M4 = [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]] with 8 additions and 2 doublings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mat4(ref TP x0)
    {
        ref TP x1 = ref Unsafe.Add(ref x0, 1);
        ref TP x2 = ref Unsafe.Add(ref x0, 2);
        ref TP x3 = ref Unsafe.Add(ref x0, 3);
        TP t01 = x0 + x1;
        TP t23 = x2 + x3;
        TP t0123 = t01 + t23;
        TP t01123 = t0123 + x1;
        TP t01233 = t0123 + x3;
        TP y3 = t01233 + (x0 + x0);
        TP y1 = t01123 + (x2 + x2);
        x0 = t01123 + t01;
        x2 = t01233 + t23;
        x1 = y1;
        x3 = y3;
    }

    /// <summary>
    /// state[i] ← V[i]·state[i] + Σ state with V = [−2, 1, 2, 1/2, 3, 4, −1/2, −3, −4, 1/2⁸, 1/4, 1/8,
    /// 1/2²⁷, −1/2⁸, −1/16, −1/2²⁷]: small factors by additions and halvings, only 2⁻⁸ and 2⁻²⁷ by
    /// multiplication.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InternalLinearLayer(ref TP s0)
    {
        Span<TP> s = MemoryMarshal.CreateSpan(ref s0, Width);
        TP sum = s[0];
        for (int i = 1; i < Width; i++) sum += s[i];
        TP x;
        x = s[0]; s[0] = sum - (x + x);
        s[1] = s[1] + sum;
        x = s[2]; s[2] = (x + x) + sum;
        s[3] = TP.Halve(s[3]) + sum;
        x = s[4]; s[4] = (x + x) + x + sum;
        x = s[5] + s[5]; s[5] = (x + x) + sum;
        s[6] = sum - TP.Halve(s[6]);
        x = s[7]; s[7] = sum - ((x + x) + x);
        x = s[8] + s[8]; s[8] = sum - (x + x);
        s[9] = s[9] * InverseTwoTo8 + sum;
        s[10] = TP.Halve(TP.Halve(s[10])) + sum;
        s[11] = TP.Halve(TP.Halve(TP.Halve(s[11]))) + sum;
        s[12] = s[12] * InverseTwoTo27 + sum;
        s[13] = sum - s[13] * InverseTwoTo8;
        s[14] = sum - TP.Halve(TP.Halve(TP.Halve(TP.Halve(s[14]))));
        s[15] = sum - s[15] * InverseTwoTo27;
    }
}
