namespace ZkVm;

/// <summary>Which soundness analysis a figure rests on.</summary>
public enum SecurityRegime
{
    /// <summary>Provable: FRI in the unique decoding regime (list size 1).</summary>
    Proven,

    /// <summary>ethSTARK toy-problem conjecture for FRI; the capacity conjectures behind it were disproved in 2025.</summary>
    Conjectured,
}
