using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;

namespace ZkVm.Riscv.Trace;

/// <summary>A port over real guest memory and host I/O: stepping with it is a complete (slow) run.</summary>
public sealed class MemoryPort(HarvardProgram program, ReadOnlyMemory<byte> input, ExecutionOptions options) : IDataPort
{
    readonly PagedMemory memory = new(program, options.MemoryLimitBytes);

    public GuestIo Io { get; } = new(input);

    public uint Load(uint address, int size, uint pc) => memory.Load(address, size, pc);

    public void Store(uint address, uint value, int size, uint pc) => memory.Store(address, value, size, pc);

    public bool Syscall(uint[] regs, ulong cycle, uint pc) => SyscallHandler.Execute(regs, cycle, pc, memory, Io, program.InstructionSet);
}
