using System.Numerics;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Fri;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Pcs;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The STARK verifier. It takes nothing on trust from the proof: the AIRs, public values, public bus
/// terms and fixed columns come from the statement; every challenge is re-derived from the transcript;
/// the parameters must give at least the configured security. Accepts by returning, rejects by throwing
/// a <see cref="ZkVmException"/> whose code says what failed (ZK34xx, ZK31xx for FRI, ZK32xx for security).
/// </summary>
public static class StarkVerifier
{
    /// <summary>Heights above 2^24 rows are refused before any work (bounded verifier time and memory).</summary>
    public const int MaxLogHeight = 24;

    public static void Verify(StarkStatement statement, StarkProof proof, double minimumBits = SecurityPresets.TargetBits, SecurityRegime regime = SecurityRegime.Proven) =>
        Verify(statement, proof, minimumBits, regime, shard: null);

    /// <summary>
    /// Verifies the shard proofs of one run (docs/PROTOCOL.md §10): the shared transcript is replayed from every shard's
    /// statement and main root and the run's <paramref name="publicBus"/>, its proof of work checked once and its LogUp
    /// challenges drawn; each shard is verified under them, and the buses must balance over all shards together.
    /// </summary>
    public static void VerifyShards(IReadOnlyList<StarkStatement> shards, IReadOnlyList<StarkProof> proofs, IReadOnlyList<PublicBusEntry> publicBus,
        double minimumBits = SecurityPresets.TargetBits, SecurityRegime regime = SecurityRegime.Proven)
    {
        if (shards.Count == 0) throw new ArgumentException("a run has at least one shard", nameof(shards));
        if (shards.Count > Bus.MaxShards) throw Reject(StarkErrors.Malformed, $"a run has at most {Bus.MaxShards} shards, not {shards.Count}");
        if (proofs is null || proofs.Count != shards.Count) throw Reject(StarkErrors.Malformed, $"expected {shards.Count} shard proofs, got {proofs?.Count ?? 0}");
        var committed = new (SecurityParameters, StarkStatement, int[], Digest)[shards.Count];
        for (int k = 0; k < shards.Count; k++)
        {
            if (shards[k].PublicBus.Count != 0) throw new ArgumentException("a shard has no public bus terms of its own; the run's are given once", nameof(shards));
            var proof = proofs[k];
            if (proof?.Parameters is null || proof.LogHeights is null || proof.LogHeights.Length != shards[k].Airs.Count)
                throw Reject(StarkErrors.Malformed, $"shard {k}: expected {shards[k].Airs.Count} table heights");
            proof.Parameters.Validate();
            if (proof.LogHeights.Any(h => h < 1 || h > MaxLogHeight))
                throw Reject(StarkErrors.Malformed, $"shard {k}: a table height is outside 2^1…2^{MaxLogHeight}");
            if (proof.Parameters.LogUpPowBits != proofs[0].Parameters.LogUpPowBits || proof.LogUpPowWitness != proofs[0].LogUpPowWitness)
                throw Reject(StarkErrors.LogUpProofOfWork, $"shard {k} does not carry the run's LogUp proof of work");
            committed[k] = (proof.Parameters, shards[k], proof.LogHeights, proof.MainRoot);
        }
        // The run's security, before any work: the LogUp term and the multiplicity bound count every shard (PROTOCOL.md §10.3).
        var runShapes = new (SecurityParameters, CircuitShape)[shards.Count];
        for (int k = 0; k < shards.Count; k++)
        {
            var shapes = shards[k].Airs.Select(AirShape.ForAir).ToArray();
            runShapes[k] = (proofs[k].Parameters, StatementShape.Of(shapes, [.. shapes.Select(LogUpLayout.For)], proofs[k].LogHeights));
        }
        SecurityPolicy.EnsureAtLeast(SecurityCalculator.ComputeRun(runShapes), minimumBits, regime);
        Transcript shared = StarkTranscript.BeginShards(committed, publicBus);
        if (!ProofOfWork.Verify(shared, proofs[0].Parameters.LogUpPowBits, proofs[0].LogUpPowWitness))
            throw Reject(StarkErrors.LogUpProofOfWork, $"the run's LogUp proof-of-work witness {proofs[0].LogUpPowWitness} does not give {proofs[0].Parameters.LogUpPowBits} zero bits");
        var challenges = new LogUpChallenges(shared.SampleExt(), shared.SampleExt());
        BabyBearExt4 balance = challenges.PublicSum(publicBus);
        for (int k = 0; k < shards.Count; k++)
            balance += Verify(shards[k], proofs[k], minimumBits, regime, new StarkProver.ShardContext(shared, k, challenges with { Shard = (uint)k }, proofs[k].LogUpPowWitness));
        if (!balance.IsZero) throw Reject(StarkErrors.BusUnbalanced, "the LogUp sums of all shards' tables and the run's public bus terms do not add up to zero");
    }

