using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Diagnostics;
using System.Numerics;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Fri;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Pcs;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>What the prover keeps about one table between the rounds.</summary>
internal sealed class TableData(IAir air, LogUpLayout layout, BabyBear[] publicValues, int logHeight)
{
    public IAir Air { get; } = air;
    public LogUpLayout Layout { get; } = layout;
    public NextColumns Next { get; } = NextColumns.For(AirShape.ForAir(air), layout);
    public BabyBear[] PublicValues { get; } = publicValues;
    public int LogHeight { get; } = logHeight;
    public RowMajorMatrix? PreprocessedLde;
    public RowMajorMatrix? MainLde;
    public RowMajorMatrix? AuxLde;
    public RowMajorMatrix? QuotientLde;

    /// <summary>
    /// A table as the prover holds it before its quotient (main, fixed and LogUp LDEs), for the kernels' tests and
    /// benchmarks; the prover builds the same pieces between its commitments.
    /// </summary>
    internal static TableData BeforeQuotient(TableTrace trace, LogUpChallenges challenges, int logBlowup, out BabyBearExt4 cumulativeSum)
    {
        var shape = AirShape.ForAir(trace.Air);
        var table = new TableData(trace.Air, LogUpLayout.For(shape), trace.PublicValues, BitOperations.Log2((uint)trace.Height))
        {
            MainLde = LowDegreeExtension.FromValues(trace.Main, logBlowup),
            PreprocessedLde = trace.Preprocessed is null ? null : LowDegreeExtension.FromValues(trace.Preprocessed, logBlowup),
        };
        cumulativeSum = BabyBearExt4.Zero;
        if (table.Layout.Width > 0)
        {
            var aux = LogUpTrace.Build(trace, table.Layout, challenges);
            table.AuxLde = LowDegreeExtension.FromValues(aux.Values, logBlowup);
            cumulativeSum = aux.CumulativeSum;
        }
        return table;
    }
}

/// <summary>
/// The multi-table STARK prover (docs/PROTOCOL.md §8): commit the main traces, draw the LogUp
/// challenges, commit the LogUp columns and their sums, draw the constraint-combination challenge,
/// commit the split quotients, open everything at ζ and ζ·ω, combine the openings into DEEP
/// quotients and prove them low-degree with FRI, then open every tree at FRI's query indices.
/// </summary>
public static class StarkProver
{
    /// <summary>Quotients of degree-3 constraints have degree below 2n: two chunks of degree below n.</summary>
    internal const int QuotientChunks = 2;

    /// <param name="clear">Which tables are sent in clear instead of opened (<see cref="ClearTrace"/>): the proof's size, not its soundness.</param>
    public static StarkProof Prove(IReadOnlyList<TableTrace> tables, SecurityParameters parameters, IReadOnlyList<PublicBusEntry>? publicBus = null, ProverPhases? phases = null,
        ClearTablePolicy clear = ClearTablePolicy.WhereSmaller) =>
        Prove(tables, parameters, publicBus, phases, quotientPacking: null, shard: null, clear, afterCommit: null);

    /// <param name="quotientPacking">Forces the packing of the constraint evaluation (tests compare packings).</param>
    internal static StarkProof Prove(IReadOnlyList<TableTrace> tables, SecurityParameters parameters, IReadOnlyList<PublicBusEntry>? publicBus, ProverPhases? phases, PackingKind? quotientPacking) =>
        Prove(tables, parameters, publicBus, phases, quotientPacking, shard: null, ClearTablePolicy.WhereSmaller, afterCommit: null);

    /// <summary>
    /// A dishonest prover for tests: it commits <paramref name="tables"/>, then proves everything else, the tables it sends
    /// in clear included, of what <paramref name="afterCommit"/> makes of each table once the main root is fixed.
    /// </summary>
    internal static StarkProof ProveChangingAfterCommit(IReadOnlyList<TableTrace> tables, SecurityParameters parameters, Func<int, TableTrace, TableTrace> afterCommit) =>
        Prove(tables, parameters, null, null, null, shard: null, ClearTablePolicy.WhereSmaller, afterCommit);

