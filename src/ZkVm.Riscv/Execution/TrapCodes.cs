namespace ZkVm.Riscv.Execution;

/// <summary>Stable codes of traps (docs/ERRORS.md, ZK21xx).</summary>
public static class TrapCodes
{
    public static string Of(TrapCause cause) => cause switch
    {
        TrapCause.IllegalInstruction => "ZK2101",
        TrapCause.Breakpoint => "ZK2102",
        TrapCause.MisalignedAccess => "ZK2103",
        TrapCause.UnmappedAccess => "ZK2104",
        TrapCause.BadJumpTarget => "ZK2105",
        TrapCause.CycleLimit => "ZK2106",
        TrapCause.MemoryLimit => "ZK2107",
        TrapCause.UnknownSyscall => "ZK2108",
        TrapCause.BadSyscallArgument => "ZK2109",
        TrapCause.ReadOnlyWrite => "ZK2113",
        _ => throw new ArgumentOutOfRangeException(nameof(cause)),
    };
}
