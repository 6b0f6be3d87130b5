using System.Numerics;
using ZkVm.Field;

namespace ZkVm.Crypto;

/// <summary>The shape of one committed matrix, all a verifier needs to know about it.</summary>
public readonly record struct MatrixDimensions(int Width, int Height);

/// <summary>What opening one index reveals: the row of every matrix at that index, and the sibling path.</summary>
public sealed record MerkleOpening(BabyBear[][] Rows, Digest[] Siblings);

/// <summary>
/// A vector commitment to several matrices whose heights are powers of two, not necessarily equal
/// (the traces of a multi-table proof and their quotients share one tree, as in Plonky3's MMCS).
/// </summary>
/// <remarks>
/// Layer 0 has one leaf per row of the tallest matrices: the hash of their rows at that index,
/// concatenated in the order given. Each higher layer compresses pairs of nodes, and where some
/// matrices have exactly that layer's height, the node is compressed once more with the hash of
/// their concatenated rows. Opening index i reveals row i >> (log₂ H − log₂ h) of a matrix of height h.
/// The tree keeps every layer but the leaves (half its digests): an opening hashes its sibling leaf again from the rows.
/// </remarks>
public sealed class MerkleTree
{
    private readonly RowMajorMatrix[] matrices;
    private readonly Digest[]?[] layers;

    private MerkleTree(RowMajorMatrix[] matrices, Digest[][] layers)
    {
        this.matrices = matrices;
        Height = layers[0].Length;
        this.layers = layers;
        if (layers.Length > 1) this.layers[0] = null;
    }

    public Digest Root => layers[^1]![0];
    public int Height { get; }
    public IReadOnlyList<RowMajorMatrix> Matrices => matrices;
    public MatrixDimensions[] Dimensions => [.. matrices.Select(m => new MatrixDimensions(m.Width, m.Height))];

    public static MerkleTree Commit(IReadOnlyList<RowMajorMatrix> matrices, PackingKind? packing = null)
    {
        ArgumentNullException.ThrowIfNull(matrices);
        if (matrices.Count == 0) throw new ArgumentException("nothing to commit", nameof(matrices));
        foreach (var m in matrices)
            if (m.Height == 0 || !BitOperations.IsPow2(m.Height))
                throw new ArgumentException($"matrix heights must be powers of two, got {m.Height}", nameof(matrices));
        var builder = new Builder([.. matrices]);
        Packing.Run(packing ?? Packing.Best, builder);
        return new MerkleTree([.. matrices], builder.Layers!);
    }

