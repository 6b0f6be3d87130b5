using ZkVm.Riscv.Execution;

namespace ZkVm;

/// <summary>A trap that ended a run: its stable code (ZK21xx), cause, pc and message.</summary>
public sealed record GuestTrap(string Code, string Cause, uint Pc, string Message)
{
    /// <summary>The trap as the exception its code names, for callers that fail on it.</summary>
    public ZkVmException ToException() => new(Code, Message);

    internal static GuestTrap Of(Trap trap) => new(trap.Code, trap.Cause.ToString(), trap.Pc, trap.Message);
}

/// <summary>
/// A run that <see cref="ZkProgram.Prove"/> could not prove because the guest trapped or ran past the cycle limit (ZK5001), with
/// the trap's own code (ZK21xx), cause, pc and the function it was in.
/// </summary>
public sealed class GuestTrapException(GuestTrap trap, string? symbol, Exception? inner = null)
    : ZkVmException(Machine.MachineErrors.NotHalted, $"the guest did not halt ({trap.Code} {trap.Cause} at pc 0x{trap.Pc:x8}{(symbol is null ? "" : $", {symbol}")}): {trap.Message}", inner)
{
    /// <summary>The trap: code, cause, pc and message.</summary>
    public GuestTrap Trap { get; } = trap;

    /// <summary>The trap's own code (ZK21xx).</summary>
    public string TrapCode => Trap.Code;

    /// <summary>What trapped, as a <c>TrapCause</c> name: MisalignedLoad, CycleLimit, IllegalInstruction, ….</summary>
    public string Cause => Trap.Cause;

    /// <summary>The address of the instruction that trapped (for the cycle limit: the next one to run).</summary>
    public uint Pc => Trap.Pc;

    /// <summary>The function that holds <see cref="Pc"/>, as name+0xoffset, when the ELF has symbols.</summary>
    public string? Symbol { get; } = symbol;
}

/// <summary>
/// The outcome of <see cref="ZkProgram.Execute"/>: the exit code when the guest halted (a0 at HALT as the 32-bit value a
/// receipt's <see cref="Receipt.ExitCode"/> holds, so <c>exit(-1)</c> is 0xFFFFFFFF in both), otherwise the trap; the journal
/// it committed, the cycles it ran and what it wrote to stdout and stderr.
/// </summary>
public sealed record Execution(uint? ExitCode, GuestTrap? Trap, byte[] Journal, ulong Cycles, byte[] Stdout, byte[] Stderr)
{
    /// <summary>The guest halted (with any exit code); only such a run can be proven.</summary>
    public bool Halted => Trap is null;

    /// <summary>Halted with exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    internal static Execution Of(ExecutionResult result) =>
        new((uint?)result.ExitCode, result.Trap is { } t ? GuestTrap.Of(t) : null, result.Journal, result.Cycles, result.Stdout, result.Stderr);
}
