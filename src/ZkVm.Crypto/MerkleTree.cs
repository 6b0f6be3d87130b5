using System.Numerics;
using ZkVm.Field;

namespace ZkVm.Crypto;

/// <summary>The shape of one committed matrix, all a verifier needs to know about it.</summary>
public readonly record struct MatrixDimensions(int Width, int Height);

/// <summary>
/// What opening several indices at once reveals: for every matrix, each of its rows that the indices reach, once, in
/// ascending row order (index i reaches row i >> (log₂ H − log₂ h) of a matrix of height h, so queries that share a
/// leaf, or a shorter matrix's row, share one opened row); and, once, every sibling node that the opened rows do not
/// determine, level by level from the leaves, left to right within a level. Paths that meet share their upper nodes,
/// so a batch of q openings costs far fewer digests than q separate paths.
/// </summary>
/// <param name="Rows">Rows[m][j]: the j-th row of matrix m that the indices reach (see <see cref="MerkleTree.RowPositions"/>).</param>
public sealed record MerkleBatchOpening(BabyBear[][][] Rows, Digest[] Siblings);

/// <summary>
/// A vector commitment to several matrices whose heights are powers of two, not necessarily equal
/// (the traces of a multi-table proof and their quotients share one tree, as in Plonky3's MMCS).
/// </summary>
/// <remarks>
/// Layer 0 has one leaf per row of the tallest matrices: the hash of their rows at that index,
/// concatenated in the order given. Each higher layer compresses pairs of nodes, and where some
/// matrices have exactly that layer's height, the node is compressed once more with the hash of
/// their concatenated rows. Opening index i reveals row i >> (log₂ H − log₂ h) of a matrix of height h.
/// The tree keeps the layers from <see cref="FirstKeptLevel"/> up (a sixteenth of its digests): an opening hashes a
/// sibling below them again from the rows of its at most 8 leaves.
/// </remarks>
public sealed class MerkleTree
{
    /// <summary>
    /// Layers below this one are dropped once built: for a main trace of 2^21 leaves that is 59 MB of 67, and an
    /// opening of 203 queries recomputes its low siblings from some 3,000 leaves, milliseconds.
    /// </summary>
    private const int FirstKeptLevel = 4;

    private readonly RowMajorMatrix[] matrices;
    private readonly Digest[]?[] layers;

