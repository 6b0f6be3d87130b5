namespace ZkVm.Riscv.Execution;

/// <summary>Limits of one run and, for the recording pass, the checkpoint interval.</summary>
public sealed record ExecutionOptions
{
    /// <summary>2^32 − 1: the most a recorded run (one trace) can count.</summary>
    public const ulong DefaultMaxCycles = uint.MaxValue;

    public ulong MaxCycles { get; init; } = DefaultMaxCycles;

    public long MemoryLimitBytes { get; init; } = GuestMemoryMap.DefaultMemoryLimitBytes;

    /// <summary>Cycles between two register checkpoints of pass 1 (ZisK uses 2^18).</summary>
    public ulong CheckpointInterval { get; init; } = 1UL << 18;

    /// <summary>Read-log entries a recording run keeps in memory; past them, older blocks move to a temporary file (<see cref="Trace.ReadLog"/>).</summary>
    public int ReadLogMemoryEntries { get; init; } = Trace.ReadLog.DefaultMemoryEntries;

    /// <summary>Stops the run with an <see cref="OperationCanceledException"/>: checked at every checkpoint of a recording run,
    /// and every <see cref="CancellationCycles"/> cycles of a plain one (a few tens of milliseconds).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Cycles a plain run executes between two looks at <see cref="Cancellation"/>, when it can be cancelled.</summary>
    public const ulong CancellationCycles = 1UL << 24;

    /// <summary>How the guest's instructions run: on the JIT (the default; hot code compiled to native code) or the interpreter, with the
    /// same results, cycle for cycle.</summary>
    public ExecutionEngine Engine { get; init; } = ExecutionEngine.Jit;

    /// <summary>The JIT engine interprets a run's first this many cycles (a few milliseconds), so that a short run, which compiling
    /// could not pay back, runs as fast as on the interpreter; tests set 0.</summary>
    internal ulong JitAfterCycles { get; init; } = 1UL << 20;

    /// <summary>The JIT compiles a region on this many entries to it (docs/PERFORMANCE.md, "JIT"): colder code stays interpreted.</summary>
    internal int JitHotEntries { get; init; } = 256;

    /// <summary>The JIT compiles on a thread-pool thread while the run goes on interpreting; tests turn it off to compile at once.</summary>
    internal bool JitCompilesInBackground { get; init; } = true;

    public static ExecutionOptions Default { get; } = new();
}