    /// <summary>
    /// One shard's proof as a coordinator accepts it from a worker (docs/DISTRIBUTED.md): of the traces committed in phase 1
    /// (same main root and heights), under the run's parameters, proof of work and challenges, and every check of
    /// <see cref="VerifyShards"/> that one shard can pass alone. The run's bus balance and security need every shard: the
    /// assembled receipt is verified as a whole with <see cref="VerifyShards"/>.
    /// </summary>
    public static void VerifyShard(ShardedStatement run, int index, BabyBear logUpWitness, StarkProof proof,
        double minimumBits = SecurityPresets.TargetBits, SecurityRegime regime = SecurityRegime.Proven)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, run.Shards.Count);
        if (proof?.Parameters is null || proof.LogHeights is null) throw Reject(StarkErrors.Malformed, $"shard {index}: no proof");
        var committed = run.Commitments[index];
        if (proof.MainRoot != committed.MainRoot || !proof.LogHeights.AsSpan().SequenceEqual(committed.LogHeights))
            throw Reject(StarkErrors.StatementMismatch, $"shard {index}'s proof is not of the traces committed in phase 1 (main root {proof.MainRoot}, committed {committed.MainRoot})");
        if (proof.Parameters != run.ParametersOf(index))
            throw Reject(StarkErrors.StatementMismatch, $"shard {index}'s proof is not under the run's parameters");
        if (proof.LogUpPowWitness != logUpWitness)
            throw Reject(StarkErrors.LogUpProofOfWork, $"shard {index} does not carry the run's LogUp proof of work");
        Verify(run.Shards[index], proof, minimumBits, regime, run.Context(index, logUpWitness));
    }

    /// <summary>Every check of one proof; a shard's bus balance is left to <see cref="VerifyShards"/>, which gets the sum of its tables' LogUp sums.</summary>
    static BabyBearExt4 Verify(StarkStatement statement, StarkProof proof, double minimumBits, SecurityRegime regime, StarkProver.ShardContext? shard)
    {
        ArgumentNullException.ThrowIfNull(statement);
        int tables = statement.Airs.Count;
        if (proof is null) throw Reject(StarkErrors.Malformed, "no proof");
        var shapes = statement.Airs.Select(AirShape.ForAir).ToArray();
        AirShape.CheckBusArities(shapes);
        var layouts = shapes.Select(LogUpLayout.For).ToArray();
        var next = shapes.Select((s, i) => NextColumns.For(s, layouts[i])).ToArray();
        CheckShape(statement, proof, layouts, next);
        SecurityParameters parameters = proof.Parameters;
        CircuitShape shape = StatementShape.Of(shapes, layouts, proof.LogHeights);
        if (proof.Shape != shape)
            throw Reject(StarkErrors.StatementMismatch, $"the proof describes its statement as {proof.Shape}, the statement is {shape}");
        // A shard's security is the run's, checked by VerifyShards.
        if (shard is null) SecurityPolicy.EnsureAtLeast(SecurityCalculator.Compute(parameters, shape), minimumBits, regime);
        int lb = parameters.LogBlowup;
        var (fixedLdes, failure, challenges, alpha, zeta, points, openings, coefficients, transcript, derived) = Replay(statement, proof, layouts, next, shard);
        if (failure is not null) throw failure;
        int logMaxHeight = proof.LogHeights.Max();

        // Σ_i α^(K_(i+1) + … + K_(T−1))·C_i(z_i)/Z_(H_i)(z_i), folded as the prover folded it, must be the one quotient at ζ.
        BabyBearExt4 constraints = BabyBearExt4.Zero;
        for (int i = 0; i < tables; i++)
        {
            var builder = new OodBuilder(openings[i], next[i], statement.PublicValues[i], points[i], proof.LogHeights[i], alpha, challenges, proof.CumulativeSums[i]);
            BabyBearExt4 folded = builder.Fold(statement.Airs[i], layouts[i]);
            constraints = constraints * FieldMath.Pow(alpha, (ulong)builder.Count) + folded * Domain.Vanishing(points[i], proof.LogHeights[i]).Inverse();
        }
        var q = openings[StarkProver.QuotientOwner(proof.LogHeights)].Quotient;
        BabyBearExt4 zetaToN = Domain.Vanishing(zeta, logMaxHeight) + BabyBearExt4.One;
        if (constraints != Extension.Combine(q.AsSpan(0, 4)) + zetaToN * Extension.Combine(q.AsSpan(4, 4)))
            throw Reject(StarkErrors.ConstraintsViolated, "the tables' constraints at their out-of-domain points do not add up to the quotient at ζ");
        BabyBearExt4 sums = BabyBearExt4.Zero;
        foreach (var sum in proof.CumulativeSums) sums += sum;
        if (shard is null && !(sums + challenges.PublicSum(statement.PublicBus)).IsZero)
            throw Reject(StarkErrors.BusUnbalanced, "the LogUp sums of all tables and the public bus terms do not add up to zero");

        int[] logLdes = [.. proof.LogHeights.Select(h => h + lb)];
        int[] inputLogHeights = [.. logLdes.Distinct().OrderDescending()];
        int logMax = inputLogHeights[0];
        var trees = new TreeLayout(statement, proof, layouts, lb);
        // Per table, once: its next-row point and the FRI input its LDE height feeds.
        BabyBearExt4[] pointsNext = [.. proof.LogHeights.Select((h, i) => points[i] * BabyBear.TwoAdicGenerator(h))];
        int[] inputOf = [.. logLdes.Select(l => Array.IndexOf(inputLogHeights, l))];
        FriVerifier.Verify(StarkProver.FriParametersFor(parameters), Domain.Shift, inputLogHeights, proof.Fri, transcript, indices =>
        {
            QueryOpenings q = derived.CompleteQueries(proof.Queries, indices, logMax);
            trees.VerifyOpenings(q, indices, logMax);
            var values = new BabyBearExt4[indices.Length][];
            // Each query's DEEP value reads its rows only: queries run side by side, each inverting its 2 · tables
            // differences x − z_i, x − z_i·ω together.
            ParallelRanges.For(indices.Length, trees.ColumnsPerQuery, (from, to) =>
            {
                var differences = new BabyBearExt4[2 * tables];
                var inverses = new BabyBearExt4[2 * tables];
                for (int query = from; query < to; query++)
                {
                    for (int i = 0; i < tables; i++)
                    {
                        BabyBear x = Domain.BitReversedPoint(logLdes[i], indices[query] >> (logMax - logLdes[i]));
                        differences[2 * i] = (BabyBearExt4)x - points[i];
                        differences[2 * i + 1] = (BabyBearExt4)x - pointsNext[i];
                    }
                    FieldMath.BatchInverse<BabyBearExt4>(differences, inverses);
                    values[query] = new BabyBearExt4[inputLogHeights.Length];
                    for (int i = 0; i < tables; i++)
                    {
                        ReadOnlySpan<BabyBear> fixedRow = fixedLdes[i] is { } f ? f.Row(indices[query] >> (logMax - logLdes[i])) : [];
                        var deepRow = new DeepRow(fixedRow, trees.Row(q.Main, TreeLayout.Kind.Main, i, query),
                            trees.Row(q.Aux, TreeLayout.Kind.Aux, i, query), trees.Row(q.Quotient, TreeLayout.Kind.Quotient, i, query));
                        values[query][inputOf[i]] += coefficients[i].Evaluate(deepRow, inverses[2 * i], inverses[2 * i + 1]);
                    }
                }
            });
            return values;
        });
        return sums;
    }

    /// <summary>
    /// Replays the transcript of docs/PROTOCOL.md §8 over a proof whose shape has been checked: the
    /// fixed-column commitment, then every challenge up to and including the DEEP coefficients; the
    /// returned transcript continues into FRI. The openings are the proof's with those of the tables in clear derived
    /// (<see cref="DerivedTables"/>), which also gives their rows at the queries; they are derived only where every
    /// table's out-of-domain point is usable.
    /// </summary>
    internal static (RowMajorMatrix?[] FixedLdes, ZkVmException? Failure, LogUpChallenges LogUp, BabyBearExt4 Alpha, BabyBearExt4 Zeta, BabyBearExt4[] Points, TableOpenings[] Openings,
        DeepCoefficients[] Deep, Transcript Transcript, DerivedTables Derived)
        Replay(StarkStatement statement, StarkProof proof, LogUpLayout[] layouts, NextColumns[] next, StarkProver.ShardContext? shard = null)
    {
        int tables = statement.Airs.Count;
        Transcript transcript = shard is null
            ? StarkTranscript.Begin(proof.Parameters, statement, proof.LogHeights)
            : StarkTranscript.ForShard(shard.Shared, shard.Index, proof.Parameters, statement, proof.LogHeights);
        var preprocessed = statement.Airs.Select((air, i) => VerifyingKey.FixedColumnsOf(air, 1 << proof.LogHeights[i])).ToArray();
        for (int i = 0; i < tables; i++)
            if ((preprocessed[i]?.Width ?? 0) != statement.Airs[i].PreprocessedWidth || (preprocessed[i] is { } p && p.Height != 1 << proof.LogHeights[i]))
                throw new ZkVmException(AirErrors.TraceShape, $"table '{statement.Airs[i].Name}' fixed columns do not match its AIR");
        var (preprocessedRoot, fixedLdes) = VerifyingKey.Preprocessed(preprocessed, proof.Parameters.LogBlowup);
        if (preprocessedRoot is Digest root) transcript.Observe(root);
        transcript.Observe(proof.MainRoot);
        // The first failing check (a proof of work, an out-of-domain point) is reported; the replay goes on so that the
        // challenges stay comparable.
        ZkVmException? failure = null;
        // A shard's LogUp challenges and their proof of work are the run's, checked once on the shared transcript.
        if (shard is null && !ProofOfWork.Verify(transcript, proof.Parameters.LogUpPowBits, proof.LogUpPowWitness))
            failure = Reject(StarkErrors.LogUpProofOfWork, $"the LogUp proof-of-work witness {proof.LogUpPowWitness} does not give {proof.Parameters.LogUpPowBits} zero bits");
        var challenges = shard?.Challenges ?? new LogUpChallenges(transcript.SampleExt(), transcript.SampleExt());
        if (proof.AuxRoot is Digest auxRoot) transcript.Observe(auxRoot);
        foreach (var sum in proof.CumulativeSums) transcript.Observe(sum);
        BabyBearExt4 alpha = transcript.SampleExt();
        transcript.Observe(proof.QuotientRoot);
        if (!ProofOfWork.Verify(transcript, proof.Parameters.ChallengePowBits, proof.DeepPowWitness))
            failure ??= Reject(StarkErrors.ChallengeProofOfWork, $"the proof-of-work witness before ζ {proof.DeepPowWitness} does not give {proof.Parameters.ChallengePowBits} zero bits");
        BabyBearExt4 zeta = transcript.SampleExt();
        // Table i is read at its lifting's point (docs/PROTOCOL.md §8.3), which must avoid its trace domain and the base
        // field before anything is evaluated there (the clear tables' derivation is).
        int logMaxHeight = proof.LogHeights.Max();
        BabyBearExt4[] points = [.. proof.LogHeights.Select(h => Lifting.Point(zeta, h, logMaxHeight))];
        ZkVmException? outside = null;
        for (int i = 0; i < tables && outside is null; i++)
            if (OutOfDomain.Problem(points[i], proof.LogHeights[i]) is string problem)
                outside = Reject(StarkErrors.OutOfDomainPoint, $"table '{statement.Airs[i].Name}': {problem}");
        failure ??= outside;
        var derived = new DerivedTables(statement, proof, layouts, next);
        TableOpenings[] openings = outside is null ? derived.Complete(challenges, points) : proof.Openings;
        foreach (var o in openings) StarkTranscript.ObserveOpenings(transcript, o);
        if (!ProofOfWork.Verify(transcript, proof.Parameters.ChallengePowBits, proof.BatchingPowWitness))
            failure ??= Reject(StarkErrors.ChallengeProofOfWork, $"the proof-of-work witness before the DEEP coefficients {proof.BatchingPowWitness} does not give {proof.Parameters.ChallengePowBits} zero bits");
        var deep = new DeepComposition(proof.Parameters, transcript);
        DeepCoefficients[] coefficients = [.. openings.Select((o, i) => deep.Coefficients(o, next[i]))];
        return (fixedLdes, failure, challenges, alpha, zeta, points, openings, coefficients, transcript, derived);
    }

    internal static ZkVmException Reject(string code, string message) => new(code, $"proof rejected: {message}");


    /// <summary>Every count and length of the proof against the statement, before any of it is used.</summary>
    private static void CheckShape(StarkStatement statement, StarkProof proof, LogUpLayout[] layouts, NextColumns[] next)
    {
        int tables = statement.Airs.Count;
        if (statement.PublicValues.Count != tables) throw new ArgumentException("one public-value array per table", nameof(statement));
        if (proof.Parameters is null || proof.Shape is null) throw Reject(StarkErrors.Malformed, "no parameters");
        // Every parameter in range (ZK3201) before any is used: more grinding than a transcript sample holds,
        // for one, could not be checked while the calculator would credit it all.
        proof.Parameters.Validate();
        if (proof.LogHeights is null || proof.LogHeights.Length != tables) throw Reject(StarkErrors.Malformed, $"expected {tables} table heights");
        foreach (int h in proof.LogHeights)
            if (h < 1 || h > MaxLogHeight || h + proof.Parameters.LogBlowup > BabyBear.TwoAdicity)
                throw Reject(StarkErrors.Malformed, $"table height 2^{h} is outside 2^1…2^{MaxLogHeight}");
        for (int i = 0; i < tables; i++)
            if (statement.Airs[i].FixedLogHeight is int fixedLog && proof.LogHeights[i] != fixedLog)
                throw Reject(StarkErrors.StatementMismatch, $"table '{statement.Airs[i].Name}' must have height 2^{fixedLog}, the proof has 2^{proof.LogHeights[i]}");
        for (int i = 0; i < tables; i++)
            if (statement.PublicValues[i].Length != statement.Airs[i].PublicValueCount)
                throw Reject(StarkErrors.StatementMismatch, $"table '{statement.Airs[i].Name}' takes {statement.Airs[i].PublicValueCount} public values, {statement.PublicValues[i].Length} given");
        if (proof.CumulativeSums is null || proof.CumulativeSums.Length != tables) throw Reject(StarkErrors.Malformed, $"expected {tables} cumulative sums");
        for (int i = 0; i < tables; i++)
            if (layouts[i].Width == 0 && !proof.CumulativeSums[i].IsZero)
                throw Reject(StarkErrors.Malformed, $"table '{statement.Airs[i].Name}' has no bus interactions but a nonzero cumulative sum");
        bool anyAux = layouts.Any(l => l.Width > 0);
        if (anyAux != proof.AuxRoot.HasValue) throw Reject(StarkErrors.Malformed, anyAux ? "no commitment to the LogUp columns" : "an unexpected LogUp commitment");
        if (proof.Openings is null || proof.Openings.Length != tables) throw Reject(StarkErrors.Malformed, $"expected openings of {tables} tables");
        foreach (var o in proof.Openings)
            if (o is null) throw Reject(StarkErrors.Malformed, "a table without openings");
        DerivedTables.CheckShape(statement, proof, layouts);
        var clear = new bool[tables];
        foreach (var c in proof.Clear) clear[c.Table] = true;
        // The one quotient's openings go with the first tallest table.
        int owner = StarkProver.QuotientOwner(proof.LogHeights);
        for (int i = 0; i < tables; i++)
        {
            var o = proof.Openings[i];
            var air = statement.Airs[i];
            string name = air.Name;
            // A table in clear leaves its main and LogUp openings to the verifier (checked empty by DerivedTables).
            int opened = clear[i] ? 0 : 1;
            int quotient = i == owner ? 4 * StarkProver.QuotientChunks : 0;
            Expect(o.Preprocessed, air.PreprocessedWidth, name, "fixed columns at ζ");
            Expect(o.PreprocessedNext, next[i].Preprocessed.Length, name, "fixed columns at ζω");
            Expect(o.Main, opened * air.MainWidth, name, "main columns at ζ");
            Expect(o.MainNext, opened * next[i].Main.Length, name, "main columns at ζω");
            Expect(o.Aux, opened * 4 * layouts[i].Width, name, "LogUp columns at ζ");
            Expect(o.AuxNext, opened * next[i].Aux.Length, name, "LogUp columns at ζω");
            Expect(o.Quotient, quotient, name, "quotient parts at ζ");
        }
        if (proof.Fri is null) throw Reject(StarkErrors.Malformed, "no FRI proof");
        if (proof.Queries is null) throw Reject(StarkErrors.Malformed, "no query openings");
    }

    private static void Expect(BabyBearExt4[]? values, int count, string table, string what)
    {
        if (values is null || values.Length != count)
            throw Reject(StarkErrors.Malformed, $"table '{table}': {values?.Length ?? 0} values for {what}, expected {count}");
    }
}
