using System.Diagnostics;

namespace ZkVm.Stark.Proving;

/// <summary>
/// Where a proof's time went, phase by phase: fixed (fixed-column LDE and commitment), main (trace LDEs
/// and commitment), logup (LogUp columns), quotient (constraint evaluation, split, LDE, commitment),
/// openings (at ζ and ζω), deep (DEEP quotients), fri, queries (Merkle openings).
/// </summary>
public sealed class ProverPhases
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public List<(string Phase, TimeSpan Time)> Phases { get; } = [];

    /// <summary>Called with each phase's name as it ends (progress reporting).</summary>
    public Action<string>? Completed { get; init; }

    /// <summary>Records the time since the previous mark under <paramref name="phase"/>.</summary>
    internal void Mark(string phase)
    {
        Phases.Add((phase, clock.Elapsed));
        Completed?.Invoke(phase);
        clock.Restart();
    }
}
