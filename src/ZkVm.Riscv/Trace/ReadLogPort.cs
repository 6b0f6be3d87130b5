using ZkVm.Riscv.Execution;

namespace ZkVm.Riscv.Trace;

/// <summary>A port with no memory: loads and READ's count come from a slice of pass 1's read log;
/// stores, WRITE and COMMIT change nothing that re-execution needs.</summary>
public sealed class ReadLogPort(ReadOnlyMemory<uint> log) : IDataPort
{
    int position;

    public bool Exhausted => position == log.Length;

    public uint Load(uint address, int size, uint pc) => Next(pc);

    public void Store(uint address, uint value, int size, uint pc) { }

    public bool Syscall(uint[] regs, ulong cycle, uint pc)
    {
        switch (regs[17])
        {
            case Syscalls.Halt:
                return true;
            case Syscalls.Read:
                regs[10] = Next(pc);
                return false;
            case Syscalls.Cycles:
                regs[10] = (uint)cycle;
                regs[11] = (uint)(cycle >> 32);
                return false;
            default:
                return false;
        }
    }

    uint Next(uint pc) => position < log.Length
        ? log.Span[position++]
        : throw new ZkVmException(TraceError.LogMismatch, $"the read log slice ended at pc 0x{pc:x8}; it does not belong to this chunk");
}
