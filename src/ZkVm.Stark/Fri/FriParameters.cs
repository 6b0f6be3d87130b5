using ZkVm.Field;

namespace ZkVm.Stark.Fri;

/// <summary>
/// FRI with arity 2: codewords are folded until 2^(LogBlowup + LogFinalPolyLength) values remain, whose
/// polynomial (2^LogFinalPolyLength coefficients) is sent in clear; NumQueries queries follow
/// QueryPowBits bits of grinding. Each folding challenge β_k follows CommitPowBits bits of grinding.
/// </summary>
public sealed record FriParameters(int LogBlowup, int LogFinalPolyLength, int NumQueries, int QueryPowBits, int CommitPowBits = 0)
{
    /// <summary>Upper bound on queries, so that a configuration cannot make the verifier loop without end.</summary>
    public const int MaxQueries = 1 << 12;

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
        return null;
    }

    /// <summary>
    /// Why these input heights are unusable (they must be non-empty, strictly decreasing, at least
    /// LogFinalDomain and at most the two-adicity), or null when they are fine.
    /// </summary>
    internal string? LogHeightsProblem(IReadOnlyList<int> logHeights)
    {
        if (logHeights.Count == 0) return "no input codewords";
        if (logHeights[0] > BabyBear.TwoAdicity)
            return $"input 0 has log-height {logHeights[0]}, above BabyBear's two-adicity {BabyBear.TwoAdicity}";
        for (int j = 0; j < logHeights.Count; j++)
        {
            if (logHeights[j] < LogFinalDomain)
                return $"input {j} has log-height {logHeights[j]}, below LogBlowup + LogFinalPolyLength = {LogFinalDomain}";
            if (j > 0 && logHeights[j] >= logHeights[j - 1])
                return $"input heights must be strictly decreasing, got log-heights {logHeights[j - 1]} then {logHeights[j]} at input {j}";
        }
        return null;
    }
}
