using ZkVm.Field;

namespace ZkVm.Stark.Fri;

/// <summary>
/// FRI: codewords are folded until 2^(LogBlowup + LogFinalPolyLength) values remain, whose polynomial
/// (2^LogFinalPolyLength coefficients) is sent in clear; NumQueries queries follow QueryPowBits bits of grinding.
/// Each round commits its codeword in rows of 2^a values (a ≤ MaxLogArity, <see cref="RoundLogArities(int)"/>) and folds
/// it a times with β_k, β_k², …, β_k^(2^(a−1)); its β_k follows CommitPowBits bits of grinding.
/// </summary>
public sealed record FriParameters(int LogBlowup, int LogFinalPolyLength, int NumQueries, int QueryPowBits, int CommitPowBits = 0, int MaxLogArity = FriParameters.DefaultMaxLogArity)
{
    /// <summary>Upper bound on queries, so that a configuration cannot make the verifier loop without end.</summary>
    public const int MaxQueries = 1 << 12;

    /// <summary>
    /// Rows of 8 values: at 2^20 cycles a round of arity 8 costs 7 siblings per query but saves the paths of two binary
    /// layers, which are most of a binary FRI proof (docs/PERFORMANCE.md, "Issue 15, sixth part", measures 2, 4, 8 and 16).
    /// </summary>
    public const int DefaultMaxLogArity = 3;

    /// <summary>The largest arity a proof may use (rows of 16 values), which bounds what a reader allocates.</summary>
    public const int MaxSupportedLogArity = 4;

    /// <summary>
    /// The log arity of each folding round of a codeword of 2^logMaxHeight values: as large as <see cref="MaxLogArity"/>
    /// allows, but never past the final domain. Lower inputs do not break the rounds: they are lifted into the tallest
    /// codeword before the first (docs/PROTOCOL.md §7.3).
    /// </summary>
    public int[] RoundLogArities(int logMaxHeight)
    {
        var arities = new List<int>();
        for (int log = logMaxHeight; log > LogFinalDomain;)
        {
            int a = Math.Min(MaxLogArity, log - LogFinalDomain);
            arities.Add(a);
            log -= a;
        }
        return [.. arities];
    }

    /// <summary>log₂ of the length of the last codeword, the one interpolated into the final polynomial.</summary>
    public int LogFinalDomain => LogBlowup + LogFinalPolyLength;

    /// <summary>Why these parameters are unusable, or null when they are fine.</summary>
    internal string? Problem()
    {
        if (LogBlowup < 1) return $"LogBlowup must be at least 1, got {LogBlowup}";
        if (LogFinalPolyLength < 0) return $"LogFinalPolyLength must be non-negative, got {LogFinalPolyLength}";
        if ((long)LogBlowup + LogFinalPolyLength > BabyBear.TwoAdicity)
            return $"LogBlowup + LogFinalPolyLength = {(long)LogBlowup + LogFinalPolyLength} exceeds BabyBear's two-adicity {BabyBear.TwoAdicity}";
        if (NumQueries < 1 || NumQueries > MaxQueries) return $"NumQueries must be in [1, {MaxQueries}], got {NumQueries}";
        if (QueryPowBits < 0 || QueryPowBits > Crypto.Transcript.MaxSampleBits)
            return $"QueryPowBits must be in [0, {Crypto.Transcript.MaxSampleBits}], got {QueryPowBits}";
        if (CommitPowBits < 0 || CommitPowBits > Crypto.Transcript.MaxSampleBits)
            return $"CommitPowBits must be in [0, {Crypto.Transcript.MaxSampleBits}], got {CommitPowBits}";
        if (MaxLogArity < 1 || MaxLogArity > MaxSupportedLogArity) return $"MaxLogArity must be in [1, {MaxSupportedLogArity}], got {MaxLogArity}";
        return null;
    }

    /// <summary>
    /// Why these input heights are unusable (they must be non-empty, strictly decreasing and at most the two-adicity; the
    /// tallest at least LogFinalDomain, where FRI stops; the lower ones, lifted into it, at least LogBlowup), or null when
    /// they are fine.
    /// </summary>
    internal string? LogHeightsProblem(IReadOnlyList<int> logHeights)
    {
        if (logHeights.Count == 0) return "no input codewords";
        if (logHeights[0] > BabyBear.TwoAdicity)
            return $"input 0 has log-height {logHeights[0]}, above BabyBear's two-adicity {BabyBear.TwoAdicity}";
        if (logHeights[0] < LogFinalDomain)
            return $"input 0 has log-height {logHeights[0]}, below LogBlowup + LogFinalPolyLength = {LogFinalDomain}";
        for (int j = 1; j < logHeights.Count; j++)
        {
            if (logHeights[j] < LogBlowup)
                return $"input {j} has log-height {logHeights[j]}, below LogBlowup = {LogBlowup}";
            if (logHeights[j] >= logHeights[j - 1])
                return $"input heights must be strictly decreasing, got log-heights {logHeights[j - 1]} then {logHeights[j]} at input {j}";
        }
        return null;
    }
}
