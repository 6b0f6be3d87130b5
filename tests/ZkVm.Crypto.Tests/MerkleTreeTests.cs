using ZkVm.Field;

namespace ZkVm.Crypto.Tests;

public class MerkleTreeTests
{
    private static RowMajorMatrix[] MixedHeights(Random r) =>
    [
        RowMajorMatrix.Random(5, 64, r),
        RowMajorMatrix.Random(3, 64, r),
        RowMajorMatrix.Random(9, 16, r),
        RowMajorMatrix.Random(1, 4, r),
        RowMajorMatrix.Random(2, 1, r),
    ];

    private static MatrixDimensions[] Dims(RowMajorMatrix[] ms) => [.. ms.Select(m => new MatrixDimensions(m.Width, m.Height))];

    [Fact]
    public void Every_opening_verifies_for_matrices_of_mixed_heights()
    {
        var ms = MixedHeights(new Random(50));
        var tree = MerkleTree.Commit(ms);
        Assert.Equal(64, tree.Height);
        for (int i = 0; i < tree.Height; i++)
        {
            var opening = tree.Open(i);
            Assert.True(MerkleTree.Verify(tree.Root, Dims(ms), i, opening, out string? failure), failure);
            Assert.Equal(ms[2].Row(i >> 2).ToArray(), opening.Rows[2]);
            Assert.Equal(ms[4].Row(0).ToArray(), opening.Rows[4]);
        }
    }

    public static TheoryData<PackingKind> Packings() => Poseidon2Tests.Packings();

    [Theory]
    [MemberData(nameof(Packings))]
    public void Packed_and_scalar_commitments_agree_and_match_a_naive_tree(PackingKind packing)
    {
        var r = new Random(51);
        var ms = new[] { RowMajorMatrix.Random(17, 2048, r), RowMajorMatrix.Random(8, 2048, r), RowMajorMatrix.Random(4, 512, r) };
        var tree = MerkleTree.Commit(ms, packing);
        Assert.Equal(MerkleTree.Commit(ms, PackingKind.Scalar).Root, tree.Root);

        // Naive: one leaf per row from hash of the two tall matrices' rows, pairs compressed, the short
        // matrix injected at its height.
        Digest[] layer = [.. Enumerable.Range(0, 2048).Select(i => Poseidon2Hash.HashRow([.. ms[0].Row(i).ToArray(), .. ms[1].Row(i).ToArray()]))];
        while (layer.Length > 1)
        {
            layer = [.. Enumerable.Range(0, layer.Length / 2).Select(i => Poseidon2Hash.Compress(layer[2 * i], layer[2 * i + 1]))];
            if (layer.Length == 512)
                layer = [.. layer.Select((d, i) => Poseidon2Hash.Compress(d, Poseidon2Hash.HashRow(ms[2].Row(i))))];
        }
        Assert.Equal(layer[0], tree.Root);
    }

    [Fact]
    public void Any_altered_leaf_sibling_index_or_root_is_rejected()
    {
        var ms = MixedHeights(new Random(52));
        var dims = Dims(ms);
        var tree = MerkleTree.Commit(ms);
        const int index = 37;
        var good = tree.Open(index);
        Assert.True(MerkleTree.Verify(tree.Root, dims, index, good, out _));

        // Every element of every opened row.
        for (int m = 0; m < good.Rows.Length; m++)
            for (int c = 0; c < good.Rows[m].Length; c++)
            {
                var rows = good.Rows.Select(row => (BabyBear[])row.Clone()).ToArray();
                rows[m][c] += BabyBear.One;
                Assert.False(MerkleTree.Verify(tree.Root, dims, index, good with { Rows = rows }, out _), $"row {m} column {c}");
            }
        // Every element of every sibling.
        for (int k = 0; k < good.Siblings.Length; k++)
            for (int e = 0; e < Digest.Length; e++)
            {
                var siblings = (Digest[])good.Siblings.Clone();
                siblings[k] = Alter(siblings[k], e);
                Assert.False(MerkleTree.Verify(tree.Root, dims, index, good with { Siblings = siblings }, out _), $"sibling {k} element {e}");
            }
        // Every other index.
        for (int i = 0; i < tree.Height; i++)
            if (i != index) Assert.False(MerkleTree.Verify(tree.Root, dims, i, good, out _), $"index {i}");
        // Every element of the root.
        for (int e = 0; e < Digest.Length; e++)
            Assert.False(MerkleTree.Verify(Alter(tree.Root, e), dims, index, good, out _));
        // Malformed shapes are failures with a reason, not exceptions.
        Assert.False(MerkleTree.Verify(tree.Root, dims, -1, good, out string? why));
        Assert.Contains("index", why);
        Assert.False(MerkleTree.Verify(tree.Root, dims, 64, good, out _));
        Assert.False(MerkleTree.Verify(tree.Root, dims, index, good with { Siblings = good.Siblings[..^1] }, out _));
        Assert.False(MerkleTree.Verify(tree.Root, dims, index, good with { Rows = good.Rows[..^1] }, out _));
        Assert.False(MerkleTree.Verify(tree.Root, dims.Select((d, i) => i == 0 ? d with { Width = d.Width + 1 } : d).ToArray(), index, good, out _));
    }

    [Fact]
    public void Commitment_binds_matrix_order_and_shape()
    {
        var r = new Random(53);
        var a = RowMajorMatrix.Random(4, 8, r);
        var b = RowMajorMatrix.Random(4, 8, r);
        Assert.NotEqual(MerkleTree.Commit([a, b]).Root, MerkleTree.Commit([b, a]).Root);
        // Same elements, different width: the sponge's length/rows differ.
        var wide = new RowMajorMatrix(a.Values, 8);
        Assert.NotEqual(MerkleTree.Commit([a]).Root, MerkleTree.Commit([wide]).Root);
        Assert.Throws<ArgumentException>(() => MerkleTree.Commit([RowMajorMatrix.Random(1, 6, r)]));
        Assert.Throws<ArgumentException>(() => MerkleTree.Commit([]));
    }

    private static Digest Alter(Digest d, int element)
    {
        var values = new BabyBear[Digest.Length];
        d.CopyTo(values);
        values[element] += BabyBear.One;
        return new Digest(values);
    }
}
