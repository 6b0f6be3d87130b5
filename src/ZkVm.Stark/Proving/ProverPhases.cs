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

    public List<(ProvingStage Stage, TimeSpan Time)> Phases { get; } = [];

    /// <summary>Per table, the time of the phases that work table by table: main (LDE), logup (columns and LDE), quotient (evaluation and LDE).</summary>
    public List<(ProvingStage Stage, string Table, TimeSpan Time)> TableTimes { get; } = [];

    /// <summary>Called with each phase as it ends (progress reporting).</summary>
    public Action<ProvingStage>? Completed { get; init; }

    internal void MarkTable(ProvingStage stage, string table, long startTimestamp) =>
        TableTimes.Add((stage, table, Stopwatch.GetElapsedTime(startTimestamp)));

    /// <summary>Records the time since the previous mark under <paramref name="stage"/>.</summary>
    internal void Mark(ProvingStage stage)
    {
        Phases.Add((stage, clock.Elapsed));
        Completed?.Invoke(stage);
        clock.Restart();
    }
}