    private MerkleTree(RowMajorMatrix[] matrices, Digest[][] layers)
    {
        this.matrices = matrices;
        Height = layers[0].Length;
        this.layers = layers;
        for (int k = 0; k < Math.Min(FirstKeptLevel, layers.Length - 1); k++) this.layers[k] = null;
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

    /// <summary>Opens <paramref name="indices"/> together (<see cref="MerkleBatchOpening"/>).</summary>
    public MerkleBatchOpening Open(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty) throw new ArgumentException("nothing to open", nameof(indices));
        int logHeight = BitOperations.Log2((uint)Height);
        foreach (int index in indices)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Height);
        }
        var rows = new BabyBear[matrices.Length][][];
        for (int m = 0; m < matrices.Length; m++)
        {
            int[] reached = ReachedRows(indices, logHeight - BitOperations.Log2((uint)matrices[m].Height));
            rows[m] = [.. reached.Select(row => matrices[m].Row(row).ToArray())];
        }
        // The rows hashed into each dropped level: the leaves at level 0, the matrices injected there above it.
        var rowsAt = new ConcatenatedRows?[Math.Min(FirstKeptLevel, logHeight + 1)];
        for (int k = 0; k < rowsAt.Length; k++)
            if (matrices.Where(m => m.Height == Height >> k).ToArray() is { Length: > 0 } group) rowsAt[k] = new ConcatenatedRows(group);
        var wanted = new List<(int Level, int Index)>();
        int[] nodes = ReachedRows(indices, 0);
        for (int k = 0; k < logHeight; k++)
        {
            var (parents, children) = Pair(nodes);
            for (int j = 0; j < parents.Length; j++)
            {
                if (children[j].Left < 0) wanted.Add((k, 2 * parents[j]));
                if (children[j].Right < 0) wanted.Add((k, 2 * parents[j] + 1));
            }
            nodes = parents;
        }
        // The siblings below the kept levels are hashed again, each independently of the others: on every core.
        var siblings = new Digest[wanted.Count];
        Parallel.For(0, siblings.Length, Kernels.Options, i => siblings[i] = Node(wanted[i].Level, wanted[i].Index));
        return new MerkleBatchOpening(rows, siblings);

        Digest Node(int level, int index)
        {
            if (layers[level] is { } kept) return kept[index];
            Digest node = level == 0 ? default : Poseidon2Hash.Compress(Node(level - 1, 2 * index), Node(level - 1, 2 * index + 1));
            if (rowsAt[level] is not { } rows) return node;
            var row = new BabyBear[rows.Width];
            rows.CopyRow(index, row);
            return level == 0 ? Poseidon2Hash.HashRow(row) : Poseidon2Hash.Compress(node, Poseidon2Hash.HashRow(row));
        }
    }

    /// <summary>
    /// For each of <paramref name="indices"/>, the position of the row it reaches, <paramref name="shift"/> levels up
    /// (log₂ H − log₂ h for a matrix of height h), among that matrix's opened rows (<see cref="MerkleBatchOpening.Rows"/>).
    /// </summary>
    public static int[] RowPositions(ReadOnlySpan<int> indices, int shift)
    {
        int[] reached = ReachedRows(indices, shift);
        var positions = new int[indices.Length];
        for (int q = 0; q < indices.Length; q++) positions[q] = Array.BinarySearch(reached, indices[q] >> shift);
        return positions;
    }

    /// <summary>
    /// The batch opening whose rows are those of each query (<paramref name="rowsByQuery"/>[q][m], query q at
    /// <paramref name="indices"/>[q]) where a verifier computes them itself, as FRI does from its folding. Queries that
    /// reach one row must bring the same values, or one honest path would vouch for another query's rows; null, with
    /// the <paramref name="failure"/>, where they differ.
    /// </summary>
    public static MerkleBatchOpening? FromQueryRows(ReadOnlySpan<int> indices, IReadOnlyList<MatrixDimensions> dimensions,
        BabyBear[][][] rowsByQuery, Digest[] siblings, out string? failure)
    {
        failure = null;
        int logHeight = BitOperations.Log2((uint)dimensions.Max(d => d.Height));
        var rows = new BabyBear[dimensions.Count][][];
        for (int m = 0; m < dimensions.Count; m++)
        {
            int shift = logHeight - BitOperations.Log2((uint)dimensions[m].Height);
            int[] positions = RowPositions(indices, shift);
            rows[m] = new BabyBear[positions.Length == 0 ? 0 : positions.Max() + 1][];
            var first = new int[rows[m].Length];
            for (int q = 0; q < indices.Length; q++)
            {
                int j = positions[q];
                BabyBear[] row = rowsByQuery[q][m];
                if (rows[m][j] is null) { rows[m][j] = row; first[j] = q; }
                else if (!row.AsSpan().SequenceEqual(rows[m][j]))
                {
                    failure = $"queries {first[j]} and {q} open node {indices[q] >> shift} of level {shift} with different rows";
                    return null;
                }
            }
        }
        return new MerkleBatchOpening(rows, siblings);
    }

    /// <summary>The distinct nodes <paramref name="indices"/> reach <paramref name="level"/> levels up, ascending.</summary>
    /// <summary>The rows (or nodes) that <paramref name="indices"/> reach <paramref name="level"/> levels up, each once and ascending: the rows a batch opening holds of a matrix that much shorter.</summary>
    public static int[] ReachedRows(ReadOnlySpan<int> indices, int level)
    {
        var nodes = new SortedSet<int>();
        foreach (int index in indices) nodes.Add(index >> level);
        return [.. nodes];
    }

    /// <summary>
    /// The parents of a level's known nodes (ascending, distinct), and for each parent the positions of its left and
    /// right children among those nodes, −1 for a child the opening supplies (in this order: it fixes the siblings' order).
    /// </summary>
    private static (int[] Parents, (int Left, int Right)[] Children) Pair(int[] nodes)
    {
        var parents = new List<int>(nodes.Length);
        var children = new List<(int, int)>(nodes.Length);
        for (int j = 0; j < nodes.Length; j++)
        {
            int node = nodes[j];
            parents.Add(node >> 1);
            if ((node & 1) == 0 && j + 1 < nodes.Length && nodes[j + 1] == node + 1)
            {
                children.Add((j, j + 1));
                j++;
            }
            else children.Add((node & 1) == 0 ? (j, -1) : (-1, j));
        }
        return ([.. parents], [.. children]);
    }

    /// <summary>
    /// Checks a batch opening of <paramref name="indices"/> against <paramref name="root"/> for matrices of the given
    /// shapes (which the verifier knows independently of the proof). Every node the indices reach has exactly one opened
    /// row per matrix, so no query's row is taken on trust because another query's path vouched for its node. Any
    /// malformed opening is a failure with a reason, never an exception. The hashing runs <paramref name="packing"/>'s
    /// lanes over the opened rows.
    /// </summary>
    public static bool Verify(Digest root, IReadOnlyList<MatrixDimensions> dimensions, ReadOnlySpan<int> indices, MerkleBatchOpening opening,
        out string? failure, PackingKind? packing = null)
    {
        failure = Problem(dimensions, indices, opening);
        if (failure is not null) return false;
        var verifier = new BatchVerifier(root, dimensions, indices.ToArray(), opening);
        Packing.Run(packing ?? Packing.Best, verifier);
        failure = verifier.Failure;
        return failure is null;
    }

    /// <summary>The first malformed part of a batch opening, or null: shapes, indices and row widths.</summary>
    private static string? Problem(IReadOnlyList<MatrixDimensions> dimensions, ReadOnlySpan<int> indices, MerkleBatchOpening? opening)
    {
        if (dimensions is null || dimensions.Count == 0) return "no matrices";
        int maxHeight = 0;
        foreach (var d in dimensions)
        {
            if (d.Height <= 0 || !BitOperations.IsPow2(d.Height) || d.Width <= 0) return $"invalid matrix shape {d.Width}×{d.Height}";
            maxHeight = Math.Max(maxHeight, d.Height);
        }
        if (indices.IsEmpty) return "no index to open";
        foreach (int index in indices)
            if ((uint)index >= (uint)maxHeight) return $"index {index} outside [0, {maxHeight})";
        if (opening?.Rows is null || opening.Siblings is null) return "no opening";
        if (opening.Rows.Length != dimensions.Count) return $"opening has rows of {opening.Rows.Length} matrices, expected {dimensions.Count}";
        int logHeight = BitOperations.Log2((uint)maxHeight);
        for (int m = 0; m < dimensions.Count; m++)
        {
            BabyBear[][]? rows = opening.Rows[m];
            int reached = ReachedRows(indices, logHeight - BitOperations.Log2((uint)dimensions[m].Height)).Length;
            if (rows is null || rows.Length != reached) return $"matrix {m}: opening has {rows?.Length ?? 0} rows, the indices reach {reached}";
            for (int j = 0; j < rows.Length; j++)
                if (rows[j] is null || rows[j].Length != dimensions[m].Width)
                    return $"matrix {m}: opened row {j} has {rows[j]?.Length ?? 0} elements, expected {dimensions[m].Width}";
        }
        return null;
    }

    /// <summary>
    /// Rebuilds the root from a well-formed batch opening, level by level, hashing TP.Width opened rows or nodes per
    /// permutation call.
    /// </summary>
    private sealed class BatchVerifier(Digest root, IReadOnlyList<MatrixDimensions> dimensions, int[] indices, MerkleBatchOpening opening) : IPackedOperation
    {
        public string? Failure;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int maxHeight = dimensions.Max(d => d.Height), logHeight = BitOperations.Log2((uint)maxHeight);
            int[] nodes = ReachedRows(indices, 0);
            // Each matrix of height H >> k opened one row per distinct node of level k, in the nodes' order.
            Digest[] values = HashRows<TP>(maxHeight)!;
            Digest[] siblings = opening.Siblings;
            int used = 0;
            for (int k = 1; k <= logHeight; k++)
            {
                var (parents, children) = Pair(nodes);
                var left = new Digest[parents.Length];
                var right = new Digest[parents.Length];
                for (int j = 0; j < parents.Length; j++)
                {
                    var (l, r) = children[j];
                    if ((l < 0 || r < 0) && used == siblings.Length)
                    {
                        Failure = $"the opening has {siblings.Length} sibling digests, fewer than its paths need";
                        return;
                    }
                    left[j] = l >= 0 ? values[l] : siblings[used++];
                    right[j] = r >= 0 ? values[r] : siblings[used++];
                }
                values = new Digest[parents.Length];
                CompressAll<TP>(left, right, values);
                if (HashRows<TP>(maxHeight >> k) is Digest[] injected) CompressAll<TP>(values, injected, values);
                nodes = parents;
            }
            if (used != siblings.Length) Failure = $"the opening has {siblings.Length} sibling digests, its paths need {used}";
            else if (values[0] != root) Failure = "opening does not hash to the committed root";
        }

        /// <summary>The opened rows of the matrices of height <paramref name="height"/>, concatenated and hashed, one digest per row; null when there are none.</summary>
        private Digest[]? HashRows<TP>(int height) where TP : unmanaged, IPackedField<TP>
        {
            int[] group = [.. Enumerable.Range(0, dimensions.Count).Where(m => dimensions[m].Height == height)];
            if (group.Length == 0) return null;
            var source = new OpenedRows(opening.Rows, group);
            // The last vector repeats the last row in its spare lanes: one packed permutation beats up to Width − 1 scalar ones.
            var digests = new Digest[source.Count + TP.Width - 1];
            for (int j = 0; j < source.Count; j += TP.Width)
                Poseidon2Hash<TP>.HashLanes(source.At(j), source.Width, digests.AsSpan(j, TP.Width));
            return digests[..source.Count];
        }

        private static void CompressAll<TP>(Digest[] left, Digest[] right, Digest[] output) where TP : unmanaged, IPackedField<TP>
        {
            int i = 0;
            for (; i + TP.Width <= output.Length; i += TP.Width)
                Poseidon2Hash<TP>.CompressLanes(left.AsSpan(i, TP.Width), right.AsSpan(i, TP.Width), output.AsSpan(i, TP.Width));
            if (i == output.Length) return;
            // The tail goes through one more packed permutation, its spare lanes compressing zeros.
            Span<Digest> l = stackalloc Digest[TP.Width], r = stackalloc Digest[TP.Width], o = stackalloc Digest[TP.Width];
            int tail = output.Length - i;
            left.AsSpan(i).CopyTo(l);
            right.AsSpan(i).CopyTo(r);
            Poseidon2Hash<TP>.CompressLanes(l, r, o);
            o[..tail].CopyTo(output.AsSpan(i));
        }
    }

    /// <summary>
    /// The opened rows of some equal-height matrices, concatenated row by row into one flat buffer, so that gathering
    /// element i of consecutive rows is a strided read.
    /// </summary>
    private sealed class OpenedRows
    {
        private readonly BabyBear[] flat;

        public OpenedRows(BabyBear[][][] rows, int[] group)
        {
            Count = rows[group[0]].Length;
            Width = group.Sum(m => rows[m][0].Length);
            flat = new BabyBear[Count * Width];
            for (int j = 0, at = 0; j < Count; j++)
                foreach (int m in group)
                {
                    rows[m][j].CopyTo(flat, at);
                    at += rows[m][j].Length;
                }
        }

        public int Width { get; }

        /// <summary>Rows opened: one per distinct node at the matrices' level.</summary>
        public int Count { get; }

        public Lanes At(int firstRow) => new(this, firstRow);

        /// <summary>Lanes past the last row repeat it.</summary>
        public readonly struct Lanes(OpenedRows source, int firstRow) : ILaneSource
        {
            public void Gather(int index, scoped Span<BabyBear> lanes)
            {
                int width = source.Width, last = source.Count - 1;
                for (int k = 0; k < lanes.Length; k++) lanes[k] = source.flat[Math.Min(firstRow + k, last) * width + index];
            }
        }
    }

    /// <summary>Builds all layers, hashing TP.Width leaves or nodes per permutation call, on every core.</summary>
    private sealed class Builder(RowMajorMatrix[] matrices) : IPackedOperation
    {
        private const int RowsPerTask = 1 << 10;

        /// <summary>Field elements a task hashes at most (when its rows are wide), so that a cancelled proof waits a few milliseconds.</summary>
        private const int ElementsPerTask = 1 << 17;
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
                ForBlocks<TP>(layer.Length, RowsPerTask, (from, to) =>
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
            ForBlocks<TP>(height, Math.Clamp(ElementsPerTask / Math.Max(1, source.Width) / TP.Width * TP.Width, TP.Width, RowsPerTask), (from, to) =>
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

        private static void ForBlocks<TP>(int count, int rowsPerTask, Action<int, int> body) where TP : unmanaged, IPackedField<TP>
        {
            int blocks = (count + rowsPerTask - 1) / rowsPerTask;
            if (blocks <= 1) { body(0, count); return; }
            Parallel.For(0, blocks, Kernels.Options, b => body(b * rowsPerTask, Math.Min(count, (b + 1) * rowsPerTask)));
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
