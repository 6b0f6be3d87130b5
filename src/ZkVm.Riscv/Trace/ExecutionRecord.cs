using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Trace;

/// <summary>
/// Everything one retired instruction did, the input of trace generation (pass 2).
/// Rs1Value/Rs2Value are the operands read, RdValue what rd holds afterwards (0 if none).
/// Loads and stores fill MemAddress and MemValue (the raw bytes moved, zero-extended).
/// ECALL keeps its registers in the same fields, so the record keeps its size; read them through <see cref="Syscall"/>.
/// </summary>
public readonly record struct ExecutionRecord(
    ulong Cycle,
    uint Pc,
    Instruction Instruction,
    uint Rs1Value,
    uint Rs2Value,
    uint RdValue,
    uint MemAddress,
    uint MemValue,
    uint NextPc)
{
    /// <summary>An ECALL's registers: a7 (the syscall's number), a0, a1 and a2 on entry, a0 on return.</summary>
    public SyscallRegisters Syscall => Instruction.Op == Opcode.Ecall
        ? new SyscallRegisters(Rs1Value, Rs2Value, MemAddress, MemValue, RdValue)
        : throw new InvalidOperationException($"{Instruction.Op} at 0x{Pc:x8} is not an ECALL");

    /// <summary>The record of an ECALL from its registers.</summary>
    public static ExecutionRecord OfSyscall(ulong cycle, uint pc, Instruction ecall, SyscallRegisters registers, uint nextPc) =>
        new(cycle, pc, ecall, registers.Number, registers.A0, registers.Result, registers.A1, registers.A2, nextPc);
}

/// <summary>The registers of one ECALL: <see cref="Number"/> (a7), <see cref="A0"/>–<see cref="A2"/> on entry, and a0 on return.</summary>
public readonly record struct SyscallRegisters(uint Number, uint A0, uint A1, uint A2, uint Result);
