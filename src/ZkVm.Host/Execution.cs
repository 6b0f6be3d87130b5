using ZkVm.Riscv.Execution;

namespace ZkVm.Host;

/// <summary>A trap that ended a run: its stable code (ZK21xx), cause, pc and message.</summary>
public sealed record GuestTrap(string Code, string Cause, uint Pc, string Message)
{
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
    public GuestTrap Trap { get; } = trap;

    /// <summary>The trap's own code (ZK21xx).</summary>
    public string TrapCode => Trap.Code;

    public string Cause => Trap.Cause;

    public uint Pc => Trap.Pc;

    /// <summary>The function that holds <see cref="Pc"/>, as name+0xoffset, when the ELF has symbols.</summary>
    public string? Symbol { get; } = symbol;
}

/// <summary>
/// The outcome of <see cref="ZkProgram.Execute"/>: the exit code when the guest halted, otherwise the
/// trap; the journal it committed, the cycles it ran and what it wrote to stdout and stderr.
/// </summary>
public sealed record Execution(int? ExitCode, GuestTrap? Trap, byte[] Journal, ulong Cycles, byte[] Stdout, byte[] Stderr)
{
    /// <summary>The guest halted (with any exit code); only such a run can be proven.</summary>
    public bool Halted => Trap is null;

    /// <summary>Halted with exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    internal static Execution Of(ExecutionResult result) =>
        new(result.ExitCode, result.Trap is { } t ? GuestTrap.Of(t) : null, result.Journal, result.Cycles, result.Stdout, result.Stderr);
}
