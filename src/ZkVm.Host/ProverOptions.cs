using ZkVm.Machine;
using ZkVm.Stark.Security;

namespace ZkVm.Host;

/// <summary>How <see cref="ZkProgram.Prove"/> proves: the security preset and the cycle limit.</summary>
public sealed record ProverOptions
{
    /// <summary>The parameter set; a receipt records it and is verified in its regime.</summary>
    public SecurityPreset Preset { get; init; } = SecurityPreset.Proven100;

    /// <summary>Cycles after which the run stops without a proof; at most <see cref="MaxCyclesPerProof"/>.</summary>
    public ulong MaxCycles { get; init; } = MaxCyclesPerProof;

    /// <summary>The most cycles one proof covers.</summary>
    public const ulong MaxCyclesPerProof = MachineLayout.MaxCycles;

    public static ProverOptions Default { get; } = new();
}

/// <summary>
/// Where proving stands: <see cref="Stage"/> is the stage now running (one of <see cref="ZkProgram.Stages"/>,
/// or "done"), <see cref="Fraction"/> the share of stages already finished (0 to 1).
/// </summary>
public readonly record struct ProofProgress(string Stage, double Fraction);
