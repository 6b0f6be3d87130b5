using System.Numerics;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.LogUp;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The verifier's picture of the four committed trees: which tables each holds, in which order, with
/// which shapes (all from the statement and the bound heights, none from the proof).
/// </summary>
internal sealed class TreeLayout
{
    public enum Kind { Preprocessed, Main, Aux, Quotient }

    private readonly (Digest? Root, MatrixDimensions[] Dims, int[] MatrixOfTable)[] trees;

    public TreeLayout(StarkStatement statement, StarkProof proof, LogUpLayout[] layouts, Digest? preprocessed, int logBlowup)
    {
        int tables = statement.Airs.Count;
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
            Tree(preprocessed, i => statement.Airs[i].PreprocessedWidth),
            Tree(proof.MainRoot, i => statement.Airs[i].MainWidth),
            Tree(proof.AuxRoot, i => 4 * layouts[i].Width),
            Tree(proof.QuotientRoot, _ => 4 * StarkProver.QuotientChunks),
        ];
    }

    /// <summary>Checks every tree's batch opening of the query indices (FRI's, at the tallest LDE height 2^logMax).</summary>
    public void VerifyOpenings(QueryOpenings q, int[] indices, int logMax)
    {
        Verify(Kind.Preprocessed, q.Preprocessed, indices, logMax);
        Verify(Kind.Main, q.Main, indices, logMax);
        Verify(Kind.Aux, q.Aux, indices, logMax);
        Verify(Kind.Quotient, q.Quotient, indices, logMax);
    }

    private void Verify(Kind kind, MerkleBatchOpening? opening, int[] indices, int logMax)
    {
        var (root, dims, _) = trees[(int)kind];
        if (root is not Digest r || dims.Length == 0)
        {
            if (opening is not null) throw StarkVerifier.Reject(StarkErrors.Malformed, $"an opening of the {kind} tree, which does not exist");
            return;
        }
        if (opening is null) throw StarkVerifier.Reject(StarkErrors.Malformed, $"no opening of the {kind} tree");
        int logTree = BitOperations.Log2((uint)dims.Max(d => d.Height));
        if (opening.Rows is null || opening.Siblings is null || opening.Rows.Length != indices.Length)
            throw StarkVerifier.Reject(StarkErrors.Malformed, $"malformed opening of the {kind} tree: rows for {opening.Rows?.Length ?? 0} queries, expected {indices.Length}");
        if (!MerkleTree.Verify(r, dims, [.. indices.Select(index => index >> (logMax - logTree))], opening, out string? failure))
            throw StarkVerifier.Reject(StarkErrors.OpeningMismatch, $"{kind} tree: {failure}");
    }

    /// <summary>Query <paramref name="query"/>'s opened row of table <paramref name="table"/> in a tree (empty when the table has none there).</summary>
    public ReadOnlySpan<BabyBear> Row(MerkleBatchOpening? opening, Kind kind, int table, int query)
    {
        int m = trees[(int)kind].MatrixOfTable[table];
        return m < 0 ? [] : opening!.Rows[query][m];
    }
}
