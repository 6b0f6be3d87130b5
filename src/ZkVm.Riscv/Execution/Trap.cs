namespace ZkVm.Riscv.Execution;

/// <summary>The end of a run that did not HALT: the cause, the pc of the faulting instruction and what happened there.</summary>
public sealed record Trap(TrapCause Cause, uint Pc, string Detail)
{
    public string Code => TrapCodes.Of(Cause);

    public string Message => $"{Cause} at pc 0x{Pc:x8}: {Detail}";

    public ZkVmException ToException() => new(Code, Message);
}