    /// <summary>
    /// Proves a run split into <paramref name="count"/> shards under LogUp challenges they all share
    /// (docs/PROTOCOL.md §10): phase 1 builds each shard's traces with <paramref name="shard"/>, commits its main trace and
    /// drops it; the shared transcript over every shard's statement and main root, and the run's
    /// <paramref name="publicBus"/>, gives the challenges; phase 2 builds each shard again and proves it under them.
    /// Only one shard's traces are alive at a time. The buses balance over all shards together, not per shard.
    /// </summary>
    /// <remarks>
    /// The run's soundness error adds up every shard's terms (docs/PROTOCOL.md §10.3), so once phase 1 has fixed the
    /// shards' shapes the query count (and, if LogUp is the weakest term, its proof of work) is raised from
    /// <paramref name="parameters"/> until the run meets <paramref name="targetBits"/> in <paramref name="regime"/>.
    /// </remarks>
    public static StarkProof[] ProveShards(int count, Func<int, IReadOnlyList<TableTrace>> shard, SecurityParameters parameters, IReadOnlyList<PublicBusEntry> publicBus,
        double targetBits = SecurityPresets.TargetBits, SecurityRegime regime = SecurityRegime.Proven)
    {
        if (count < 1 || count > Bus.MaxShards) throw new ArgumentOutOfRangeException(nameof(count), $"a run has 1 to {Bus.MaxShards} shards");
        parameters.Validate();
        var statements = new StarkStatement[count];
        var commitments = new ShardCommitment[count];
        // A helper per shard, so that no local keeps a shard's traces alive while the next one is built.
        static ShardCommitment Commit(IReadOnlyList<TableTrace> tables, SecurityParameters parameters, out StarkStatement statement)
        {
            statement = StarkStatement.For(tables);
            return CommitShard(tables, parameters);
        }
        for (int k = 0; k < count; k++)
            commitments[k] = Commit(shard(k), parameters, out statements[k]);
        var run = new ShardedStatement(statements, commitments, RunParameters(statements, commitments, parameters, targetBits, regime), publicBus);
        BabyBear witness = GrindLogUp(run);
        var proofs = new StarkProof[count];
        for (int k = 0; k < count; k++)
            proofs[k] = CheckRebuilt(ProveShard(shard(k), run, k, witness), commitments[k], k);
        return proofs;
    }

    /// <summary>Phase 1 for one shard: its main traces' low-degree extensions committed, under the LogBlowup that <see cref="RunParameters"/> keeps.</summary>
    public static ShardCommitment CommitShard(IReadOnlyList<TableTrace> tables, SecurityParameters parameters)
    {
        if (tables.Count == 0) throw new ArgumentException("nothing to commit", nameof(tables));
        int[] logHeights = [.. tables.Select(t => BitOperations.Log2((uint)t.Height))];
        var mainRoot = MerkleTree.Commit([.. tables.Select(t => LowDegreeExtension.FromValues(t.Main, parameters.LogBlowup))]).Root;
        return new ShardCommitment(logHeights, mainRoot);
    }

    /// <summary>The run's parameters once every shard's shape is known (<see cref="SecurityCalculator.ForRun"/>).</summary>
    public static SecurityParameters RunParameters(IReadOnlyList<StarkStatement> shards, IReadOnlyList<ShardCommitment> commitments, SecurityParameters parameters,
        double targetBits, SecurityRegime regime) =>
        SecurityCalculator.ForRun(parameters, [.. shards.Select((s, k) =>
        {
            var airs = s.Airs.Select(AirShape.ForAir).ToArray();
            return StatementShape.Of(airs, [.. airs.Select(LogUpLayout.For)], commitments[k].LogHeights);
        })], targetBits, regime);

    /// <summary>The run's LogUp proof of work, ground once over the shared transcript; every shard's proof carries it.</summary>
    public static BabyBear GrindLogUp(ShardedStatement run) => ProofOfWork.Grind(run.Begin(), run.Parameters.LogUpPowBits);

    /// <summary>
    /// Phase 2 for shard <paramref name="index"/>: its traces proven under the run's challenges. The proof is worth something
    /// only when the traces are the ones committed in phase 1 (<see cref="CheckRebuilt"/>; on a cluster the coordinator's
    /// <see cref="StarkVerifier.VerifyShard"/>), since the challenges were drawn from that root.
    /// </summary>
    public static StarkProof ProveShard(IReadOnlyList<TableTrace> tables, ShardedStatement run, int index, BabyBear logUpWitness, ClearTablePolicy clear = ClearTablePolicy.WhereSmaller) =>
        Prove(tables, run.Parameters, null, null, null, run.Context(index, logUpWitness), clear, afterCommit: null);

