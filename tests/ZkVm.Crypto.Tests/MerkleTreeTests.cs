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
            var opening = tree.Open([i]);
            Assert.True(MerkleTree.Verify(tree.Root, Dims(ms), [i], opening, out string? failure), failure);
            Assert.Equal(6, opening.Siblings.Length);
            Assert.Equal(ms[2].Row(i >> 2).ToArray(), opening.Rows[2][0]);
            Assert.Equal(ms[4].Row(0).ToArray(), opening.Rows[4][0]);
        }
        // Every index at once needs no sibling at all; each matrix's rows come back once each, in row order.
        int[] all = [.. Enumerable.Range(0, 64).Reverse()];
        var everything = tree.Open(all);
        Assert.Empty(everything.Siblings);
        Assert.True(MerkleTree.Verify(tree.Root, Dims(ms), all, everything, out string? why), why);
        Assert.Equal(ms[0].Row(63).ToArray(), everything.Rows[0][63]);
        Assert.Equal([64, 64, 16, 4, 1], everything.Rows.Select(rows => rows.Length));
    }

    [Fact]
    public void A_batch_shares_the_upper_nodes_of_its_paths_and_allows_repeated_indices()
    {
        var r = new Random(54);
        var ms = new[] { RowMajorMatrix.Random(3, 1 << 12, r), RowMajorMatrix.Random(2, 1 << 9, r) };
        var tree = MerkleTree.Commit(ms);
        int[] indices = [.. Enumerable.Range(0, 100).Select(_ => r.Next(1 << 12)), 7, 7, 7];
        var opening = tree.Open(indices);
        Assert.True(MerkleTree.Verify(tree.Root, Dims(ms), indices, opening, out string? failure), failure);
        // Separate paths would take 12 digests each.
        Assert.True(opening.Siblings.Length < 12 * indices.Length * 2 / 3, $"{opening.Siblings.Length} siblings");
        // A row that several indices reach is opened once.
        int[] positions = MerkleTree.RowPositions(indices, 3);
        Assert.Equal(indices.Select(i => i >> 3).Distinct().Count(), opening.Rows[1].Length);
        Assert.Equal(indices.Distinct().Count(), opening.Rows[0].Length);
        for (int q = 0; q < indices.Length; q++)
            Assert.Equal(ms[1].Row(indices[q] >> 3).ToArray(), opening.Rows[1][positions[q]]);
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

    [Theory]
    [MemberData(nameof(Packings))]
    public void Any_altered_leaf_sibling_index_or_root_is_rejected(PackingKind packing)
    {
        var ms = MixedHeights(new Random(52));
        var dims = Dims(ms);
        var tree = MerkleTree.Commit(ms);
        int[] indices = [37, 5, 36, 37, 60];
        var good = tree.Open(indices);
        bool Accepts(Digest root, MatrixDimensions[] d, int[] at, MerkleBatchOpening o) => MerkleTree.Verify(root, d, at, o, out _, packing);
        Assert.True(Accepts(tree.Root, dims, indices, good));

        // Every element of every opened row of every matrix.
        for (int m = 0; m < ms.Length; m++)
            for (int j = 0; j < good.Rows[m].Length; j++)
                for (int c = 0; c < ms[m].Width; c++)
                {
                    var rows = good.Rows.Select(byMatrix => byMatrix.Select(row => (BabyBear[])row.Clone()).ToArray()).ToArray();
                    rows[m][j][c] += BabyBear.One;
                    Assert.False(Accepts(tree.Root, dims, indices, good with { Rows = rows }), $"matrix {m} row {j} column {c}");
                }
        // Every element of every sibling.
        for (int k = 0; k < good.Siblings.Length; k++)
            for (int e = 0; e < Digest.Length; e++)
            {
                var siblings = (Digest[])good.Siblings.Clone();
                siblings[k] = Alter(siblings[k], e);
                Assert.False(Accepts(tree.Root, dims, indices, good with { Siblings = siblings }), $"sibling {k} element {e}");
            }
        // Every other index in each position. Rows belong to nodes, not to queries: moving a query onto an index that
        // another query still opens leaves the same nodes, whose rows are that index's own; any other move is refused.
        for (int q = 0; q < indices.Length; q++)
            for (int i = 0; i < tree.Height; i++)
            {
                int[] moved = (int[])indices.Clone();
                moved[q] = i;
                if (i == indices[q]) continue;
                bool sameNodes = moved.Distinct().Order().SequenceEqual(indices.Distinct().Order());
                Assert.Equal(sameNodes, Accepts(tree.Root, dims, moved, good));
                if (sameNodes) Assert.Equal(ms[0].Row(i).ToArray(), good.Rows[0][MerkleTree.RowPositions(moved, 0)[q]]);
            }
        // Every element of the root.
        for (int e = 0; e < Digest.Length; e++)
            Assert.False(Accepts(Alter(tree.Root, e), dims, indices, good));
        // Malformed shapes are failures with a reason, not exceptions.
        Assert.False(MerkleTree.Verify(tree.Root, dims, [-1, 5, 36, 37, 60], good, out string? why, packing));
        Assert.Contains("index", why);
        Assert.False(Accepts(tree.Root, dims, [64, 5, 36, 37, 60], good));
        Assert.False(Accepts(tree.Root, dims, indices[..^1], good));
        Assert.False(Accepts(tree.Root, dims, [], good));
        Assert.False(MerkleTree.Verify(tree.Root, dims, indices, good with { Siblings = good.Siblings[..^1] }, out why, packing));
        Assert.Contains("fewer than its paths need", why);
        Assert.False(MerkleTree.Verify(tree.Root, dims, indices, good with { Siblings = [.. good.Siblings, good.Siblings[0]] }, out why, packing));
        Assert.Contains($"its paths need {good.Siblings.Length}", why);
        Assert.False(Accepts(tree.Root, dims, indices, good with { Rows = [.. good.Rows.Select(rows => rows[..^1])] }));
        Assert.False(Accepts(tree.Root, dims, indices, good with { Rows = null! }));
        Assert.False(Accepts(tree.Root, dims.Select((d, i) => i == 0 ? d with { Width = d.Width + 1 } : d).ToArray(), indices, good));
    }

    /// <summary>
    /// Where two queries meet, only one digest goes up the path above, so a forger with one honest opening would give
    /// the other query rows of its choosing if it could open a node twice. An opening holds one row per node and matrix,
    /// and one more or fewer is refused; where a verifier computes each query's rows itself (FRI), queries that meet
    /// must bring the same rows: the same leaf opened twice, and a shorter matrix's row shared by two leaves.
    /// </summary>
    [Theory]
    [MemberData(nameof(Packings))]
    public void Queries_that_meet_must_open_the_same_rows(PackingKind packing)
    {
        var ms = MixedHeights(new Random(55));
        var tree = MerkleTree.Commit(ms);
        int[] indices = [37, 36, 37];
        var good = tree.Open(indices);
        Assert.Equal(2, good.Rows[0].Length);
        var twice = good with { Rows = [[good.Rows[0][0], good.Rows[0][1], good.Rows[0][1]], .. good.Rows[1..]] };
        Assert.False(MerkleTree.Verify(tree.Root, Dims(ms), indices, twice, out string? why, packing));
        Assert.Contains("matrix 0: opening has 3 rows, the indices reach 2", why);

        BabyBear[][][] ByQuery() =>
        [.. indices.Select(i => ms.Select(m => m.Row(i >> (6 - System.Numerics.BitOperations.Log2((uint)m.Height))).ToArray()).ToArray())];
        var rows = ByQuery();
        var rebuilt = MerkleTree.FromQueryRows(indices, Dims(ms), rows, good.Siblings, out why);
        Assert.True(rebuilt is not null && MerkleTree.Verify(tree.Root, Dims(ms), indices, rebuilt, out why, packing), why);
        rows[2][0][0] += BabyBear.One;
        Assert.Null(MerkleTree.FromQueryRows(indices, Dims(ms), rows, good.Siblings, out why));
        Assert.Contains("queries 0 and 2 open node 37 of level 0 with different rows", why);

        // 36 and 37 share row 9 of the 16-row matrix, injected two levels up.
        rows = ByQuery();
        rows[1][2][0] += BabyBear.One;
        Assert.Null(MerkleTree.FromQueryRows(indices, Dims(ms), rows, good.Siblings, out why));
        Assert.Contains("queries 0 and 1 open node 9 of level 2 with different rows", why);
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
