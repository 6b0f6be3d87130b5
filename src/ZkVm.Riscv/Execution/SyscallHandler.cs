namespace ZkVm.Riscv.Execution;

/// <summary>The host side of ECALL over the guest's memory (docs/GUEST_ABI.md). Registers: a7
/// the number, a0..a2 the arguments; READ returns the count in a0, CYCLES the count in a0 (low) and a1 (high).</summary>
static class SyscallHandler
{
    const int A0 = 10, A1 = 11, A2 = 12, A7 = 17;

    /// <summary>Runs the syscall; returns true when the guest halted (exit code in a0).
    /// <paramref name="cycle"/> is the number of instructions retired before this ECALL.</summary>
    public static bool Execute(uint[] regs, ulong cycle, uint pc, PagedMemory memory, GuestIo io)
    {
        switch (regs[A7])
        {
            case Syscalls.Halt:
                return true;
            case Syscalls.Read:
            {
                var bytes = io.TakeInput((int)Length(regs[A1], pc));
                memory.WriteBytes(regs[A0], bytes, pc);
                regs[A0] = (uint)bytes.Length;
                return false;
            }
            case Syscalls.Write:
            {
                uint fd = regs[A0];
                if (fd is not (1 or 2))
                    throw new TrapException(new Trap(TrapCause.BadSyscallArgument, pc, $"WRITE to fd {fd}; only 1 (stdout) and 2 (stderr) exist"));
                var bytes = Copy(memory, regs[A1], regs[A2], pc);
                if (io.Stdout.Length + io.Stderr.Length + bytes.Length > GuestIo.MaxOutputBytes)
                    throw new TrapException(new Trap(TrapCause.BadSyscallArgument, pc, $"guest output exceeds {GuestIo.MaxOutputBytes} bytes"));
                (fd == 1 ? io.Stdout : io.Stderr).Write(bytes);
                return false;
            }
            case Syscalls.Commit:
            {
                var bytes = Copy(memory, regs[A0], regs[A1], pc);
                if (io.Journal.Length + bytes.Length > GuestIo.MaxOutputBytes)
                    throw new TrapException(new Trap(TrapCause.BadSyscallArgument, pc, $"journal exceeds {GuestIo.MaxOutputBytes} bytes"));
                io.Journal.Write(bytes);
                return false;
            }
            case Syscalls.Cycles:
                regs[A0] = (uint)cycle;
                regs[A1] = (uint)(cycle >> 32);
                return false;
            default:
                throw new TrapException(new Trap(TrapCause.UnknownSyscall, pc, $"syscall number {regs[A7]} in a7 is not defined"));
        }
    }

    static uint Length(uint length, uint pc) => length <= Syscalls.MaxTransfer
        ? length
        : throw new TrapException(new Trap(TrapCause.BadSyscallArgument, pc, $"length {length} exceeds the per-call limit of {Syscalls.MaxTransfer} bytes"));

    static byte[] Copy(PagedMemory memory, uint address, uint length, uint pc)
    {
        var bytes = new byte[Length(length, pc)];
        memory.ReadBytes(address, bytes, pc);
        return bytes;
    }
}
