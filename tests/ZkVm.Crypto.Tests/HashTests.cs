using ZkVm.Field;

namespace ZkVm.Crypto.Tests;

public class HashTests
{
    [Fact]
    public void Sponge_separates_lengths_and_depends_on_every_element()
    {
        var r = new Random(60);
        BabyBear[] row = [.. Enumerable.Range(0, 21).Select(_ => BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P)))];
        Digest h = Poseidon2Hash.HashRow(row);
        Assert.NotEqual(h, Poseidon2Hash.HashRow([.. row, BabyBear.Zero]));
        Assert.NotEqual(Poseidon2Hash.HashRow([]), Poseidon2Hash.HashRow([BabyBear.Zero]));
        for (int i = 0; i < row.Length; i++)
        {
            var changed = (BabyBear[])row.Clone();
            changed[i] += BabyBear.One;
            Assert.NotEqual(h, Poseidon2Hash.HashRow(changed));
        }
    }

    [Fact]
    public void Sponge_follows_its_definition()
    {
        BabyBear[] row = [.. Enumerable.Range(1, 10).Select(i => BabyBear.FromCanonical((uint)i))];
        var state = new BabyBear[16];
        state[15] = BabyBear.FromCanonical(10);
        row.AsSpan(0, 8).CopyTo(state);
        Poseidon2Reference.Permute(state);
        row.AsSpan(8, 2).CopyTo(state);
        Poseidon2Reference.Permute(state);
        Assert.Equal(new Digest(state.AsSpan(0, 8)), Poseidon2Hash.HashRow(row));
    }

    [Fact]
    public void Compression_is_order_sensitive()
    {
        var a = Poseidon2Hash.HashRow([BabyBear.One]);
        var b = Poseidon2Hash.HashRow([BabyBear.Zero]);
        Assert.NotEqual(Poseidon2Hash.Compress(a, b), Poseidon2Hash.Compress(b, a));
    }
}
