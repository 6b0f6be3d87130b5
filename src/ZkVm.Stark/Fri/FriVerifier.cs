using System.Runtime.InteropServices;
using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Stark.Fri;

/// <summary>
/// FRI's challenges (β_k per layer, the query indices), whether the proof of work before the query indices
/// holds, and the first layer whose proof of work before β_k fails (−1 when none).
/// </summary>
internal sealed record FriChallenges(BabyBearExt4[] Mu, BabyBearExt4[] Betas, bool PowValid, int[] QueryIndices, int FirstBadCommitPow = -1);

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
    /// index >> (n_0 − n_j) (the entry lifted to the index, §7.3), already checked by the caller against the caller's own
    /// commitments.
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
        int[] arities = parameters.RoundLogArities(logMaxHeight);
        CheckShape(parameters, logMaxHeight, arities, proof);
        FriChallenges challenges = DeriveChallenges(parameters, inputLogHeights.Count, logMaxHeight, proof, transcript);
        if (challenges.FirstBadCommitPow >= 0)
            throw Reject(FriErrors.CommitProofOfWork, $"layer {challenges.FirstBadCommitPow}: proof-of-work witness {proof.CommitPowWitnesses[challenges.FirstBadCommitPow]} does not give {parameters.CommitPowBits} zero bits");
        if (!challenges.PowValid)
            throw Reject(FriErrors.ProofOfWork, $"proof-of-work witness {proof.PowWitness} does not give {parameters.QueryPowBits} zero bits");
        VerifyQueries(parameters, shift, inputLogHeights, arities, proof, challenges, openInputs);
    }

    /// <summary>Every count, length and non-null part of the proof, before any of it is used.</summary>
    private static void CheckShape(FriParameters parameters, int logMaxHeight, int[] arities, FriProof? proof)
    {
        if (proof is null) throw Reject(FriErrors.MalformedProof, "no proof");
        int numLayers = arities.Length;
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
        for (int k = 0, logLength = logMaxHeight; k < numLayers; logLength -= arities[k++])
        {
            FriLayerOpening? layer = proof.Layers[k];
            int others = (1 << arities[k]) - 1;
            if (layer?.Siblings is null) throw Reject(FriErrors.MalformedProof, $"layer {k}: no siblings");
            if (layer.Siblings.Length != (long)parameters.NumQueries * others)
                throw Reject(FriErrors.MalformedProof, $"layer {k}: {layer.Siblings.Length} siblings, expected {others} per query ({parameters.NumQueries * others})");
            // Layer k has 2^(log length − a) rows: no query needs more path digests than that tree is deep.
            int pathLength = logLength - arities[k];
            if (layer.Path is null) throw Reject(FriErrors.MalformedProof, $"layer {k}: no opening path");
            if (layer.Path.Length > (long)parameters.NumQueries * pathLength)
                throw Reject(FriErrors.MalformedProof, $"layer {k}: {layer.Path.Length} path digests, more than {parameters.NumQueries} paths of {pathLength} hold");
        }
    }

    /// <summary>
    /// Replays the prover's transcript: sample the lifting coefficients of the <paramref name="inputs"/> − 1 lower inputs,
    /// observe each layer commitment, check its proof of work, then sample its β, observe the final
    /// polynomial and the proof-of-work witness (reporting whether it holds), sample the query indices. The
    /// proof's shape must be checked.
    /// </summary>
    internal static FriChallenges DeriveChallenges(FriParameters parameters, int inputs, int logMaxHeight, FriProof proof, Transcript transcript)
    {
        BabyBearExt4[] mu = FriProver.LiftingCoefficients(transcript, inputs);
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
        return new FriChallenges(mu, betas, powValid, indices, firstBadCommitPow);
    }

    /// <summary>
    /// Every query, round by round: each round's rows are rebuilt from the running values and the siblings, checked
    /// against the round's commitment in one batch opening, and folded down to the next running value.
    /// </summary>
    private static void VerifyQueries(
        FriParameters parameters,
        BabyBear shift,
        IReadOnlyList<int> inputLogHeights,
        int[] arities,
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

        // Each query's entry of the lifted codeword (§7.3): the tallest input's, plus μ_j times each lower input's.
        var folded = new BabyBearExt4[indices.Length];
        for (int q = 0; q < indices.Length; q++)
        {
            folded[q] = inputs[q][0];
            for (int j = 1; j < inputs[q].Length; j++) folded[q] += challenges.Mu[j - 1] * inputs[q][j];
        }
        BabyBear layerShift = shift;
        int logLength = logMaxHeight, done = 0;
        var rowIndices = new int[indices.Length];
        var rows = new BabyBear[indices.Length][][];
        for (int k = 0; k < arities.Length; k++)
        {
            int a = arities[k], others = (1 << a) - 1;
            FriLayerOpening layer = proof.Layers[k];
            for (int q = 0; q < indices.Length; q++)
            {
                int layerIndex = indices[q] >> done, own = layerIndex & others;
                rowIndices[q] = layerIndex >> a;
                var row = new BabyBear[4 << a];
                for (int j = 0, at = q * others; j <= others; j++)
                {
                    BabyBearExt4 v = j == own ? folded[q] : layer.Siblings[at++];
                    (row[4 * j], row[4 * j + 1], row[4 * j + 2], row[4 * j + 3]) = (v.C0, v.C1, v.C2, v.C3);
                }
                rows[q] = [row];
            }
            MatrixDimensions[] dimensions = [new(4 << a, 1 << (logLength - a))];
            if (MerkleTree.FromQueryRows(rowIndices, dimensions, rows, layer.Path, out string? failure) is not { } opening
                || !MerkleTree.Verify(proof.Commitments[k], dimensions, rowIndices, opening, out failure))
                throw Reject(FriErrors.LayerOpening, $"layer {k}: {failure}");

            // Step s folds with β_k^(2^s) on the codeword of log length L − s, whose coset shift is the round's squared s times.
            var powers = new BabyBearExt4[a];
            var shifts = new BabyBear[a + 1];
            (powers[0], shifts[0]) = (challenges.Betas[k], layerShift);
            for (int step = 1; step < a; step++) powers[step] = powers[step - 1].Square();
            for (int step = 1; step <= a; step++) shifts[step] = shifts[step - 1].Square();
            var values = new BabyBearExt4[1 << a];
            for (int q = 0; q < indices.Length; q++)
            {
                MemoryMarshal.Cast<BabyBear, BabyBearExt4>(rows[q][0].AsSpan()).CopyTo(values);
                for (int step = 0; step < a; step++)
                {
                    // Entry j of the row at step s is the pair row·2^(a−s−1) + j of that codeword.
                    int pairs = 1 << (a - step - 1), firstPair = rowIndices[q] << (a - step - 1);
                    for (int j = 0; j < pairs; j++)
                    {
                        BabyBear x = FriFolding.PairPoint(shifts[step], logLength - step, firstPair + j);
                        values[j] = FriFolding.Fold(values[2 * j], values[2 * j + 1], powers[step], x.Inverse());
                    }
                }
                folded[q] = values[0];
            }
            layerShift = shifts[a];
            logLength -= a;
            done += a;
        }

        int logFinalDomain = parameters.LogFinalDomain;
        BabyBear generator = BabyBear.TwoAdicGenerator(logFinalDomain);
        for (int q = 0; q < indices.Length; q++)
        {
            int finalIndex = indices[q] >> done;
            BabyBear point = layerShift * FieldMath.Pow(generator, (ulong)BitReversal.Reverse(finalIndex, logFinalDomain));
            if (FriFolding.Evaluate(proof.FinalPolynomial, point) != folded[q])
                throw Reject(FriErrors.FinalPolynomial, $"query {q} (index {indices[q]}): folded value differs from the final polynomial at its point");
        }
    }

    private static ZkVmException Reject(string code, string reason) => new(code, "FRI proof rejected: " + reason);
}
