namespace ZkVm;

/// <summary>How pass 1 runs the guest: the same results, trace and traps either way (docs/PERFORMANCE.md, "JIT").</summary>
public enum ExecutionEngine
{
    /// <summary>Every instruction interpreted: the reference.</summary>
    Interpreter,

    /// <summary>The default: hot regions of the ROM compiled to native code through .NET's JIT, everything rare left to the
    /// interpreter; a run's first 2^20 cycles are interpreted.</summary>
    Jit,
}