    public MerkleOpening Open(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Height);
        int logHeight = BitOperations.Log2((uint)Height);
        var rows = new BabyBear[matrices.Length][];
        for (int m = 0; m < matrices.Length; m++)
        {
            int logM = BitOperations.Log2((uint)matrices[m].Height);
            rows[m] = matrices[m].Row(index >> (logHeight - logM)).ToArray();
        }
        var siblings = new Digest[logHeight];
        for (int k = 0; k < logHeight; k++) siblings[k] = k == 0 ? Leaf(index ^ 1) : layers[k]![(index >> k) ^ 1];
        return new MerkleOpening(rows, siblings);
    }

    /// <summary>Leaf <paramref name="index"/>: the hash of the tallest matrices' rows there, concatenated, as the commitment hashed it.</summary>
    private Digest Leaf(int index)
    {
        var source = new ConcatenatedRows([.. matrices.Where(m => m.Height == Height)]);
        var row = new BabyBear[source.Width];
        source.CopyRow(index, row);
        return Poseidon2Hash.HashRow(row);
    }

    /// <summary>
    /// Checks an opening of <paramref name="index"/> against <paramref name="root"/> for matrices of the
    /// given shapes (which the verifier knows independently of the proof). Any malformed opening is a
    /// failure with a reason, never an exception.
    /// </summary>
    public static bool Verify(Digest root, IReadOnlyList<MatrixDimensions> dimensions, int index, MerkleOpening opening, out string? failure)
    {
        failure = null;
        if (dimensions.Count == 0) { failure = "no matrices"; return false; }
        int maxHeight = 0;
        foreach (var d in dimensions)
        {
            if (d.Height <= 0 || !BitOperations.IsPow2(d.Height) || d.Width <= 0) { failure = $"invalid matrix shape {d.Width}×{d.Height}"; return false; }
            maxHeight = Math.Max(maxHeight, d.Height);
        }
        int logHeight = BitOperations.Log2((uint)maxHeight);
        if ((uint)index >= (uint)maxHeight) { failure = $"index {index} outside [0, {maxHeight})"; return false; }
        if (opening.Rows.Length != dimensions.Count) { failure = $"opening has {opening.Rows.Length} rows for {dimensions.Count} matrices"; return false; }
        for (int m = 0; m < dimensions.Count; m++)
            if (opening.Rows[m] is null || opening.Rows[m].Length != dimensions[m].Width)
            { failure = $"row of matrix {m} has {opening.Rows[m]?.Length ?? 0} elements, expected {dimensions[m].Width}"; return false; }
        if (opening.Siblings.Length != logHeight) { failure = $"path has {opening.Siblings.Length} siblings, expected {logHeight}"; return false; }

        Digest node = HashRowsOfHeight(dimensions, opening.Rows, maxHeight)!.Value;
        for (int k = 1; k <= logHeight; k++)
        {
            Digest sibling = opening.Siblings[k - 1];
            node = ((index >> (k - 1)) & 1) == 0 ? Poseidon2Hash.Compress(node, sibling) : Poseidon2Hash.Compress(sibling, node);
            if (HashRowsOfHeight(dimensions, opening.Rows, maxHeight >> k) is Digest injected)
                node = Poseidon2Hash.Compress(node, injected);
        }
        if (node != root) { failure = "opening does not hash to the committed root"; return false; }
        return true;
    }

    private static Digest? HashRowsOfHeight(IReadOnlyList<MatrixDimensions> dimensions, BabyBear[][] rows, int height)
    {
        List<BabyBear>? concatenated = null;
        for (int m = 0; m < dimensions.Count; m++)
            if (dimensions[m].Height == height)
                (concatenated ??= []).AddRange(rows[m]);
        return concatenated is null ? null : Poseidon2Hash.HashRow(concatenated.ToArray());
    }

    /// <summary>Builds all layers, hashing TP.Width leaves or nodes per permutation call, on every core.</summary>
    private sealed class Builder(RowMajorMatrix[] matrices) : IPackedOperation
    {
        private const int RowsPerTask = 1 << 10;
        public Digest[][]? Layers;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int maxHeight = matrices.Max(m => m.Height);
            int logHeight = BitOperations.Log2((uint)maxHeight);
            var layers = new Digest[logHeight + 1][];
            layers[0] = HashRows<TP>(maxHeight);
            for (int k = 1; k <= logHeight; k++)
            {
                Digest[] below = layers[k - 1];
                var layer = new Digest[below.Length / 2];
                Digest[]? injected = matrices.Any(m => m.Height == layer.Length) ? HashRows<TP>(layer.Length) : null;
                ForBlocks<TP>(layer.Length, (from, to) =>
                {
                    Span<Digest> left = stackalloc Digest[TP.Width], right = stackalloc Digest[TP.Width];
                    int i = from;
                    for (; i + TP.Width <= to; i += TP.Width)
                    {
                        for (int k2 = 0; k2 < TP.Width; k2++) { left[k2] = below[2 * (i + k2)]; right[k2] = below[2 * (i + k2) + 1]; }
                        Poseidon2Hash<TP>.CompressLanes(left, right, layer.AsSpan(i, TP.Width));
                        if (injected is not null)
                            Poseidon2Hash<TP>.CompressLanes(layer.AsSpan(i, TP.Width), injected.AsSpan(i, TP.Width), layer.AsSpan(i, TP.Width));
                    }
                    for (; i < to; i++)
                    {
                        layer[i] = Poseidon2Hash.Compress(below[2 * i], below[2 * i + 1]);
                        if (injected is not null) layer[i] = Poseidon2Hash.Compress(layer[i], injected[i]);
                    }
                });
                layers[k] = layer;
            }
            Layers = layers;
        }

        private Digest[] HashRows<TP>(int height) where TP : unmanaged, IPackedField<TP>
        {
            var group = matrices.Where(m => m.Height == height).ToArray();
            var source = new ConcatenatedRows(group);
            var digests = new Digest[height];
            ForBlocks<TP>(height, (from, to) =>
            {
                int i = from;
                var row = new BabyBear[source.Width];
                for (; i + TP.Width <= to; i += TP.Width)
                    Poseidon2Hash<TP>.HashLanes(source.At(i), source.Width, digests.AsSpan(i, TP.Width));
                for (; i < to; i++)
                {
                    source.CopyRow(i, row);
                    digests[i] = Poseidon2Hash.HashRow(row);
                }
            });
            return digests;
        }

        private static void ForBlocks<TP>(int count, Action<int, int> body) where TP : unmanaged, IPackedField<TP>
        {
            int blocks = (count + RowsPerTask - 1) / RowsPerTask;
            if (blocks <= 1) { body(0, count); return; }
            Parallel.For(0, blocks, b => body(b * RowsPerTask, Math.Min(count, (b + 1) * RowsPerTask)));
        }
    }

    /// <summary>The rows of several equal-height matrices read as one wide row, without copying.</summary>
    private sealed class ConcatenatedRows
    {
        private readonly RowMajorMatrix[] group;
        private readonly int[] matrixOf, columnOf;

        public ConcatenatedRows(RowMajorMatrix[] group)
        {
            this.group = group;
            Width = group.Sum(m => m.Width);
            matrixOf = new int[Width];
            columnOf = new int[Width];
            int t = 0;
            for (int m = 0; m < group.Length; m++)
                for (int c = 0; c < group[m].Width; c++, t++) { matrixOf[t] = m; columnOf[t] = c; }
        }

        public int Width { get; }

        public void CopyRow(int row, Span<BabyBear> destination)
        {
            int t = 0;
            foreach (var m in group) { m.Row(row).CopyTo(destination.Slice(t)); t += m.Width; }
        }

        public Lanes At(int firstRow) => new(this, firstRow);

        public readonly struct Lanes(ConcatenatedRows rows, int firstRow) : ILaneSource
        {
            public void Gather(int index, scoped Span<BabyBear> lanes)
            {
                RowMajorMatrix m = rows.group[rows.matrixOf[index]];
                int width = m.Width, position = firstRow * width + rows.columnOf[index];
                BabyBear[] values = m.Values;
                for (int k = 0; k < lanes.Length; k++, position += width) lanes[k] = values[position];
            }
        }
    }
}
