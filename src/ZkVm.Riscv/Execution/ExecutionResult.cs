namespace ZkVm.Riscv.Execution;

/// <summary>The outcome of one run: either an exit code (HALT) or a <see cref="Trap"/>.</summary>
public sealed record ExecutionResult(
    int? ExitCode,
    Trap? Trap,
    ulong Cycles,
    uint FinalPc,
    uint[] Registers,
    byte[] Journal,
    byte[] Stdout,
    byte[] Stderr,
    long MemoryBytes)
{
    /// <summary>Halted with exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
