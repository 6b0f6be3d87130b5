namespace ZkVm.Stark.Proving;

/// <summary>
/// The stages of proving a run, in the order they run: the machine's (execution, re-execution, memory
/// replay, traces), then the STARK prover's (<see cref="ProverPhases"/>). One list for progress reports,
/// timings and benchmarks of both layers.
/// </summary>
public enum ProvingStage
{
    Execute,
    ReExecute,
    Memory,
    Traces,
    Fixed,
    Main,
    LogUp,
    Quotient,
    Openings,
    Deep,
    Fri,
    Queries,
}

public static class ProvingStages
{
    /// <summary>Every stage, in order.</summary>
    public static IReadOnlyList<ProvingStage> All { get; } = Enum.GetValues<ProvingStage>();

    /// <summary>The stage's name in progress reports and benchmark results: "re-execute", "logup", ….</summary>
    public static string Name(this ProvingStage stage) =>
        stage == ProvingStage.ReExecute ? "re-execute" : stage.ToString().ToLowerInvariant();
}
