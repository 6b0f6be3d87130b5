using ZkVm.Field;

namespace ZkVm.Crypto.Tests;

public class Poseidon2Tests
{
    private static BabyBear[] Elements(uint[] canonical) => [.. canonical.Select(BabyBear.FromCanonical)];
    private static uint[] Canonical(ReadOnlySpan<BabyBear> values) => [.. values.ToArray().Select(v => v.ToCanonical())];

    public static TheoryData<int> VectorIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Poseidon2Vectors.BabyBear16.Length; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(VectorIndices))]
    public void Reference_matches_plonky3_published_vector(int index)
    {
        var (input, output, source) = Poseidon2Vectors.BabyBear16[index];
        BabyBear[] state = Elements(input);
        Poseidon2Reference.Permute(state);
        Assert.True(output.SequenceEqual(Canonical(state)), $"mismatch with {source}");
    }

    [Theory]
    [MemberData(nameof(VectorIndices))]
    public void Fast_permutation_matches_plonky3_published_vector(int index)
    {
        var (input, output, source) = Poseidon2Vectors.BabyBear16[index];
        BabyBear[] state = Elements(input);
        Poseidon2.Permute(state);
        Assert.True(output.SequenceEqual(Canonical(state)), $"mismatch with {source}");
    }

    /// <summary>Only packings this CPU runs are listed; the CI machine has AVX-512, so all three run there.</summary>
    public static TheoryData<PackingKind> Packings() => [.. Packing.Supported];

    [Theory]
    [MemberData(nameof(Packings))]
    public void Vectorised_permutation_equals_scalar_reference_on_random_states(PackingKind packing)
    {
        switch (packing)
        {
            case PackingKind.Avx512: CheckPacked<PackedBabyBearAvx512>(); break;
            case PackingKind.Avx2: CheckPacked<PackedBabyBearAvx2>(); break;
            default: CheckPacked<BabyBear>(); break;
        }
    }

    private static void CheckPacked<TP>() where TP : unmanaged, IPackedField<TP>
    {
        var r = new Random(40);
        int lanes = TP.Width;
        for (int iter = 0; iter < 200; iter++)
        {
            var states = new BabyBear[lanes][];
            for (int k = 0; k < lanes; k++)
                states[k] = [.. Enumerable.Range(0, 16).Select(_ => iter == 0 ? BabyBear.FromCanonical(BabyBear.P - 1) : BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P)))];
            Poseidon2State<TP> packed = default;
            var column = new BabyBear[lanes];
            for (int i = 0; i < 16; i++)
            {
                for (int k = 0; k < lanes; k++) column[k] = states[k][i];
                packed[i] = TP.Load(ref column[0]);
            }
            Poseidon2<TP>.Permute(ref packed);
            for (int k = 0; k < lanes; k++) Poseidon2Reference.Permute(states[k]);
            for (int i = 0; i < 16; i++)
            {
                TP.Store(ref column[0], packed[i]);
                for (int k = 0; k < lanes; k++) Assert.Equal(states[k][i], column[k]);
            }
        }
    }

    [Fact]
    public void Every_input_element_affects_every_output_element()
    {
        var r = new Random(41);
        BabyBear[] baseState = [.. Enumerable.Range(0, 16).Select(_ => BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P)))];
        BabyBear[] baseOut = (BabyBear[])baseState.Clone();
        Poseidon2.Permute(baseOut);
        for (int i = 0; i < 16; i++)
        {
            var s = (BabyBear[])baseState.Clone();
            s[i] += BabyBear.One;
            Poseidon2.Permute(s);
            for (int j = 0; j < 16; j++) Assert.NotEqual(baseOut[j], s[j]);
        }
    }
}
