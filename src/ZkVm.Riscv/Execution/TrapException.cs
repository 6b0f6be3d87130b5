namespace ZkVm.Riscv.Execution;

/// <summary>Unwinds from a fault deep in memory or syscall code to the run loop, which turns it into a result.</summary>
sealed class TrapException(Trap trap) : Exception(trap.Message)
{
    public Trap Trap { get; } = trap;
}
