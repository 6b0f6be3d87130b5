using System.Numerics;

namespace ZkVm.Stark.Security;

/// <summary>
/// Soundness bits of the STARK over BabyBear's quartic extension (docs/SECURITY.md gives every formula and its
/// source). Each error is an exact rational, so the only rounding is the final log2.
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

        BigInteger n = BigInteger.One << shape.LogMaxTraceLength;
        BigInteger lde = n << parameters.LogBlowup;

        // Schwartz–Zippel on the random linear combination of the constraints (list size 1).
        double ali = Bits(shape.NumConstraints, FieldSize);

        // DEEP (soundcalc get_DEEP_ALI_errors with L+ = 1): the composition and the DEEP quotients agree at a
        // random ζ outside the trace and LDE domains with this probability unless they agree everywhere.
        BigInteger deepNumerator = shape.MaxConstraintDegree * (n + shape.NumOpeningPoints - 1) + (n - 1);
        double deep = Bits(deepNumerator, FieldSize - n - lde);

        // Proximity gaps for Reed–Solomon in unique decoding (BCIKS20 Thm 1.2/1.4): D/|F| per affine line;
        // powers of one challenge make a degree-(B−1) curve, so the error is multiplied by B − 1.
        BigInteger batchingNumerator = parameters.Batching == BatchingMode.Powers ? (shape.BatchSize - 1) * lde : lde;
        double batching = Bits(batchingNumerator, FieldSize);

        // Each arity-2 round folds a domain D_i = D/2^i with error D_i/|F|; the first round is the worst.
        int foldingRounds = Math.Max(0, shape.LogMaxTraceLength - parameters.LogFinalPolyLength);
        double commitPhase = foldingRounds == 0 ? double.PositiveInfinity : Bits(lde, FieldSize);

        // Unique decoding radius δ = (1 − ρ)/2: a far word survives one query with probability (1 + ρ)/2.
        double queryPhase = parameters.NumQueries * BitsPerQuery(parameters.LogBlowup) + parameters.QueryPowBits;
        double conjecturedQueryPhase = (double)parameters.NumQueries * parameters.LogBlowup + parameters.QueryPowBits;

        // soundcalc lookups/logup.py: ℓ(n − 1)/(|F| − n); grinding before the challenges makes each try cost 2^k.
        double logUp = Bits(shape.NumLogUpFractions * (n - 1), FieldSize - n) + parameters.LogUpPowBits;

        // ALI, DEEP, LogUp and the hash rest on no decoding conjecture, so both columns carry the same bits;
        // the ethSTARK toy problem replaces the FRI terms by a commit error of 1/|F| and a query error ρ^q·2^−pow.
        SecurityTerm[] terms =
        [
            new(SecurityTermNames.Ali, ali, ali),
            new(SecurityTermNames.Deep, deep, deep),
            new(SecurityTermNames.FriBatching, batching, FieldBits),
            new(SecurityTermNames.FriCommitPhase, commitPhase, FieldBits),
            new(SecurityTermNames.FriQueryPhase, queryPhase, conjecturedQueryPhase),
            new(SecurityTermNames.LogUp, logUp, logUp),
            new(SecurityTermNames.HashCollision, HashCollisionBits, HashCollisionBits),
        ];
        return new SecurityReport(parameters, shape, terms, multiplicityBound);
    }

    /// <summary>−log2((1 + ρ)/2) with ρ = 2^−logBlowup: the provable bits one query adds in unique decoding.</summary>
    public static double BitsPerQuery(int logBlowup)
    {
        SecurityParameters.Require(logBlowup is >= 1 and <= 26, nameof(logBlowup), logBlowup, "1..26");
        return -Math.Log2((1 + Math.ScaleB(1.0, -logBlowup)) / 2);
    }

    /// <summary>
    /// The fewest queries (at least one) with q·(−log2((1 + ρ)/2)) + powBits ≥ targetBits: SP1 v6's
    /// unique_decoding_queries_with_custom_grinding, ⌈(target − pow)/−log2(0.5 + ρ/2)⌉.
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

    private static double Bits(BigInteger numerator, BigInteger denominator) =>
        numerator.IsZero ? double.PositiveInfinity : BigInteger.Log(denominator, 2) - BigInteger.Log(numerator, 2);
}
