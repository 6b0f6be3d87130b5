using System.Numerics;

namespace ZkVm.Stark.Security;

/// <summary>
/// Soundness bits of the STARK over BabyBear's quartic extension (docs/SECURITY.md gives every formula and its
/// source). Each error is an exact rational and the total is their sum (a union bound over the ways a cheating
/// prover can win), so the only rounding is the final log2.
/// </summary>
public static class SecurityCalculator
{
    public const long Modulus = 15L * (1L << 27) + 1;
    public const int ExtensionDegree = 4;
    public const int TwoAdicity = 27;

    /// <summary>Poseidon2 digest length in BabyBear elements.</summary>
    public const int DigestElements = 8;

    private static readonly BigInteger FieldSize = BigInteger.Pow(Modulus, ExtensionDegree);

    /// <summary>log2 |F| for the challenge field F = BabyBear^4: 4·log2 p ≈ 123.63.</summary>
    public static readonly double FieldBits = BigInteger.Log(FieldSize, 2);

    /// <summary>Birthday bound of a digest of <see cref="DigestElements"/> BabyBear elements: half its ≈ 247.3 bits.</summary>
    public static readonly double HashCollisionBits = DigestElements * Math.Log2(Modulus) / 2;

    public static SecurityReport Compute(SecurityParameters parameters, CircuitShape shape)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(shape);
        parameters.Validate();
        shape.Validate(parameters);
        UInt128 multiplicityBound = MultiplicityBound.Check(shape.TotalBusRows, shape.MaxMultiplicity);

        int lb = parameters.LogBlowup;
        BigInteger n = BigInteger.One << shape.LogMaxTraceLength;
        BigInteger lde = n << lb;
        BigInteger challengeGrinding = BigInteger.One << parameters.ChallengePowBits;

        // Schwartz–Zippel on the random linear combination of the constraints (list size 1).
        var ali = new Probability(shape.NumConstraints, FieldSize);

        // DEEP (soundcalc get_DEEP_ALI_errors with L+ = 1): the composition and the DEEP quotients agree at a
        // random ζ outside the trace and LDE domains with this probability unless they agree everywhere.
        // Grinding before ζ makes each try at a new ζ cost 2^k hashes. The tables of H heights share one quotient, each
        // read at its lifting's point s^(1−k)·ζ^k (PROTOCOL §8.3): the identity in ζ then has H vanishing polynomials of
        // degree n as denominators, which raise the numerator's degree by (H − 1)·n, and H heights' domains to avoid.
        int heights = BitOperations.PopCount((ulong)shape.TableLogHeights);
        BigInteger deepNumerator = (shape.MaxConstraintDegree + heights - 1) * (n + shape.NumOpeningPoints - 1) + (n - 1);
        var deep = new Probability(deepNumerator, (FieldSize - heights * (n + lde)) * challengeGrinding);

        // Proximity gaps for Reed–Solomon in unique decoding (BCIKS20 Thm 1.2/1.4): D_h/|F| per affine line, for
        // the batch of each height h (tables of one height are summed into one FRI input); powers of one
        // challenge make a degree-(B−1) curve, so the error is multiplied by B − 1. FRI then lifts the inputs of the
        // lower heights into the tallest with one independent coefficient each (PROTOCOL §7.3): one more affine
        // space, D_0/|F|, when there is more than one height.
        BigInteger batchingFactor = parameters.Batching == BatchingMode.Powers ? shape.BatchSize - 1 : 1;
        BigInteger batchedDomains = BigInteger.Zero;
        for (int h = 0; h <= shape.LogMaxTraceLength; h++)
            if ((shape.TableLogHeights >> h & 1) != 0)
                batchedDomains += BigInteger.One << (h + lb);
        BigInteger lifting = heights > 1 ? lde : BigInteger.Zero;
        var batching = new Probability(batchingFactor * batchedDomains + lifting, FieldSize * challengeGrinding);

