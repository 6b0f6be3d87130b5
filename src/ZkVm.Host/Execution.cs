using ZkVm.Riscv.Execution;

namespace ZkVm.Host;

/// <summary>A trap that ended a run: its stable code (ZK21xx), cause, pc and message.</summary>
public sealed record GuestTrap(string Code, string Cause, uint Pc, string Message)
{
    public ZkVmException ToException() => new(Code, Message);

    internal static GuestTrap Of(Trap trap) => new(trap.Code, trap.Cause.ToString(), trap.Pc, trap.Message);
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
