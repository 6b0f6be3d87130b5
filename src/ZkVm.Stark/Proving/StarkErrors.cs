namespace ZkVm.Stark.Proving;

/// <summary>Stable codes of STARK proof rejections (docs/ERRORS.md, range ZK34xx).</summary>
public static class StarkErrors
{
    public const string Malformed = "ZK3401";
    public const string StatementMismatch = "ZK3402";
    public const string OutOfDomainPoint = "ZK3403";
    public const string ConstraintsViolated = "ZK3404";
    public const string BusUnbalanced = "ZK3405";
    public const string OpeningMismatch = "ZK3406";
    public const string LogUpProofOfWork = "ZK3407";
    /// <summary>The proof of work before ζ or before the DEEP batching coefficients does not verify.</summary>
    public const string ChallengeProofOfWork = "ZK3408";
}