    /// <summary>Throws when shard <paramref name="index"/>'s phase-2 proof is not of the traces it committed in phase 1: they were rebuilt differently.</summary>
    public static StarkProof CheckRebuilt(StarkProof proof, ShardCommitment committed, int index) =>
        proof.MainRoot == committed.MainRoot ? proof
            : throw new InvalidOperationException($"shard {index}'s traces were rebuilt differently in phase 2 (main root {proof.MainRoot}, committed {committed.MainRoot})");

    /// <summary>What a shard's proof takes from the run's shared transcript: the transcript after the LogUp challenges, its index, the challenges and their proof of work.</summary>
    internal sealed record ShardContext(Transcript Shared, int Index, LogUpChallenges Challenges, BabyBear LogUpWitness);

    /// <summary>FRI stops at the final polynomial, which the tallest table's codeword must reach, so a statement of small
    /// tables lowers the final polynomial's length (it does not change the security, only the proof size).</summary>
    internal static SecurityParameters ShardParameters(SecurityParameters parameters, int[] logHeights) =>
        parameters with { LogFinalPolyLength = Math.Min(parameters.LogFinalPolyLength, logHeights.Max()) };

    // Optimised from the first call (a proof runs it once, and unoptimised code keeps every local alive to the end):
    // the traces are garbage once the LogUp columns are built, and the caller may let go of them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static StarkProof Prove(IReadOnlyList<TableTrace> tables, SecurityParameters parameters, IReadOnlyList<PublicBusEntry>? publicBus, ProverPhases? phases, PackingKind? quotientPacking, ShardContext? shard,
        ClearTablePolicy clearPolicy, Func<int, TableTrace, TableTrace>? afterCommit)
    {
        if (tables.Count == 0) throw new ArgumentException("nothing to prove", nameof(tables));
        ArgumentNullException.ThrowIfNull(parameters);
        // Typed (ZK3201) before any work, rather than an ArgumentOutOfRangeException from the grinding.
        parameters.Validate();
        var statement = StarkStatement.For(tables, publicBus);
        var shapes = tables.Select(t => AirShape.ForAir(t.Air)).ToArray();
        AirShape.CheckBusArities(shapes);
        int lb = parameters.LogBlowup;
        var data = tables.Select((t, i) => new TableData(t.Air, LogUpLayout.For(shapes[i]), t.PublicValues, BitOperations.Log2((uint)t.Height))).ToArray();
        int[] logHeights = [.. data.Select(d => d.LogHeight)];
        parameters = ShardParameters(parameters, logHeights);
        Transcript transcript = shard is null
            ? StarkTranscript.Begin(parameters, statement, logHeights)
            : StarkTranscript.ForShard(shard.Shared, shard.Index, parameters, statement, logHeights);

        // Preprocessed columns: the verification key, recomputed (or cached) by the verifier.
        MerkleTree? preprocessedTree = VerifyingKey.CommitPreprocessedCached(tables.Select(t => t.Preprocessed).ToArray(), lb, out var preprocessedLdes);
        for (int i = 0; i < data.Length; i++) data[i].PreprocessedLde = preprocessedLdes[i];
        if (preprocessedTree is not null) transcript.Observe(preprocessedTree.Root);
        phases?.Mark(ProvingStage.Fixed);

        for (int i = 0; i < data.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            data[i].MainLde = LowDegreeExtension.FromValues(tables[i].Main, lb);
            phases?.MarkTable(ProvingStage.Main, data[i].Air.Name, start);
        }
        MerkleTree mainTree = MerkleTree.Commit(data.Select(d => d.MainLde!).ToArray());
        transcript.Observe(mainTree.Root);
        if (afterCommit is not null)
        {
            tables = [.. tables.Select((t, i) => afterCommit(i, t))];
            for (int i = 0; i < data.Length; i++) data[i].MainLde = LowDegreeExtension.FromValues(tables[i].Main, lb);
        }
        // Chosen while the traces are alive; the clear ones are copied, so that the traces can still go after LogUp.
        ClearTrace?[] clear = ClearTables.Choose(tables, [.. data.Select(d => d.Layout)], [.. data.Select(d => d.Next)], parameters, clearPolicy);
        // A shard's challenges come from the run's shared transcript, ground once for all shards.
        BabyBear logUpWitness = shard?.LogUpWitness ?? ProofOfWork.Grind(transcript, parameters.LogUpPowBits);
        phases?.Mark(ProvingStage.Main);

        var challenges = shard?.Challenges ?? new LogUpChallenges(transcript.SampleExt(), transcript.SampleExt());
        var cumulativeSums = new BabyBearExt4[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i].Layout.Width == 0) continue;
            long start = Stopwatch.GetTimestamp();
            LogUpTrace aux = LogUpTrace.Build(tables[i], data[i].Layout, challenges);
            cumulativeSums[i] = aux.CumulativeSum;
            data[i].AuxLde = LowDegreeExtension.FromValuesConsuming(aux.Values, lb);
            phases?.MarkTable(ProvingStage.LogUp, data[i].Air.Name, start);
        }
        RowMajorMatrix[] auxLdes = [.. data.Where(d => d.AuxLde is not null).Select(d => d.AuxLde!)];
        MerkleTree? auxTree = auxLdes.Length > 0 ? MerkleTree.Commit(auxLdes) : null;
        if (auxTree is not null) transcript.Observe(auxTree.Root);
        foreach (var sum in cumulativeSums) transcript.Observe(sum);
        phases?.Mark(ProvingStage.LogUp);

        BabyBearExt4 alpha = transcript.SampleExt();
        CollectPhaseGarbage(); // the traces, once the LogUp columns exist
        // One quotient for all tables (docs/PROTOCOL.md §8.3): each table's C/Z_H on its own quotient domain (tables of one
        // height share it), summed per height with the powers of α that continue its fold across the tables, and the
        // heights lifted into the tallest.
        var domains = new Dictionary<int, QuotientDomain>();
        var perHeight = new SortedDictionary<int, BabyBearExt4[]>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        // Last table first: γ_i = α^(K_(i+1) + … + K_(T−1)) is the verifier's Horner fold read backwards.
        BabyBearExt4 gamma = BabyBearExt4.One;
        for (int i = data.Length - 1; i >= 0; i--)
        {
            long start = Stopwatch.GetTimestamp();
            if (!domains.TryGetValue(data[i].LogHeight, out var domain)) domains[data[i].LogHeight] = domain = new QuotientDomain(data[i].LogHeight);
            BabyBear[] values = QuotientOnDomain(data[i], domain, alpha, challenges, cumulativeSums[i], quotientPacking, out int constraints).Values;
            int size = values.Length / 4;
            if (!perHeight.TryGetValue(data[i].LogHeight, out var sum)) perHeight[data[i].LogHeight] = sum = new BabyBearExt4[size];
            BabyBearExt4 g = gamma;
            ParallelRanges.For(size, 4, (from, to) =>
            {
                ReadOnlySpan<BabyBearExt4> q = MemoryMarshal.Cast<BabyBear, BabyBearExt4>(values.AsSpan());
                for (int r = from; r < to; r++) sum[r] += g * q[r];
            });
            gamma *= FieldMath.Pow(alpha, (ulong)constraints);
            phases?.MarkTable(ProvingStage.Quotient, data[i].Air.Name, start);
        }
        domains.Clear();
        int owner = QuotientOwner(logHeights);
        BabyBearExt4[] combined = Lifting.Sum([.. perHeight.Values], [.. perHeight.Keys.Select(h => h + 1)], [.. Enumerable.Repeat(BabyBearExt4.One, perHeight.Count - 1)]);
        perHeight.Clear();
        // The chunks' values at ζ come from their LDE, like every column's.
        data[owner].QuotientLde = LowDegreeExtension.ChunkLdesFromBitReversed(new RowMajorMatrix(MemoryMarshal.Cast<BabyBearExt4, BabyBear>(combined.AsSpan()).ToArray(), 4), lb);
        MerkleTree quotientTree = MerkleTree.Commit([data[owner].QuotientLde!]);
        transcript.Observe(quotientTree.Root);
        phases?.Mark(ProvingStage.Quotient);

        // The DEEP error grows with n; grinding makes every try at a new ζ cost 2^ChallengePowBits hashes.
        BabyBear deepWitness = ProofOfWork.Grind(transcript, parameters.ChallengePowBits);
        BabyBearExt4 zeta = transcript.SampleExt();
        // Each table is read where its lifting is read at ζ (docs/PROTOCOL.md §8.3).
        int logMaxHeight = logHeights.Max();
        BabyBearExt4[] points = [.. logHeights.Select(h => Lifting.Point(zeta, h, logMaxHeight))];
        for (int i = 0; i < data.Length; i++)
            if (OutOfDomain.Problem(points[i], data[i].LogHeight) is string problem)
                throw new InvalidOperationException($"the out-of-domain point is unusable ({problem}); this happens with probability below 2^-90");
        var openings = new TableOpenings[data.Length];
        var weights = new Dictionary<(int LogHeight, bool Next), BabyBearExt4[]>();
        for (int i = 0; i < data.Length; i++)
        {
            openings[i] = Open(data[i], points[i], weights);
            StarkTranscript.ObserveOpenings(transcript, openings[i]);
        }

        // Claimed openings are free to change, so the batching coefficients drawn after them get their own grinding.
        BabyBear batchingWitness = ProofOfWork.Grind(transcript, parameters.ChallengePowBits);
        phases?.Mark(ProvingStage.Openings);
        CollectPhaseGarbage(); // the quotients' evaluations
        var deep = new DeepComposition(parameters, transcript);
        // The coefficients are drawn in table order; the codewords are built height by height, so that only one height's
        // 1/(x − ζ), 1/(x − ζω) (128 MB at 2^21) is alive at a time, and tables of one height add into one codeword.
        DeepCoefficients[] deepCoefficients = [.. openings.Select((o, i) => deep.Coefficients(o, data[i].Next))];
        var codewords = new Dictionary<int, BabyBearExt4[]>();
        foreach (var height in Enumerable.Range(0, data.Length).GroupBy(i => data[i].LogHeight).OrderByDescending(g => g.Key))
        {
            BabyBearExt4[] inverses = DeepInverses(points[height.First()], height.Key + lb, height.Key);
            foreach (int i in height)
            {
                codewords.TryGetValue(height.Key + lb, out var sum);
                codewords[height.Key + lb] = DeepCodeword(data[i], deepCoefficients[i], inverses, sum);
            }
        }
        var inputs = codewords.OrderByDescending(kv => kv.Key).Select(kv => kv.Value).ToArray();
        phases?.Mark(ProvingStage.Deep);
        var friParameters = FriParametersFor(parameters);
        Transcript beforeFri = transcript.Clone();
        FriProof fri = FriProver.Prove(friParameters, Domain.Shift, inputs, transcript);
        phases?.Mark(ProvingStage.Fri);
        int logMax = codewords.Keys.Max();
        int[] indices = FriVerifier.DeriveChallenges(friParameters, inputs.Length, logMax, fri, beforeFri).QueryIndices;

        MerkleBatchOpening OpenQueries(MerkleTree tree) => tree.Open([.. indices.Select(index => index >> (logMax - Log2(tree.Height)))]);
        var queries = new QueryOpenings(OpenQueries(mainTree), auxTree is null ? null : OpenQueries(auxTree), OpenQueries(quotientTree));

        phases?.Mark(ProvingStage.Queries);
        var proof = new StarkProof(parameters, StatementShape.Of(shapes, [.. data.Select(d => d.Layout)], logHeights), logHeights, mainTree.Root, logUpWitness, auxTree?.Root, cumulativeSums, quotientTree.Root, deepWitness, openings, batchingWitness, fri, queries);
        return ClearTables.Strip(proof, clear, statement.Airs, [.. data.Select(d => d.Layout)]);
    }

    /// <summary>
    /// A full, non-compacting collection where a phase has left hundreds of megabytes of large arrays behind. The GC
    /// would reclaim them in time, but meanwhile the next phase's arrays take fresh pages: sha256 at 2^20 cycles peaked
    /// at 2.16–2.24 GB without these two collections and 2.10–2.14 GB with them (docs/PERFORMANCE.md). Each takes
    /// about 10 ms: the heap is a few thousand arrays of field elements, which hold no references to trace.
    /// </summary>
    private static void CollectPhaseGarbage() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);

    internal static FriParameters FriParametersFor(SecurityParameters p) => new(p.LogBlowup, p.LogFinalPolyLength, p.NumQueries, p.QueryPowBits, p.ChallengePowBits);

    private static int Log2(int x) => BitOperations.Log2((uint)x);

    /// <summary>The table that carries the one quotient's openings: the first of the tallest.</summary>
    internal static int QuotientOwner(int[] logHeights) => Array.IndexOf(logHeights, logHeights.Max());

    /// <summary>Q = C/Z_H on the quotient domain, bit-reversed: a matrix of 2n rows whose columns are Q's four base parts.</summary>
    /// <param name="constraints">How many constraints C folds (with α), LogUp's included.</param>
    internal static RowMajorMatrix QuotientOnDomain(TableData table, QuotientDomain domain, BabyBearExt4 alpha, LogUpChallenges challenges, BabyBearExt4 cumulativeSum, PackingKind? packing, out int constraints)
    {
        var operation = new QuotientValues(table, domain, alpha, challenges, cumulativeSum);
        Packing.Run((2 << table.LogHeight) >= 16 ? packing ?? Packing.Best : PackingKind.Scalar, operation);
        constraints = operation.Constraints;
        return operation.Values!;
    }

    /// <summary>
    /// The scalar reference of <see cref="QuotientOnDomain"/> at one row: the generic value builder reads the LDEs at
    /// the row and its next, folds every constraint as the verifier does (acc ← acc·α + c) and divides by Z_H.
    /// </summary>
    internal static BabyBearExt4 QuotientReference(TableData table, QuotientDomain domain, BabyBearExt4 alpha, LogUpChallenges challenges, BabyBearExt4 cumulativeSum, int row)
    {
        var builder = new QuotientRowBuilder(table, domain, alpha, challenges, cumulativeSum, row);
        return builder.Fold() * domain.InverseVanishing[row];
    }

    private sealed class QuotientRowBuilder(TableData table, QuotientDomain domain, BabyBearExt4 alpha, LogUpChallenges challenges, BabyBearExt4 cumulativeSum, int row) : FoldingBuilder(alpha)
    {
        private readonly int next = domain.NextRow[row];

        public BabyBearExt4 Fold()
        {
            Evaluate(table.Air, table.Layout.Width == 0 ? null : table.Layout);
            return Accumulator;
        }

        public override ExtensionValue Main(int column) => table.MainLde![row, column];
        public override ExtensionValue MainNext(int column) => table.MainLde![next, column];
        public override ExtensionValue Preprocessed(int column) => table.PreprocessedLde![row, column];
        public override ExtensionValue PreprocessedNext(int column) => table.PreprocessedLde![next, column];
        public override ExtensionValue Public(int index) => table.PublicValues[index];
        public override ExtensionValue IsFirstRow => domain.First[row];
        public override ExtensionValue IsLastRow => domain.Last[row];
        public override ExtensionValue IsTransition => domain.Transition[row];
        public override ExtensionValue Aux(int column) => Extension.At(table.AuxLde!, row, column);
        public override ExtensionValue AuxNext(int column) => Extension.At(table.AuxLde!, next, column);
        public override ExtensionValue Alpha => challenges.Alpha;
        public override ExtensionValue Beta => challenges.Beta;
        public override uint Shard => challenges.Shard;
        public override ExtensionValue CumulativeSum => cumulativeSum;
    }

    /// <summary>
    /// Q = C/Z_H at every row of the quotient domain (bit-reversed): the table's constraints, LogUp's included,
    /// compiled once (<see cref="ConstraintProgram.ForConstraints"/>) and run a block of rows at a time on every core.
    /// </summary>
    private sealed class QuotientValues(TableData table, QuotientDomain domain, BabyBearExt4 alpha, LogUpChallenges challenges, BabyBearExt4 cumulativeSum) : IPackedOperation
    {
        public RowMajorMatrix? Values;
        public int Constraints;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int size = 2 << table.LogHeight;
            var recorded = ExpressionRecorder.Record(table.Air, table.Layout.Width == 0 ? null : table.Layout, challenges.Shard);
            int constraintCount = Constraints = recorded.Constraints.Count;
            var program = ConstraintProgram.ForConstraints(recorded, new(table.PublicValues, challenges.Alpha, challenges.Beta, cumulativeSum));
            var powers = new BabyBearExt4[constraintCount];
            BabyBearExt4 power = BabyBearExt4.One;
            for (int k = constraintCount - 1; k >= 0; k--, power *= alpha) powers[k] = power;
            int block = Math.Min(ColumnEvaluator<TP>.MaxBlockRows, size);
            var values = new RowMajorMatrix(4, size);
            Parallel.For(0, size / block, Kernels.Options, () => new ColumnEvaluator<TP>(program, table.MainLde!, table.PreprocessedLde, table.AuxLde, domain, block, powers), (b, _, evaluator) =>
            {
                int first = b * block;
                evaluator.Run(first);
                Span<BabyBearExt4> q = stackalloc BabyBearExt4[TP.Width];
                for (int v = 0; v < block / TP.Width; v++)
                {
                    var c = evaluator.LoadExtension(program.Accumulator, v) * new PackedExtension<TP>(TP.Load(ref domain.InverseVanishing[first + v * TP.Width]));
                    c.CopyTo(q);
                    for (int k = 0; k < TP.Width; k++)
                    {
                        Span<BabyBear> row = values.Row(first + v * TP.Width + k);
                        (row[0], row[1], row[2], row[3]) = (q[k].C0, q[k].C1, q[k].C2, q[k].C3);
                    }
                }
                return evaluator;
            }, _ => { });
            Values = values;
        }
    }

    /// <summary>
    /// Every committed column at the table's point z (<see cref="Lifting.Point"/>), and those read on the next row
    /// (<see cref="NextColumns"/>) at z·ω, from the first n rows of its LDE (its values on g·H, <see cref="Domain.LdeWeights"/>;
    /// the quotient chunks too, whose degree is below n), so that nothing but the LDEs needs to outlive the commitments.
    /// </summary>
    /// <param name="weights">Barycentric weights by height and point (z or z·ω), shared by the tables of one height.</param>
    private static TableOpenings Open(TableData table, BabyBearExt4 point, Dictionary<(int LogHeight, bool Next), BabyBearExt4[]> weights)
    {
        BabyBearExt4 pointNext = point * BabyBear.TwoAdicGenerator(table.LogHeight);
        BabyBearExt4[] At(RowMajorMatrix? lde, BabyBearExt4 z, int[]? columns = null)
        {
            if (lde is null || columns is { Length: 0 }) return [];
            var key = (table.LogHeight, z != point);
            if (!weights.TryGetValue(key, out var w)) weights[key] = w = Domain.LdeWeights(z, table.LogHeight);
            return Domain.EvaluateOutside(columns is null ? lde : lde.Columns(columns, w.Length), w);
        }
        return new TableOpenings(
            At(table.PreprocessedLde, point), At(table.PreprocessedLde, pointNext, table.Next.Preprocessed),
            At(table.MainLde, point), At(table.MainLde, pointNext, table.Next.Main),
            At(table.AuxLde, point), At(table.AuxLde, pointNext, table.Next.Aux),
            At(table.QuotientLde, point));
    }

    /// <summary>
    /// The table's DEEP codeword on its bit-reversed LDE domain from its height's <paramref name="inverses"/>
    /// (<see cref="DeepInverses"/>, shared by the tables of one height), added into <paramref name="sum"/> when one is given
    /// (and then returned).
    /// </summary>
    private static BabyBearExt4[] DeepCodeword(TableData table, DeepCoefficients coefficients, BabyBearExt4[] inverses, BabyBearExt4[]? sum)
    {
        int size = table.MainLde!.Height;
        var values = new DeepValues(table, coefficients, inverses, sum ?? new BabyBearExt4[size], sum is not null);
        Packing.Run(size >= 16 ? Packing.Best : PackingKind.Scalar, values);
        return values.Codeword;
    }

    /// <summary>1/(x − z) then 1/(x − z·ω) at every point x of the bit-reversed LDE domain, z the height's point.</summary>
    /// <remarks>
    /// Range by range through the norm (<see cref="BabyBearExt4.InverseDifferences(ReadOnlySpan{BabyBear}, BabyBearExt4, Span{BabyBearExt4}, PackingKind)"/>): only base values are inverted,
    /// and nothing but the inverses is kept (at 2^21 points the differences would be another 64 MB).
    /// </remarks>
    private static BabyBearExt4[] DeepInverses(BabyBearExt4 point, int logLde, int logHeight)
    {
        int size = 1 << logLde;
        BabyBear[] points = Domain.BitReversedPoints(logLde);
        BabyBearExt4 pointNext = point * BabyBear.TwoAdicGenerator(logHeight);
        var inverses = new BabyBearExt4[2 * size];
        ParallelRanges.For(2 * size, 8, (from, to) =>
        {
            // The point lies outside the base field (checked before); a zero difference here would be a bug, not bad luck.
            int split = Math.Clamp(size, from, to);
            if (split > from) BabyBearExt4.InverseDifferences(points.AsSpan(from, split - from), point, inverses.AsSpan(from, split - from), Packing.Best);
            if (to > split) BabyBearExt4.InverseDifferences(points.AsSpan(split - size, to - split), pointNext, inverses.AsSpan(split, to - split), Packing.Best);
        });
        return inverses;
    }

    /// <summary>
    /// The DEEP quotient TP.Width LDE rows at a time: one gather of each committed column feeds both sums, Σγ·f(x)
    /// over the ζ terms and over the ζω terms, each kept as four packed parts (a coefficient times a base column is
    /// four packed products); then each row subtracts the constants and multiplies by its two inverses.
    /// </summary>
    private sealed class DeepValues(TableData table, DeepCoefficients coefficients, BabyBearExt4[] inverses, BabyBearExt4[] codeword, bool accumulate) : IPackedOperation
    {
        public BabyBearExt4[] Codeword => codeword;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            int size = table.MainLde!.Height;
            var (pre, main, aux, quotient) = coefficients.AtZetaCoefficients;
            var (preNext, mainNext, auxNext) = coefficients.AtNextCoefficients;
            // Per matrix: its ζ coefficients, and its ζω ones with the columns they are for, as broadcast parts.
            var next = coefficients.Next;
            var terms = new (RowMajorMatrix? Matrix, TP[] AtZeta, TP[] AtNext, int[] NextColumns)[]
            {
                (table.PreprocessedLde, Parts<TP>(pre), Parts<TP>(preNext), next.Preprocessed), (table.MainLde, Parts<TP>(main), Parts<TP>(mainNext), next.Main),
                (table.AuxLde, Parts<TP>(aux), Parts<TP>(auxNext), next.Aux), (table.QuotientLde, Parts<TP>(quotient), [], []),
            };
            var (constantZeta, constantNext) = coefficients.Constants;
            Parallel.For(0, size / TP.Width, Kernels.Options, () => new BabyBear[TP.Width], (block, _, lanes) =>
            {
                int first = block * TP.Width;
                TP zero = TP.Broadcast(BabyBear.Zero);
                TP z0 = zero, z1 = zero, z2 = zero, z3 = zero, n0 = zero, n1 = zero, n2 = zero, n3 = zero;
                foreach (var (matrix, atZeta, atNext, nextColumns) in terms)
                {
                    if (matrix is null) continue;
                    BabyBear[] values = matrix.Values;
                    int width = matrix.Width;
                    for (int c = 0; c < width; c++)
                    {
                        for (int k = 0; k < TP.Width; k++) lanes[k] = values[(first + k) * width + c];
                        TP v = TP.Load(ref lanes[0]);
                        z0 += atZeta[4 * c] * v; z1 += atZeta[4 * c + 1] * v; z2 += atZeta[4 * c + 2] * v; z3 += atZeta[4 * c + 3] * v;
                    }
                    for (int j = 0; j < nextColumns.Length; j++)
                    {
                        for (int k = 0; k < TP.Width; k++) lanes[k] = values[(first + k) * width + nextColumns[j]];
                        TP v = TP.Load(ref lanes[0]);
                        n0 += atNext[4 * j] * v; n1 += atNext[4 * j + 1] * v; n2 += atNext[4 * j + 2] * v; n3 += atNext[4 * j + 3] * v;
                    }
                }
                Span<BabyBearExt4> z = stackalloc BabyBearExt4[TP.Width], n = stackalloc BabyBearExt4[TP.Width];
                new PackedExtension<TP>(z0, z1, z2, z3).CopyTo(z);
                new PackedExtension<TP>(n0, n1, n2, n3).CopyTo(n);
                for (int k = 0; k < TP.Width; k++)
                {
                    BabyBearExt4 value = (z[k] - constantZeta) * inverses[first + k] + (n[k] - constantNext) * inverses[size + first + k];
                    codeword[first + k] = accumulate ? codeword[first + k] + value : value;
                }
                return lanes;
            }, _ => { });
        }

        /// <summary>Each coefficient's four parts, broadcast.</summary>
        private static TP[] Parts<TP>(BabyBearExt4[] values) where TP : unmanaged, IPackedField<TP> =>
            [.. values.SelectMany(v => new[] { TP.Broadcast(v.C0), TP.Broadcast(v.C1), TP.Broadcast(v.C2), TP.Broadcast(v.C3) })];
    }
}
