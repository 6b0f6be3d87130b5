namespace ZkVm.Riscv.Execution;

/// <summary>Why a run stopped without HALT. Each cause has its stable code in <see cref="TrapCodes"/>.</summary>
public enum TrapCause
{
    IllegalInstruction,
    Breakpoint,
    MisalignedAccess,
    UnmappedAccess,
    BadJumpTarget,
    CycleLimit,
    MemoryLimit,
    UnknownSyscall,
    BadSyscallArgument,
    ReadOnlyWrite,
}
