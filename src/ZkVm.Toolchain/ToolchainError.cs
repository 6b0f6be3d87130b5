namespace ZkVm.Toolchain;

/// <summary>Stable codes of guest compilation failures (docs/ERRORS.md, ZK22xx).</summary>
public static class ToolchainError
{
    public const string Missing = "ZK2201";
    public const string CompileFailed = "ZK2202";
    public const string NoSources = "ZK2203";
    public const string BadOption = "ZK2204";
}
