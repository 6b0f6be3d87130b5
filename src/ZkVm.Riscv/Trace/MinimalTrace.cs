using ZkVm.Riscv.Execution;

namespace ZkVm.Riscv.Trace;

/// <summary>
/// What pass 1 keeps of a run (ZisK's minimal trace): a register checkpoint every
/// <see cref="Interval"/> cycles, the log of values the guest read from memory or from the host
/// (load results, READ's count).
/// </summary>
public sealed class MinimalTrace(
    ExecutionResult result,
    ulong interval,
    IReadOnlyList<Checkpoint> checkpoints,
    uint[] readLog)
{
    public ExecutionResult Result { get; } = result;
    public ulong Interval { get; } = interval;
    public IReadOnlyList<Checkpoint> Checkpoints { get; } = checkpoints;
    public uint[] ReadLog { get; } = readLog;

    /// <summary>Chunk i: its starting checkpoint, its slice of the read log and how many instructions it retires.</summary>
    public (Checkpoint Start, ReadOnlyMemory<uint> ReadLog, ulong Cycles) Chunk(int i)
    {
        var start = Checkpoints[i];
        bool last = i + 1 == Checkpoints.Count;
        int logEnd = last ? ReadLog.Length : Checkpoints[i + 1].ReadLogPosition;
        ulong end = last ? Result.Cycles : Checkpoints[i + 1].Cycle;
        return (start, ReadLog.AsMemory(start.ReadLogPosition, logEnd - start.ReadLogPosition), end - start.Cycle);
    }
}
