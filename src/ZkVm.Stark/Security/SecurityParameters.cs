namespace ZkVm.Stark.Security;

/// <summary>How the prover combines the polynomials of the DEEP/FRI batch into one.</summary>
public enum BatchingMode
{
    /// <summary>One challenge λ, coefficients 1, λ, λ², …: the error grows with the batch size.</summary>
    Powers,

    /// <summary>One independent challenge per polynomial: the error does not grow with the batch size.</summary>
    IndependentCoefficients,
}

/// <summary>What the proof system fixes: the FRI code rate, query count, grinding and batching.</summary>
/// <param name="LogBlowup">log2 of the blowup factor; the code rate is ρ = 2^−LogBlowup.</param>
/// <param name="NumQueries">FRI queries.</param>
/// <param name="QueryPowBits">Proof-of-work bits ground before the query indices are drawn.</param>
/// <param name="LogFinalPolyLength">log2 of the coefficient count of the final polynomial sent in clear.</param>
/// <param name="Batching">How the DEEP quotients are combined before FRI.</param>
/// <param name="LogUpPowBits">Proof-of-work bits ground after the main commitment, before the LogUp challenges are drawn.</param>
/// <param name="ChallengePowBits">Proof-of-work bits ground before each challenge whose error grows with the LDE
/// domain: ζ (DEEP), the DEEP batching coefficients and every FRI folding challenge β_k.</param>
public sealed record SecurityParameters(
    int LogBlowup,
    int NumQueries,
    int QueryPowBits,
    int LogFinalPolyLength,
    BatchingMode Batching,
    int LogUpPowBits = 0,
    int ChallengePowBits = 0)
{
    /// <summary>
    /// The most proof-of-work bits either grinding may ask for: the check reads the low bits of one transcript
    /// sample, whose low 27 bits are near uniform (docs/PROTOCOL.md §5, §6), so more could never be verified.
    /// </summary>
    public const int MaxPowBits = Crypto.Transcript.MaxSampleBits;

    internal void Validate()
    {
        // Above 26 no trace fits in BabyBear's 2^27 two-adic subgroup at all.
        Require(LogBlowup is >= 1 and <= 26, nameof(LogBlowup), LogBlowup, "1..26");
        Require(NumQueries >= 1, nameof(NumQueries), NumQueries, "at least 1");
        // One transcript sample checks at most MaxPowBits bits, so a larger claim is a configuration error.
        Require(QueryPowBits is >= 0 and <= MaxPowBits, nameof(QueryPowBits), QueryPowBits, $"0..{MaxPowBits}");
        Require(LogUpPowBits is >= 0 and <= MaxPowBits, nameof(LogUpPowBits), LogUpPowBits, $"0..{MaxPowBits}");
        Require(ChallengePowBits is >= 0 and <= MaxPowBits, nameof(ChallengePowBits), ChallengePowBits, $"0..{MaxPowBits}");
        Require(LogFinalPolyLength is >= 0 and <= 26, nameof(LogFinalPolyLength), LogFinalPolyLength, "0..26");
        Require(Enum.IsDefined(Batching), nameof(Batching), (long)Batching, "a defined BatchingMode");
    }

    internal static void Require(bool condition, string name, long value, string allowed)
    {
        if (!condition)
            throw new ZkVmException(SecurityErrors.InvalidParameters, $"{name} = {value} is outside its allowed range ({allowed})");
    }
}
