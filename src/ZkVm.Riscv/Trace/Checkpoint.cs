namespace ZkVm.Riscv.Trace;

/// <summary>The machine state at the start of a chunk: everything memoryless re-execution needs
/// besides the chunk's slice of the read log, which starts at <see cref="ReadLogPosition"/>.</summary>
public sealed record Checkpoint(ulong Cycle, uint Pc, uint[] Registers, long ReadLogPosition);
