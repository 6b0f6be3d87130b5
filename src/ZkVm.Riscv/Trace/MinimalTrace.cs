using ZkVm.Riscv.Execution;

namespace ZkVm.Riscv.Trace;

/// <summary>
/// What pass 1 keeps of a run (ZisK's minimal trace): a register checkpoint every
/// <see cref="Interval"/> cycles, and the log of values the guest read from memory or from the host
/// (load results, READ's count), whose older part may live in a temporary file until the trace is disposed.
/// </summary>
public sealed class MinimalTrace(
    ExecutionResult result,
    ulong interval,
    IReadOnlyList<Checkpoint> checkpoints,
    ReadLog readLog) : IDisposable
{
    public ExecutionResult Result { get; } = result;
    public ulong Interval { get; } = interval;
    public IReadOnlyList<Checkpoint> Checkpoints { get; } = checkpoints;
    public ReadLog ReadLog { get; } = readLog;

    /// <summary>Chunk i: its starting checkpoint, its slice of the read log and how many instructions it retires.</summary>
    public (Checkpoint Start, ReadOnlyMemory<uint> ReadLog, ulong Cycles) Chunk(int i)
    {
        var start = Checkpoints[i];
        bool last = i + 1 == Checkpoints.Count;
        long logEnd = last ? ReadLog.Count : Checkpoints[i + 1].ReadLogPosition;
        ulong end = last ? Result.Cycles : Checkpoints[i + 1].Cycle;
        return (start, ReadLog.Slice(start.ReadLogPosition, checked((int)(logEnd - start.ReadLogPosition))), end - start.Cycle);
    }

    public void Dispose() => ReadLog.Dispose();
}
