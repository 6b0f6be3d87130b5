using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Execution;

/// <summary>The host side of ECALL over the guest's memory (docs/GUEST_ABI.md). Registers: a7
/// the number, a0..a2 the arguments; READ returns the count in a0, CYCLES the count in a0 (low) and a1 (high).</summary>
static class SyscallHandler
{
    const int A0 = 10, A1 = 11, A2 = 12, A7 = 17;

    /// <summary>Runs the syscall; returns true when the guest halted (exit code in a0).
    /// <paramref name="cycle"/> is the number of instructions retired before this ECALL.</summary>
    public static bool Execute(uint[] regs, ulong cycle, uint pc, PagedMemory memory, GuestIo io, InstructionSet isa)
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
                if (isa.Syscall(regs[A7]) is { } call)
                {
                    Accelerate(call, regs, pc, memory);
                    return false;
                }
                string hint = regs[A7] < ExtensionSyscall.FirstNumber ? ""
                    : isa.Syscalls.Count == 0 ? " (this machine has no extension syscalls; the accelerators need --extension accelerators)"
                    : $" by this machine's extensions ({string.Join(", ", isa.Syscalls.Select(s => $"{s.Number} {s.Name}"))})";
                throw new TrapException(new Trap(TrapCause.UnknownSyscall, pc, $"syscall number {regs[A7]} in a7 is not defined{hint}"));
        }
    }

    /// <summary>An extension's ECALL: reads the input at a1 and the state at a0, checks the state is writable, applies the
    /// operation and writes the state back, so a call that traps changes nothing.</summary>
    static void Accelerate(ExtensionSyscall call, uint[] regs, uint pc, PagedMemory memory)
    {
        Span<uint> input = stackalloc uint[call.InputWords];
        Span<uint> state = stackalloc uint[call.StateWords];
        uint inputAt = regs[A1], stateAt = regs[A0];
        memory.CheckRange(inputAt, 4 * input.Length, pc);
        memory.CheckRange(stateAt, 4 * state.Length, pc);
        for (int k = 0; k < input.Length; k++) input[k] = memory.Load(inputAt + 4 * (uint)k, 4, pc);
        for (int k = 0; k < state.Length; k++) state[k] = memory.Load(stateAt + 4 * (uint)k, 4, pc);
        for (int k = 0; k < state.Length; k++) memory.Store(stateAt + 4 * (uint)k, state[k], 4, pc);
        if (call.Apply(state, input) is { } problem)
            throw new TrapException(new Trap(TrapCause.BadSyscallArgument, pc, $"{call.Name}: {problem}"));
        for (int k = 0; k < state.Length; k++) memory.Store(stateAt + 4 * (uint)k, state[k], 4, pc);
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
