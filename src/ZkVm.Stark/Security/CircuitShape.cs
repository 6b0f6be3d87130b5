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
public sealed record CircuitShape(
    int LogMaxTraceLength,
    long NumConstraints,
    int MaxConstraintDegree,
    int NumOpeningPoints,
    long BatchSize,
    long NumLogUpFractions,
    long TotalBusRows,
    long MaxMultiplicity)
{
    /// <summary>The AIR's degree budget (docs/DESIGN.md §4).</summary>
    public const int MaxAllowedConstraintDegree = 3;

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
    }
}
