namespace ZkVm.Riscv.Trace;

/// <summary>Stable codes of minimal-trace failures (docs/ERRORS.md).</summary>
public static class TraceError
{
    /// <summary>A checkpoint and read-log slice that do not replay as recorded.</summary>
    public const string LogMismatch = "ZK2110";

    /// <summary>The read log outgrew what one process can hold.</summary>
    public const string LogTooLarge = "ZK2111";

    /// <summary>A recording run was asked for more cycles than one trace can count.</summary>
    public const string RunTooLong = "ZK2112";
}
