using System.Numerics;

namespace ZkVm.Stark.Security;

/// <summary>What a statement contributes to the soundness error.</summary>
/// <param name="LogMaxTraceLength">log2 of the tallest table's height n.</param>
/// <param name="NumConstraints">Constraints combined by the ALI challenge, over all tables.</param>
/// <param name="MaxConstraintDegree">Largest constraint degree d (the AIR allows at most 3).</param>
/// <param name="NumOpeningPoints">Out-of-domain points m (2: ζ and ζ·ω).</param>
/// <param name="BatchSize">Polynomials in the DEEP/FRI batch: committed columns (an extension column counts once
/// per base coordinate) plus quotient chunks.</param>
/// <param name="NumLogUpFractions">LogUp ℓ: interaction terms per row, summed over tables.</param>
/// <param name="TotalBusRows">Rows over all bounded-multiplicity bus interactions.</param>
/// <param name="MaxMultiplicity">Largest multiplicity one such row can carry.</param>
/// <param name="MaxTupleArity">Most values in one interaction's tuple: the degree in β of the LogUp fingerprint
/// α + bus + Σ β^(i+1)·v_i.</param>
/// <param name="TableLogHeights">Bit h set when some table has 2^h rows. Each height is a separate batch, lifted
/// into the tallest, so FRI's batching term depends on the whole set, not only on the tallest.</param>
public sealed record CircuitShape(
    int LogMaxTraceLength,
    long NumConstraints,
    int MaxConstraintDegree,
    int NumOpeningPoints,
    long BatchSize,
    long NumLogUpFractions,
    long TotalBusRows,
    long MaxMultiplicity,
    int MaxTupleArity,
    long TableLogHeights)
{
    /// <summary>
    /// The part of <see cref="TotalBusRows"/> on buses shared by all shards of a run (not <c>Bus.PerShard</c>): in a run
    /// in shards these add up over every shard, while a per-shard bus's tuples balance within their shard.
    /// </summary>
    public long SharedBusRows { get; init; }

    /// <summary>The AIR's degree budget, d in docs/SECURITY.md.</summary>
    public const int MaxAllowedConstraintDegree = 3;

    /// <summary>
    /// The worst case for the FRI terms at a given tallest height: a table at every height 2^0 … 2^logMax, so
    /// that FRI batches and lifts an input of every height. Used for statement-independent tables (docs/SECURITY.md).
    /// </summary>
    public static long EveryHeightUpTo(int logMaxTraceLength)
    {
        SecurityParameters.Require(logMaxTraceLength is >= 0 and <= SecurityCalculator.TwoAdicity,
            nameof(logMaxTraceLength), logMaxTraceLength, $"0..{SecurityCalculator.TwoAdicity}");
        return (2L << logMaxTraceLength) - 1;
    }

    /// <summary>The set of <see cref="TableLogHeights"/> of tables with the given log heights.</summary>
    public static long HeightsOf(IEnumerable<int> logHeights)
    {
        ArgumentNullException.ThrowIfNull(logHeights);
        long mask = 0;
        foreach (int h in logHeights)
        {
            SecurityParameters.Require(h is >= 0 and <= SecurityCalculator.TwoAdicity, "log height", h, $"0..{SecurityCalculator.TwoAdicity}");
            mask |= 1L << h;
        }
        return mask;
    }

    internal void Validate(SecurityParameters parameters)
    {
        SecurityParameters.Require(LogMaxTraceLength >= 0, nameof(LogMaxTraceLength), LogMaxTraceLength, "at least 0");
        // The LDE domain 2^(log n + log blowup) must be a subgroup coset of BabyBear's 2^27 two-adic group.
        SecurityParameters.Require(LogMaxTraceLength + parameters.LogBlowup <= SecurityCalculator.TwoAdicity,
            nameof(LogMaxTraceLength), LogMaxTraceLength, $"at most {SecurityCalculator.TwoAdicity} − LogBlowup");
        SecurityParameters.Require(NumConstraints >= 0, nameof(NumConstraints), NumConstraints, "at least 0");
        SecurityParameters.Require(MaxConstraintDegree is >= 1 and <= MaxAllowedConstraintDegree,
            nameof(MaxConstraintDegree), MaxConstraintDegree, $"1..{MaxAllowedConstraintDegree}");
        SecurityParameters.Require(NumOpeningPoints >= 1, nameof(NumOpeningPoints), NumOpeningPoints, "at least 1");
        SecurityParameters.Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        SecurityParameters.Require(NumLogUpFractions >= 0, nameof(NumLogUpFractions), NumLogUpFractions, "at least 0");
        SecurityParameters.Require(TotalBusRows >= 0, nameof(TotalBusRows), TotalBusRows, "at least 0");
        SecurityParameters.Require(MaxMultiplicity >= 0, nameof(MaxMultiplicity), MaxMultiplicity, "at least 0");
        SecurityParameters.Require(MaxTupleArity >= 0, nameof(MaxTupleArity), MaxTupleArity, "at least 0");
        // The tallest table is the top bit of the set; a set that disagrees would hide or invent batches.
        SecurityParameters.Require(TableLogHeights > 0 && 63 - BitOperations.LeadingZeroCount((ulong)TableLogHeights) == LogMaxTraceLength,
            nameof(TableLogHeights), TableLogHeights, $"a set of log heights whose largest is LogMaxTraceLength = {LogMaxTraceLength}");
    }
}
