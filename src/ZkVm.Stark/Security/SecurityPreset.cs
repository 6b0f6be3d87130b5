namespace ZkVm.Stark.Security;

/// <summary>Named parameter sets; docs/SECURITY.md tabulates their bits.</summary>
public enum SecurityPreset
{
    /// <summary>The default: 100 provable bits for the FRI terms (unique decoding), no conjecture.</summary>
    Proven100,

    /// <summary>Fewer queries: 100 bits only under the ethSTARK toy conjecture, weakened in 2025.</summary>
    Conjectured100,
}

public static class SecurityPresets
{
    public const double TargetBits = 100;

    /// <summary>
    /// Rate 1/2: at n = 2^22 the batching and commit-phase errors D/|F| leave 123.63 − 23 = 100.63 bits, so a
    /// larger blowup would fall below 100; for the same reason the batch needs independent coefficients.
    /// </summary>
    public const int LogBlowup = 1;

    /// <summary>SP1 v6's grinding: 2^16 Poseidon2 permutations are negligible next to proving.</summary>
    public const int QueryPowBits = 16;

    /// <summary>
    /// Grinding before the LogUp challenges: ℓ·n/|F| alone leaves below 100 bits once ℓ·n passes 2^23.6,
    /// which a machine with hundreds of interactions per row reaches at 2^16 rows.
    /// </summary>
    public const int LogUpPowBits = 16;

    /// <summary>Eight coefficients in clear end FRI three rounds early; it changes proof size only, not bits.</summary>
    public const int LogFinalPolyLength = 3;

    /// <summary>
    /// The preset whose parameters <paramref name="parameters"/> are, or null when they are no preset's. The final
    /// polynomial may be shorter than the preset's: the prover lowers it to the smallest table's height (it changes
    /// proof size only, not bits); every other parameter must be the preset's exactly.
    /// </summary>
    public static SecurityPreset? Named(SecurityParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var preset in Enum.GetValues<SecurityPreset>())
        {
            var named = Parameters(preset);
            if (parameters.LogFinalPolyLength is >= 0 && parameters.LogFinalPolyLength <= named.LogFinalPolyLength
                && parameters with { LogFinalPolyLength = named.LogFinalPolyLength } == named)
                return preset;
        }
        return null;
    }

    public static SecurityParameters Parameters(SecurityPreset preset) => preset switch
    {
        SecurityPreset.Proven100 => new SecurityParameters(
            LogBlowup,
            SecurityCalculator.MinimumQueriesFor(TargetBits, LogBlowup, QueryPowBits),
            QueryPowBits,
            LogFinalPolyLength,
            BatchingMode.IndependentCoefficients,
            LogUpPowBits),
        // ethSTARK: each query gives log blowup bits, so (100 − 16)/1 = 84 queries.
        SecurityPreset.Conjectured100 => new SecurityParameters(
            LogBlowup,
            (int)Math.Ceiling((TargetBits - QueryPowBits) / LogBlowup),
            QueryPowBits,
            LogFinalPolyLength,
            BatchingMode.IndependentCoefficients,
            LogUpPowBits),
        _ => throw new ZkVmException(SecurityErrors.InvalidParameters, $"unknown security preset {(int)preset}"),
    };
}