        // Round k folds the domain D_k by 2^a with a fresh β_k, combining 2^a words with 1, β_k, …, β_k^(2^a − 1): a
        // curve of degree 2^a − 1 (BCIKS20 correlated agreement over curves: a degree-d curve costs d times a line's
        // error, counted here on D_k).
        // The rounds fail independently, so their errors add (soundcalc fri_based_vm: one term per round).
        var rounds = FriRounds(parameters, shape);
        BigInteger commitNumerator = BigInteger.Zero;
        foreach (var (logDomain, degree) in rounds)
            commitNumerator += degree * (BigInteger.One << logDomain);
        var commitPhase = new Probability(commitNumerator, FieldSize * challengeGrinding);

        // Unique decoding radius δ = (1 − ρ)/2: a far word survives one query with probability (1 + ρ)/2 =
        // (2^lb + 1)/2^(lb+1); the ethSTARK toy problem gives ρ per query. Grinding divides both by 2^pow.
        int q = parameters.NumQueries;
        var queryPhase = new Probability(BigInteger.Pow((BigInteger.One << lb) + 1, q), BigInteger.One << ((lb + 1) * q + parameters.QueryPowBits));
        var conjecturedQueryPhase = new Probability(BigInteger.One, BigInteger.One << (lb * q + parameters.QueryPowBits));

        // soundcalc lookups/logup.py gives ℓ(n − 1)/(|F| − n) for a random α. The fingerprint α + bus +
        // Σ β^(i+1)·v_i is a second challenge of degree a (the largest arity) in β, so clearing denominators
        // gives a polynomial in (α, β) of total degree ≤ ℓ(n − 1)·a: Schwartz–Zippel multiplies by a.
        // Grinding before the challenges makes each try cost 2^k.
        long arityFactor = Math.Max(1, shape.MaxTupleArity);
        var logUp = new Probability(shape.NumLogUpFractions * (BigInteger)arityFactor * (n - 1), (FieldSize - n) << parameters.LogUpPowBits);

        // A collision of an 8-element digest: 2^−(8·log2 p)/2 = 1/p^4 = 1/|F|.
        var hash = new Probability(BigInteger.One, FieldSize);

