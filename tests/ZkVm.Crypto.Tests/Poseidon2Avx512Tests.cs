using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ZkVm.Field;

namespace ZkVm.Crypto.Tests;

/// <summary>The AVX-512 and AVX2 permutations' non-canonical helpers agree with the scalar field on edge and random inputs.</summary>
public class Poseidon2Avx512Tests
{
    private static uint Monty(BabyBear b) => Unsafe.As<BabyBear, uint>(ref b);
    private static BabyBear FromMonty(uint m) => Unsafe.As<uint, BabyBear>(ref m);

    /// <summary>Batches of 16 elements: 0, 1, 2, p−1, p−2, (p±1)/2, powers of two, then random.</summary>
    private static IEnumerable<BabyBear[]> Batches()
    {
        var edge = new List<BabyBear>();
        foreach (uint c in new uint[] { 0, 1, 2, 3, BabyBear.P - 1, BabyBear.P - 2, (BabyBear.P - 1) / 2, (BabyBear.P + 1) / 2, 1u << 27, (1u << 27) - 1, 1u << 30, (1u << 31) - 1 - (BabyBear.P - 1) % 2 })
            edge.Add(BabyBear.FromCanonical(c % BabyBear.P));
        // Montgomery representations at the edges too.
        foreach (uint m in new uint[] { 0, 1, 2, 255, 256, BabyBear.P - 1, BabyBear.P - 2, (1u << 27) - 1, (1u << 27) + 1 }) edge.Add(FromMonty(m));
        var r = new Random(77);
        var all = edge.Concat(Enumerable.Range(0, 16 * 200).Select(_ => BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P)))).ToArray();
        for (int i = 0; i + 16 <= all.Length; i += 16) yield return all[i..(i + 16)];
        yield return [.. edge.Take(16)];
        yield return [.. Enumerable.Repeat(FromMonty(BabyBear.P - 1), 16)];
    }

    private static Vector512<uint> Pack(BabyBear[] x) => Vector512.Create(x.Select(Monty).ToArray());

    [Fact]
    public void Signed_sbox_with_shifted_constant_equals_scalar_x7()
    {
        if (!Avx512F.IsSupported) return;
        var r = new Random(78);
        foreach (var x in Batches())
        {
            foreach (uint cm in new uint[] { 0, 1, BabyBear.P - 1, (uint)r.NextInt64(BabyBear.P) })
            {
                BabyBear c = FromMonty(cm);
                Vector512<uint> got = Poseidon2Avx512.SBox(Pack(x) + Vector512.Create(cm - BabyBear.P));
                for (int k = 0; k < 16; k++)
                {
                    BabyBear t = x[k] + c, t2 = t * t;
                    Assert.Equal(Monty(t2 * t2 * t2 * t), got[k]);
                }
            }
        }
    }

    [Fact]
    public void Multiplication_by_negative_powers_of_two_and_halving_equal_scalar()
    {
        if (!Avx512F.IsSupported) return;
        foreach (var x in Batches())
        {
            var v = Pack(x);
            var halved = Poseidon2Avx512.Halve(v);
            for (int k = 0; k < 16; k++) Assert.Equal(Monty(x[k].Halve()), halved[k]);
            for (byte n = 1; n <= 27; n++)
            {
                BabyBear inv = BabyBear.FromCanonical(1u << n).Inverse();
                var got = Poseidon2Avx512.MulTwoExpNeg(v, n);
                for (int k = 0; k < 16; k++) Assert.Equal(Monty(x[k] * inv), got[k]);
            }
        }
    }

    [Fact]
    public void Permutation_of_edge_states_equals_reference()
    {
        if (Avx512F.IsSupported) CheckEdgeStates<PackedBabyBearAvx512>();
        if (Avx2.IsSupported) CheckEdgeStates<PackedBabyBearAvx2>();
    }

    private static void CheckEdgeStates<TP>() where TP : unmanaged, IPackedField<TP>
    {
        var batches = Batches().ToArray();
        int lanes = TP.Width;
        // Each lane's state is one batch (edge values first, then random), plus an all-zero state.
        for (int b = 0; b + lanes <= batches.Length; b += lanes)
        {
            var states = new BabyBear[lanes][];
            for (int k = 0; k < lanes; k++) states[k] = batches[b + k];
            if (b == 0) states[0] = new BabyBear[16];
            Poseidon2State<TP> packed = default;
            var column = new BabyBear[lanes];
            for (int i = 0; i < 16; i++)
            {
                for (int k = 0; k < lanes; k++) column[k] = states[k][i];
                packed[i] = TP.Load(ref column[0]);
            }
            Poseidon2<TP>.Permute(ref packed);
            for (int i = 0; i < 16; i++)
            {
                TP.Store(ref column[0], packed[i]);
                for (int k = 0; k < lanes; k++)
                {
                    var expect = (BabyBear[])states[k].Clone();
                    Poseidon2Reference.Permute(expect);
                    Assert.Equal(expect[i], column[k]);
                }
            }
        }
    }

    private static Vector256<uint> Pack8(BabyBear[] x, int from) => Vector256.Create(x.Skip(from).Take(8).Select(Monty).ToArray());

    [Fact]
    public void Avx2_helpers_equal_scalar()
    {
        if (!Avx2.IsSupported) return;
        var r = new Random(79);
        foreach (var x in Batches())
        {
            for (int half = 0; half < 16; half += 8)
            {
                var v = Pack8(x, half);
                foreach (uint cm in new uint[] { 0, 1, BabyBear.P - 1, (uint)r.NextInt64(BabyBear.P) })
                {
                    Vector256<uint> got = Poseidon2Avx2.SBox(v + Vector256.Create(cm - BabyBear.P));
                    for (int k = 0; k < 8; k++)
                    {
                        BabyBear t = x[half + k] + FromMonty(cm), t2 = t * t;
                        Assert.Equal(Monty(t2 * t2 * t2 * t), got[k]);
                    }
                }
                var halved = Poseidon2Avx2.Halve(v);
                for (int k = 0; k < 8; k++) Assert.Equal(Monty(x[half + k].Halve()), halved[k]);
                for (byte n = 1; n <= 27; n++)
                {
                    BabyBear inv = BabyBear.FromCanonical(1u << n).Inverse();
                    var got = Poseidon2Avx2.MulTwoExpNeg(v, n);
                    for (int k = 0; k < 8; k++) Assert.Equal(Monty(x[half + k] * inv), got[k]);
                }
            }
        }
    }
}
