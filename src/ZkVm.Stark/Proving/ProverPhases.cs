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

    /// <summary>Per table, the time of the phases that work table by table: main (LDE), logup (columns and LDE), quotient (evaluation and LDE).</summary>
    public List<(string Phase, string Table, TimeSpan Time)> TableTimes { get; } = [];

    /// <summary>Called with each phase's name as it ends (progress reporting).</summary>
    public Action<string>? Completed { get; init; }

    internal void MarkTable(string phase, string table, long startTimestamp) =>
        TableTimes.Add((phase, table, Stopwatch.GetElapsedTime(startTimestamp)));

    /// <summary>Records the time since the previous mark under <paramref name="phase"/>.</summary>
    internal void Mark(string phase)
    {
        Phases.Add((phase, clock.Elapsed));
        Completed?.Invoke(phase);
        clock.Restart();
    }
}
