namespace ZkVm.Build.Tasks;

/// <summary>Codes the build adds to the engine's own (docs/ERRORS.md, ZK60xx; ZK2205 for GCC warnings).</summary>
public static class BuildErrors
{
    public const string CompilerWarning = "ZK2205";
    public const string ToolFailed = "ZK6001";
    public const string GuestExitCode = "ZK6002";
    public const string NoProofs = "ZK6003";
    public const string ProofRejected = "ZK6004";
}