        // ALI, DEEP, LogUp and the hash rest on no decoding conjecture, so both columns carry the same error;
        // the ethSTARK toy problem replaces the FRI terms by a batching and a commit error of 1/|F| and a
        // query error ρ^q·2^−pow.
        var fieldError = new Probability(BigInteger.One, FieldSize);
        SecurityTerm[] terms =
        [
            new(SecurityTermNames.Ali, ali, ali),
            new(SecurityTermNames.Deep, deep, deep),
            new(SecurityTermNames.FriBatching, batching, fieldError),
            new(SecurityTermNames.FriCommitPhase, commitPhase, rounds.Length == 0 ? Probability.Zero : fieldError),
            new(SecurityTermNames.FriQueryPhase, queryPhase, conjecturedQueryPhase),
            new(SecurityTermNames.LogUp, logUp, logUp),
            new(SecurityTermNames.HashCollision, hash, hash),
        ];
        return new SecurityReport(parameters, shape, terms, multiplicityBound);
    }

    /// <summary>
    /// The security of a run proven in shards under shared LogUp challenges (docs/PROTOCOL.md §10.3). Each shard's
    /// own terms (ALI, DEEP, FRI, the hash) add up over the shards (a union bound: the prover wins if any shard
    /// passes falsely). The LogUp term is the run's: every shard's fractions meet in one sum under one pair of
    /// challenges, so its degree is Σ_k ℓ_k·(n_k − 1), times the largest arity, over |F| − N with N the rows of all
    /// shards, ground with the run's LogUp proof of work. Multiplicities meet in that one sum too, so their bound
    /// (ZK3203) counts the bus rows of all shards. The report's parameters and shape are the first shard's.
    /// </summary>
    public static SecurityReport ComputeRun(IReadOnlyList<(SecurityParameters Parameters, CircuitShape Shape)> shards)
    {
        if (shards.Count == 0) throw new ArgumentException("a run has at least one shard", nameof(shards));
        // Shards mostly share a shape: each distinct (parameters, shape) is computed once and counted.
        var groups = shards.GroupBy(s => s).Select(g => (Key: g.Key, Count: g.Count())).ToArray();
        var reports = groups.Select(g => (Report: Compute(g.Key.Parameters, g.Key.Shape), g.Count)).ToArray();
        // A per-shard bus's multiplicities add up within its shard; a shared bus's over the whole run.
        foreach (var (key, _) in groups)
            MultiplicityBound.Check(key.Shape.TotalBusRows - key.Shape.SharedBusRows, key.Shape.MaxMultiplicity);
        UInt128 multiplicityBound = MultiplicityBound.Check(groups.Select(g => new MultiplicityBound.Interaction(checked(g.Key.Shape.SharedBusRows * g.Count), g.Key.Shape.MaxMultiplicity)));
        BigInteger degree = BigInteger.Zero, rows = BigInteger.Zero;
        long arity = 1;
        foreach (var ((_, shape), count) in groups)
        {
            BigInteger n = BigInteger.One << shape.LogMaxTraceLength;
            degree += count * shape.NumLogUpFractions * (n - 1);
            rows += count * n;
            arity = Math.Max(arity, shape.MaxTupleArity);
        }
        var logUp = new Probability(degree * arity, (FieldSize - rows) << shards[0].Parameters.LogUpPowBits);
        static Probability Times(Probability p, int count) => new(p.Numerator * count, p.Denominator);
        var terms = reports[0].Report.Terms.Select((term, t) => term.Name == SecurityTermNames.LogUp
            ? new SecurityTerm(term.Name, logUp, logUp)
            : new SecurityTerm(term.Name, Sum(reports.Select(r => Times(r.Report.Terms[t].ProvenError, r.Count))), Sum(reports.Select(r => Times(r.Report.Terms[t].ConjecturedError, r.Count))))).ToArray();
        return new SecurityReport(shards[0].Parameters, shards[0].Shape, terms, multiplicityBound);
    }

    /// <summary>
    /// The parameters with which shards of <paramref name="shapes"/> together reach <paramref name="targetBits"/> in
    /// <paramref name="regime"/>: <paramref name="parameters"/> raised one step at a time on the weakest term, one query
    /// more for the query phase, one LogUp proof-of-work bit for LogUp, one challenge proof-of-work bit for DEEP and FRI's
    /// batching and commit phase (docs/PROTOCOL.md §10.3). ZK3202 when the weakest term cannot be raised (ALI, the hash,
    /// or a grinding at its 27-bit limit): such a run is too long for 100 bits.
    /// </summary>
    public static SecurityParameters ForRun(SecurityParameters parameters, IReadOnlyList<CircuitShape> shapes, double targetBits, SecurityRegime regime)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        while (true)
        {
            var report = ComputeRun([.. shapes.Select(shape => (parameters, shape))]);
            if (report.Bits(regime) >= targetBits) return parameters;
            string weakest = report.Weakest(regime).Name;
            parameters = weakest == SecurityTermNames.LogUp && parameters.LogUpPowBits < SecurityParameters.MaxPowBits
                    ? parameters with { LogUpPowBits = parameters.LogUpPowBits + 1 }
                : weakest is SecurityTermNames.Deep or SecurityTermNames.FriBatching or SecurityTermNames.FriCommitPhase && parameters.ChallengePowBits < SecurityParameters.MaxPowBits
                    ? parameters with { ChallengePowBits = parameters.ChallengePowBits + 1 }
                : weakest == SecurityTermNames.FriQueryPhase && parameters.NumQueries < Fri.FriParameters.MaxQueries
                    ? parameters with { NumQueries = parameters.NumQueries + 1 }
                : throw new ZkVmException(SecurityErrors.BelowMinimum,
                    $"{shapes.Count} shards reach {SecurityReport.Format(report.Bits(regime))} bits at most: the {weakest} term ({SecurityReport.Format(report.Weakest(regime).Bits(regime))} bits) cannot be raised further");
        }
    }

    static Probability Sum(IEnumerable<Probability> errors) => errors.Aggregate(Probability.Zero, (a, b) => a + b);

    /// <summary>
    /// FRI's folding rounds for a statement of <paramref name="shape"/> (<see cref="Fri.FriParameters.RoundLogArities(int)"/>
    /// from its tallest table's LDE): the log size of the domain each round folds, and the degree 2^a − 1 of its curve in β_k.
    /// </summary>
    public static (int LogDomain, int Degree)[] FriRounds(SecurityParameters parameters, CircuitShape shape)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(shape);
        var fri = Proving.StarkProver.FriParametersFor(parameters);
        var rounds = new List<(int, int)>();
        int log = shape.LogMaxTraceLength + parameters.LogBlowup;
        foreach (int a in fri.RoundLogArities(log))
        {
            rounds.Add((log, (1 << a) - 1));
            log -= a;
        }
        return [.. rounds];
    }

    /// <summary>−log2((1 + ρ)/2) with ρ = 2^−logBlowup: the provable bits one query adds in unique decoding.</summary>
    public static double BitsPerQuery(int logBlowup)
    {
        SecurityParameters.Require(logBlowup is >= 1 and <= 26, nameof(logBlowup), logBlowup, "1..26");
        return -Math.Log2((1 + Math.ScaleB(1.0, -logBlowup)) / 2);
    }

    /// <summary>
    /// The fewest queries (at least one) with q·(−log2((1 + ρ)/2)) + powBits ≥ targetBits: SP1 v6's
    /// unique_decoding_queries_with_custom_grinding, ⌈(target − pow)/−log2(0.5 + ρ/2)⌉. This meets the target
    /// for the query term alone; the presets need more because the terms add up.
    /// </summary>
    public static int MinimumQueriesFor(double targetBits, int logBlowup, int powBits)
    {
        SecurityParameters.Require(powBits is >= 0 and <= 64, nameof(powBits), powBits, "0..64");
        if (!double.IsFinite(targetBits) || targetBits < 0 || targetBits > FieldBits)
            throw new ZkVmException(SecurityErrors.InvalidParameters,
                $"target of {targetBits} bits is outside 0..{FieldBits:F2} (the challenge field caps every term)");
        double perQuery = BitsPerQuery(logBlowup);
        int queries = Math.Max(1, (int)Math.Ceiling((targetBits - powBits) / perQuery));
        // The ceiling of a rounded quotient can be one too high when the exact quotient is an integer.
        while (queries > 1 && (queries - 1) * perQuery + powBits >= targetBits)
            queries--;
        return queries;
    }
}

/// <summary>An error probability as an exact fraction; −log2 of it is its bits (+∞ for zero).</summary>
public readonly record struct Probability
{
    public Probability(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.Sign < 0 || denominator.Sign <= 0)
            throw new ArgumentOutOfRangeException(nameof(numerator), "a probability is a non-negative numerator over a positive denominator");
        Numerator = numerator;
        Denominator = denominator;
    }

    public static readonly Probability Zero = new(BigInteger.Zero, BigInteger.One);

    public BigInteger Numerator { get; }
    public BigInteger Denominator { get; }

    public double Bits => Numerator.IsZero ? double.PositiveInfinity : BigInteger.Log(Denominator, 2) - BigInteger.Log(Numerator, 2);

    public static Probability operator +(Probability a, Probability b) =>
        a.Denominator == b.Denominator
            ? new(a.Numerator + b.Numerator, a.Denominator)
            : new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
}
