using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Stark.Fri;

/// <summary>
/// FRI's challenges (β_k per layer, the query indices), whether the proof of work before the query indices
/// holds, and the first layer whose proof of work before β_k fails (−1 when none).
/// </summary>
internal sealed record FriChallenges(BabyBearExt4[] Betas, bool PowValid, int[] QueryIndices, int FirstBadCommitPow = -1);

/// <summary>
/// The FRI verifier (docs/PROTOCOL.md §7). A rejection is a <see cref="ZkVmException"/> with a ZK31xx code
/// (<see cref="FriErrors"/>) whose message names the layer and query; nothing in a malformed proof can
/// raise any other exception.
/// </summary>
public static class FriVerifier
{
    /// <summary>
    /// Accepts (returns) or rejects (throws <see cref="ZkVmException"/>). <paramref name="inputLogHeights"/>
    /// are the log₂ lengths of the input codewords, known to the verifier from the protocol;
    /// <paramref name="openInputs"/>(indices) returns, for each query index and each input j, its value at row
    /// index >> (n_0 − n_j), already checked by the caller against the caller's own commitments.
    /// </summary>
    public static void Verify(
        FriParameters parameters,
        BabyBear shift,
        IReadOnlyList<int> inputLogHeights,
        FriProof proof,
        Transcript transcript,
        Func<int[], BabyBearExt4[][]> openInputs)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputLogHeights);
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(openInputs);
        if (parameters.Problem() is string badParameters) throw Reject(FriErrors.BadConfiguration, badParameters);
        if (shift.IsZero) throw Reject(FriErrors.BadConfiguration, "the coset shift must be non-zero");
        if (parameters.LogHeightsProblem(inputLogHeights) is string badHeights) throw Reject(FriErrors.BadConfiguration, badHeights);

        int logMaxHeight = inputLogHeights[0];
        CheckShape(parameters, logMaxHeight, proof);
        FriChallenges challenges = DeriveChallenges(parameters, logMaxHeight, proof, transcript);
        if (challenges.FirstBadCommitPow >= 0)
            throw Reject(FriErrors.CommitProofOfWork, $"layer {challenges.FirstBadCommitPow}: proof-of-work witness {proof.CommitPowWitnesses[challenges.FirstBadCommitPow]} does not give {parameters.CommitPowBits} zero bits");
        if (!challenges.PowValid)
            throw Reject(FriErrors.ProofOfWork, $"proof-of-work witness {proof.PowWitness} does not give {parameters.QueryPowBits} zero bits");
        VerifyQueries(parameters, shift, inputLogHeights, proof, challenges, openInputs);
    }

    /// <summary>Every count, length and non-null part of the proof, before any of it is used.</summary>
    private static void CheckShape(FriParameters parameters, int logMaxHeight, FriProof? proof)
    {
        if (proof is null) throw Reject(FriErrors.MalformedProof, "no proof");
        int numLayers = logMaxHeight - parameters.LogFinalDomain;
        if (proof.Commitments is null) throw Reject(FriErrors.MalformedProof, "no layer commitments");
        if (proof.Commitments.Length != numLayers)
            throw Reject(FriErrors.MalformedProof, $"{proof.Commitments.Length} layer commitments, expected {numLayers}");
        if (proof.CommitPowWitnesses is null) throw Reject(FriErrors.MalformedProof, "no layer proof-of-work witnesses");
        if (proof.CommitPowWitnesses.Length != numLayers)
            throw Reject(FriErrors.MalformedProof, $"{proof.CommitPowWitnesses.Length} layer proof-of-work witnesses, expected {numLayers}");
        if (proof.FinalPolynomial is null) throw Reject(FriErrors.MalformedProof, "no final polynomial");
        int finalLength = 1 << parameters.LogFinalPolyLength;
        if (proof.FinalPolynomial.Length != finalLength)
            throw Reject(FriErrors.MalformedProof, $"final polynomial has {proof.FinalPolynomial.Length} coefficients, expected {finalLength}");
        if (proof.Layers is null) throw Reject(FriErrors.MalformedProof, "no layer openings");
        if (proof.Layers.Length != numLayers)
            throw Reject(FriErrors.MalformedProof, $"{proof.Layers.Length} layer openings, expected {numLayers}");
        for (int k = 0; k < numLayers; k++)
        {
            FriLayerOpening? layer = proof.Layers[k];
            if (layer?.Siblings is null) throw Reject(FriErrors.MalformedProof, $"layer {k}: no siblings");
            if (layer.Siblings.Length != parameters.NumQueries)
                throw Reject(FriErrors.MalformedProof, $"layer {k}: {layer.Siblings.Length} siblings, expected one per query ({parameters.NumQueries})");
            // Layer k has 2^(n_0 − k − 1) pair rows: no query needs more than that many path digests.
            int pathLength = logMaxHeight - k - 1;
            if (layer.Path is null) throw Reject(FriErrors.MalformedProof, $"layer {k}: no opening path");
            if (layer.Path.Length > (long)parameters.NumQueries * pathLength)
                throw Reject(FriErrors.MalformedProof, $"layer {k}: {layer.Path.Length} path digests, more than {parameters.NumQueries} paths of {pathLength} hold");
        }
    }

    /// <summary>
    /// Replays the prover's transcript: observe each layer commitment, check its proof of work, then sample its β, observe the final
    /// polynomial and the proof-of-work witness (reporting whether it holds), sample the query indices. The
    /// proof's shape must be checked.
    /// </summary>
    internal static FriChallenges DeriveChallenges(FriParameters parameters, int logMaxHeight, FriProof proof, Transcript transcript)
    {
        var betas = new BabyBearExt4[proof.Commitments.Length];
        int firstBadCommitPow = -1;
        for (int k = 0; k < betas.Length; k++)
        {
            transcript.Observe(proof.Commitments[k]);
            if (!ProofOfWork.Verify(transcript, parameters.CommitPowBits, proof.CommitPowWitnesses[k]) && firstBadCommitPow < 0)
                firstBadCommitPow = k;
            betas[k] = transcript.SampleExt();
        }
        foreach (BabyBearExt4 c in proof.FinalPolynomial) transcript.Observe(c);
        bool powValid = ProofOfWork.Verify(transcript, parameters.QueryPowBits, proof.PowWitness);
        var indices = new int[parameters.NumQueries];
        for (int q = 0; q < indices.Length; q++) indices[q] = transcript.SampleBits(logMaxHeight);
        return new FriChallenges(betas, powValid, indices, firstBadCommitPow);
    }

    /// <summary>
    /// Every query, layer by layer: each layer's pair rows are rebuilt from the running values and the siblings,
    /// checked against the layer's commitment in one batch opening, and folded.
    /// </summary>
    private static void VerifyQueries(
        FriParameters parameters,
        BabyBear shift,
        IReadOnlyList<int> inputLogHeights,
        FriProof proof,
        FriChallenges challenges,
        Func<int[], BabyBearExt4[][]> openInputs)
    {
        int[] indices = challenges.QueryIndices;
        int logMaxHeight = inputLogHeights[0];
        BabyBearExt4[][]? inputs = openInputs(indices);
        if (inputs is null || inputs.Length != indices.Length)
            throw Reject(FriErrors.InputValues, $"openInputs returned {inputs?.Length.ToString() ?? "null"} value lists for {indices.Length} queries");
        for (int q = 0; q < indices.Length; q++)
            if (inputs[q] is null || inputs[q].Length != inputLogHeights.Count)
                throw Reject(FriErrors.InputValues, $"query {q}: openInputs returned {inputs[q]?.Length.ToString() ?? "null"} values for {inputLogHeights.Count} inputs");

        var folded = new BabyBearExt4[indices.Length];
        for (int q = 0; q < indices.Length; q++) folded[q] = inputs[q][0];
        BabyBear layerShift = shift;
        int nextInput = 1;
        var pairs = new int[indices.Length];
        var rows = new BabyBear[indices.Length][][];
        for (int k = 0; k < proof.Commitments.Length; k++)
        {
            int logLength = logMaxHeight - k;
            FriLayerOpening layer = proof.Layers[k];
            for (int q = 0; q < indices.Length; q++)
            {
                int layerIndex = indices[q] >> k;
                pairs[q] = layerIndex >> 1;
                BabyBearExt4 own = folded[q], sibling = layer.Siblings[q];
                var (a, b) = (layerIndex & 1) == 1 ? (sibling, own) : (own, sibling);
                rows[q] = [[a.C0, a.C1, a.C2, a.C3, b.C0, b.C1, b.C2, b.C3]];
            }
            MatrixDimensions[] dimensions = [new(8, 1 << (logLength - 1))];
            if (MerkleTree.FromQueryRows(pairs, dimensions, rows, layer.Path, out string? failure) is not { } opening
                || !MerkleTree.Verify(proof.Commitments[k], dimensions, pairs, opening, out failure))
                throw Reject(FriErrors.LayerOpening, $"layer {k}: {failure}");

            BabyBearExt4 beta = challenges.Betas[k];
            bool rollsIn = nextInput < inputLogHeights.Count && inputLogHeights[nextInput] == logLength - 1;
            for (int q = 0; q < indices.Length; q++)
            {
                BabyBear x = FriFolding.PairPoint(layerShift, logLength, pairs[q]);
                BabyBear[] row = rows[q][0];
                var a = new BabyBearExt4(row[0], row[1], row[2], row[3]);
                var b = new BabyBearExt4(row[4], row[5], row[6], row[7]);
                folded[q] = FriFolding.Fold(a, b, beta, x.Inverse());
                if (rollsIn) folded[q] += beta.Square() * inputs[q][nextInput];
            }
            if (rollsIn) nextInput++;
            layerShift = layerShift.Square();
        }

        int finalIndexShift = proof.Commitments.Length;
        int logFinalDomain = parameters.LogFinalDomain;
        BabyBear generator = BabyBear.TwoAdicGenerator(logFinalDomain);
        for (int q = 0; q < indices.Length; q++)
        {
            int finalIndex = indices[q] >> finalIndexShift;
            BabyBear point = layerShift * FieldMath.Pow(generator, (ulong)BitReversal.Reverse(finalIndex, logFinalDomain));
            if (FriFolding.Evaluate(proof.FinalPolynomial, point) != folded[q])
                throw Reject(FriErrors.FinalPolynomial, $"query {q} (index {indices[q]}): folded value differs from the final polynomial at its point");
        }
    }

    private static ZkVmException Reject(string code, string reason) => new(code, "FRI proof rejected: " + reason);
}
