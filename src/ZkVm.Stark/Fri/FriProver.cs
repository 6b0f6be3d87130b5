using System.Numerics;
using System.Runtime.InteropServices;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Fri;

/// <summary>The FRI prover (docs/PROTOCOL.md §7): commit-fold rounds, final polynomial, grinding, queries.</summary>
public static class FriProver
{
    /// <summary>
    /// Proves that every codeword is close to a polynomial of degree &lt; length / 2^LogBlowup. Codeword j is
    /// the bit-reversed evaluation on shift·H of its length; lengths are distinct powers of two in
    /// decreasing order. The transcript must already be bound to everything the codewords depend on.
    /// </summary>
    /// <exception cref="InvalidOperationException">A codeword is not low-degree (an honest caller never sees this).</exception>
    public static FriProof Prove(FriParameters parameters, BabyBear shift, IReadOnlyList<BabyBearExt4[]> codewords, Transcript transcript) =>
        Prove(parameters, shift, codewords, transcript, checkFinalDegree: true);

    /// <param name="checkFinalDegree">
    /// False only in soundness tests: the prover then behaves honestly on a high-degree input and sends
    /// the final polynomial truncated to its first 2^LogFinalPolyLength coefficients, so that the test
    /// can show the verifier rejects it.
    /// </param>
    internal static FriProof Prove(FriParameters parameters, BabyBear shift, IReadOnlyList<BabyBearExt4[]> codewords, Transcript transcript, bool checkFinalDegree)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(codewords);
        ArgumentNullException.ThrowIfNull(transcript);
        if (parameters.Problem() is string badParameters) throw new ArgumentException(badParameters, nameof(parameters));
        if (shift.IsZero) throw new ArgumentException("the coset shift must be non-zero", nameof(shift));
        var logHeights = new int[codewords.Count];
        for (int j = 0; j < codewords.Count; j++)
        {
            int length = codewords[j]?.Length ?? throw new ArgumentException($"codeword {j} is null", nameof(codewords));
            if (!BitOperations.IsPow2(length)) throw new ArgumentException($"codeword {j} has length {length}, not a power of two", nameof(codewords));
            logHeights[j] = BitOperations.Log2((uint)length);
        }
        if (parameters.LogHeightsProblem(logHeights) is string badHeights) throw new ArgumentException(badHeights, nameof(codewords));

        var trees = new List<MerkleTree>();
        var commitWitnesses = new List<BabyBear>();
        int[] arities = parameters.RoundLogArities(logHeights[0]);
        BabyBearExt4[] current = Lifting.Sum(codewords, logHeights, LiftingCoefficients(transcript, codewords.Count));
        BabyBear layerShift = shift;
        foreach (int a in arities)
        {
            // Row i holds entries [2^a·i, 2^a·(i + 1)) of the bit-reversed codeword, the coset that a folds merge
            // into entry i: the flat layout itself.
            var rows = new RowMajorMatrix(MemoryMarshal.Cast<BabyBearExt4, BabyBear>(current.AsSpan()).ToArray(), 4 << a);
            var tree = MerkleTree.Commit([rows]);
            transcript.Observe(tree.Root);
            // A prover that wants another β_k must recommit and regrind: 2^CommitPowBits hashes per try.
            commitWitnesses.Add(ProofOfWork.Grind(transcript, parameters.CommitPowBits));
            BabyBearExt4 power = transcript.SampleExt();
            for (int step = 0; step < a; step++)
            {
                current = FriFolding.FoldLayer(current, layerShift, power);
                layerShift = layerShift.Square();
                power = power.Square();
            }
            trees.Add(tree);
        }

        int finalLength = 1 << parameters.LogFinalPolyLength;
        BabyBearExt4[] coefficients = FriFolding.Interpolate(current, layerShift);
        if (checkFinalDegree)
            for (int i = finalLength; i < coefficients.Length; i++)
                if (!coefficients[i].IsZero) throw new InvalidOperationException("input is not low-degree");
        BabyBearExt4[] finalPolynomial = coefficients[..finalLength];
        foreach (BabyBearExt4 c in finalPolynomial) transcript.Observe(c);

        BabyBear powWitness = ProofOfWork.Grind(transcript, parameters.QueryPowBits);

        var indices = new int[parameters.NumQueries];
        for (int q = 0; q < indices.Length; q++) indices[q] = transcript.SampleBits(logHeights[0]);
        var layers = new FriLayerOpening[trees.Count];
        for (int k = 0, folded = 0; k < trees.Count; folded += arities[k++])
        {
            int a = arities[k], others = (1 << a) - 1;
            int[] rowIndices = [.. indices.Select(index => index >> (folded + a))];
            MerkleBatchOpening opening = trees[k].Open(rowIndices);
            int[] positions = MerkleTree.RowPositions(rowIndices, 0);
            // The tree keeps the layer's values: the siblings are the rest of the opened row, in order.
            var siblings = new BabyBearExt4[indices.Length * others];
            for (int q = 0; q < indices.Length; q++)
            {
                ReadOnlySpan<BabyBearExt4> row = MemoryMarshal.Cast<BabyBear, BabyBearExt4>(opening.Rows[0][positions[q]].AsSpan());
                int own = (indices[q] >> folded) & others;
                for (int j = 0, at = q * others; j <= others; j++)
                    if (j != own) siblings[at++] = row[j];
            }
            layers[k] = new FriLayerOpening(siblings, opening.Siblings);
        }
        return new FriProof([.. trees.Select(t => t.Root)], finalPolynomial, powWitness, layers, [.. commitWitnesses]);
    }

    /// <summary>
    /// μ_1 … μ_(m−1), one independent challenge per input below the tallest, drawn before round 0's commitment. Each
    /// input enters with its own, so that inputs cannot cancel each other's high-degree parts (GHSA-f69f-5fx9-w9r9).
    /// </summary>
    internal static BabyBearExt4[] LiftingCoefficients(Transcript transcript, int inputs)
    {
        var mu = new BabyBearExt4[Math.Max(0, inputs - 1)];
        for (int j = 0; j < mu.Length; j++) mu[j] = transcript.SampleExt();
        return mu;
    }
}
