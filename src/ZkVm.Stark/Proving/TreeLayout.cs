using System.Numerics;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.LogUp;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The verifier's picture of the three trees a proof opens: which tables each holds, in which order, with
/// which shapes (all from the statement and the bound heights, none from the proof). The fourth, the fixed columns',
/// is the verifier's own: it reads their rows from its LDEs (<see cref="VerifyingKey.Preprocessed"/>).
/// </summary>
internal sealed class TreeLayout
{
    public enum Kind { Main, Aux, Quotient }

    private readonly (Digest? Root, MatrixDimensions[] Dims, int[] MatrixOfTable)[] trees;

    /// <summary>Base elements one query opens over all trees.</summary>
    public int ColumnsPerQuery => trees.Sum(t => t.Dims.Sum(d => d.Width));

    public TreeLayout(StarkStatement statement, StarkProof proof, LogUpLayout[] layouts, int logBlowup)
    {
        int tables = statement.Airs.Count;
        int quotientOwner = StarkProver.QuotientOwner(proof.LogHeights);
        int Lde(int i) => 1 << (proof.LogHeights[i] + logBlowup);
        (Digest?, MatrixDimensions[], int[]) Tree(Digest? root, Func<int, int> width)
        {
            var dims = new List<MatrixDimensions>();
            var matrixOf = new int[tables];
            for (int i = 0; i < tables; i++)
            {
                int w = width(i);
                matrixOf[i] = w == 0 ? -1 : dims.Count;
                if (w > 0) dims.Add(new MatrixDimensions(w, Lde(i)));
            }
            return (root, dims.ToArray(), matrixOf);
        }
        trees =
        [
            Tree(proof.MainRoot, i => statement.Airs[i].MainWidth),
            Tree(proof.AuxRoot, i => 4 * layouts[i].Width),
            Tree(proof.QuotientRoot, i => i == quotientOwner ? 4 * StarkProver.QuotientChunks : 0),
        ];
    }

    /// <summary>
    /// Checks every tree's batch opening of the query indices (FRI's, at the tallest LDE height 2^logMax). The trees are
    /// independent, so they are checked side by side; the first failure in tree order is reported.
    /// </summary>
    public void VerifyOpenings(QueryOpenings q, int[] indices, int logMax)
    {
        (Kind, MerkleBatchOpening?)[] openings = [(Kind.Main, q.Main), (Kind.Aux, q.Aux), (Kind.Quotient, q.Quotient)];
        var failures = new ZkVmException?[openings.Length];
        Parallel.For(0, openings.Length, t => failures[t] = Problem(openings[t].Item1, openings[t].Item2, indices, logMax));
        if (Array.Find(failures, f => f is not null) is { } failure) throw failure;
    }

    private ZkVmException? Problem(Kind kind, MerkleBatchOpening? opening, int[] indices, int logMax)
    {
        var (root, dims, _) = trees[(int)kind];
        if (root is not Digest r || dims.Length == 0)
            return opening is null ? null : StarkVerifier.Reject(StarkErrors.Malformed, $"an opening of the {kind} tree, which does not exist");
        if (opening is null) return StarkVerifier.Reject(StarkErrors.Malformed, $"no opening of the {kind} tree");
        int logTree = BitOperations.Log2((uint)dims.Max(d => d.Height));
        if (opening.Rows is null || opening.Siblings is null || opening.Rows.Length != dims.Length)
            return StarkVerifier.Reject(StarkErrors.Malformed, $"malformed opening of the {kind} tree: rows of {opening.Rows?.Length ?? 0} matrices, expected {dims.Length}");
        int[] treeIndices = [.. indices.Select(index => index >> (logMax - logTree))];
        if (!MerkleTree.Verify(r, dims, treeIndices, opening, out string? failure))
            return StarkVerifier.Reject(StarkErrors.OpeningMismatch, $"{kind} tree: {failure}");
        positions[(int)kind] = [.. dims.Select(d => MerkleTree.RowPositions(treeIndices, logTree - BitOperations.Log2((uint)d.Height)))];
        return null;
    }

    /// <summary>Where each query's row of each matrix lies among a verified opening's rows, per tree.</summary>
    private readonly int[][]?[] positions = new int[3][][];

    /// <summary>Query <paramref name="query"/>'s opened row of table <paramref name="table"/> in a tree (empty when the table has none there); after <see cref="VerifyOpenings"/>.</summary>
    public ReadOnlySpan<BabyBear> Row(MerkleBatchOpening? opening, Kind kind, int table, int query)
    {
        int m = trees[(int)kind].MatrixOfTable[table];
        return m < 0 ? [] : opening!.Rows[m][positions[(int)kind]![m][query]];
    }
}
