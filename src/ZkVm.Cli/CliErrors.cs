namespace ZkVm.Cli;

/// <summary>Stable error codes of the command-line tool (docs/ERRORS.md, range ZK00xx).</summary>
public static class CliErrors
{
    public const string Usage = "ZK0001";
    public const string BadOption = "ZK0002";
}
