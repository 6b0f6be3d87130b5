namespace ZkVm.Stark.Security;

public static class SecurityPresets
{
    public const double TargetBits = 100;

    /// <summary>
    /// Rate 1/2: the batching, commit-phase and DEEP errors grow with the LDE domain, so a larger blowup costs
    /// more of them than the queries it saves (docs/SECURITY.md).
    /// </summary>
    public const int LogBlowup = 1;

    /// <summary>
    /// SP1 v6's grinding: 2^16 Poseidon2 permutations are negligible next to proving. 20 bits would save nine queries
    /// (3 % of a machine proof) for 2^20 permutations, 0.01–0.4 s of a 10 s proof as the witness falls (docs/PERFORMANCE.md, issue 15, sixth part).
    /// </summary>
    public const int QueryPowBits = 16;

    /// <summary>
    /// Grinding before the LogUp challenges: ℓ·a·n/|F| alone leaves below 100 bits once ℓ·a·n passes 2^23.6,
    /// which a machine with hundreds of interactions per row reaches at 2^16 rows.
    /// </summary>
    public const int LogUpPowBits = 16;

    /// <summary>
    /// Grinding before ζ, the DEEP batching coefficients and each FRI folding challenge. Without it DEEP,
    /// batching and the commit rounds add up to 2^−97.6 at n = 2^22 before any query; 8 bits push them to
    /// 2^−105.6 for 256 permutations per challenge (about 20 challenges), so the queries carry the target.
    /// </summary>
    public const int ChallengePowBits = 8;

    /// <summary>
    /// 256 coefficients in clear (4 KB) end FRI two rounds of 8 and one of 4 early, whose siblings would take 32 KB: at
    /// 2^20 cycles a sha256 proof is 30 KB smaller than with 8 (docs/PERFORMANCE.md, issue 15, eighth part). Fewer
    /// rounds also lower the commit term.
    /// </summary>
    public const int LogFinalPolyLength = 8;

    /// <summary>
    /// The preset whose parameters <paramref name="parameters"/> are, or null when they are no preset's. The final
    /// polynomial may be shorter than the preset's: the prover lowers it to the tallest table's height (it changes
    /// proof size only, not bits), and the query count and the LogUp and challenge proofs of work may be higher (a run in shards raises them
    /// to meet the target over all shards); every other parameter must be the preset's exactly. Of two presets that
    /// fit, the one with more queries names them, so a proof is never labelled weaker than it is.
    /// </summary>
    public static SecurityPreset? Named(SecurityParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        SecurityPreset? best = null;
        foreach (var preset in Enum.GetValues<SecurityPreset>())
        {
            var named = Parameters(preset);
            // A shard of a long run raises its queries and LogUp proof of work above the preset's (PROTOCOL.md §10.3).
            if (parameters.LogFinalPolyLength is >= 0 && parameters.LogFinalPolyLength <= named.LogFinalPolyLength
                && parameters.NumQueries >= named.NumQueries && parameters.LogUpPowBits >= named.LogUpPowBits && parameters.ChallengePowBits >= named.ChallengePowBits
                && parameters with
                {
                    LogFinalPolyLength = named.LogFinalPolyLength, NumQueries = named.NumQueries, LogUpPowBits = named.LogUpPowBits, ChallengePowBits = named.ChallengePowBits,
                } == named
                && (best is null || named.NumQueries > Parameters(best.Value).NumQueries))
                best = preset;
        }
        return best;
    }

    /// <summary>The tallest table the presets are sized for: the machine's largest tables have 2^22 rows.</summary>
    public const int MaxLogTraceLength = 22;

    /// <summary>Envelope of the statements the presets are sized for (the RV32IM machine fits inside it).</summary>
    public const long EnvelopeConstraints = 1L << 16, EnvelopeBatchSize = 1L << 12, EnvelopeLogUpFractions = 1L << 10;

    /// <summary>The machine's widest bus tuple (the program bus: 8 values).</summary>
    public const int EnvelopeTupleArity = 8;

    /// <summary>
    /// The worst statement of the envelope at 2^logN rows: degree-3 constraints and a table at every height, so
    /// that FRI batches and lifts an input of every height. The presets reach the target on it at every height up to
    /// <see cref="MaxLogTraceLength"/>; the verifier still checks each actual statement.
    /// </summary>
    public static CircuitShape EnvelopeShape(int logN) => new(
        logN, EnvelopeConstraints, CircuitShape.MaxAllowedConstraintDegree, 2, EnvelopeBatchSize, EnvelopeLogUpFractions,
        0, 0, EnvelopeTupleArity, CircuitShape.EveryHeightUpTo(logN));

    /// <summary>
    /// What the presets must meet for every statement of the envelope at 2^logN rows: each term at its worst over the
    /// sets of table heights. Only FRI's batching term depends on the set (FRI's rounds depend on the tallest table
    /// alone): it adds one D_h per height, and the lifting's D_0, so a table at every height (<see cref="EnvelopeShape"/>)
    /// has the most.
    /// </summary>
    public static SecurityReport EnvelopeReport(SecurityParameters parameters, int logN) =>
        SecurityCalculator.Compute(parameters, EnvelopeShape(logN));

    private static readonly SecurityParameters Proven = Derive(SecurityRegime.Proven);
    private static readonly SecurityParameters Conjectured = Derive(SecurityRegime.Conjectured);

    public static SecurityParameters Parameters(SecurityPreset preset) => preset switch
    {
        SecurityPreset.Proven100 => Proven,
        SecurityPreset.Conjectured100 => Conjectured,
        _ => throw new ZkVmException(SecurityErrors.InvalidParameters, $"unknown security preset {(int)preset}"),
    };

    /// <summary>
    /// The fewest queries whose summed error at the envelope's tallest shape reaches the target in the regime.
    /// The total error only grows with n, so the tallest shape bounds every lower one.
    /// </summary>
    private static SecurityParameters Derive(SecurityRegime regime)
    {
        // Each term alone must reach the target, so the single-term count is a lower bound.
        int queries = regime == SecurityRegime.Proven
            ? SecurityCalculator.MinimumQueriesFor(TargetBits, LogBlowup, QueryPowBits)
            : (int)Math.Ceiling((TargetBits - QueryPowBits) / LogBlowup);
        while (true)
        {
            var parameters = new SecurityParameters(LogBlowup, queries, QueryPowBits, LogFinalPolyLength,
                BatchingMode.IndependentCoefficients, LogUpPowBits, ChallengePowBits);
            if (EnvelopeReport(parameters, MaxLogTraceLength).Bits(regime) >= TargetBits) return parameters;
            queries++;
        }
    }
}
