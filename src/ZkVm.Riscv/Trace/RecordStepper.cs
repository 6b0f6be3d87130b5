using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Trace;

/// <summary>
/// Executes one instruction at a time and describes it as an <see cref="ExecutionRecord"/>. Over a
/// <see cref="MemoryPort"/> it is a complete reference run; over a <see cref="ReadLogPort"/> it is
/// pass 2's memoryless re-execution. Faults surface as <see cref="TrapException"/>.
/// </summary>
sealed class RecordStepper<TPort>(HarvardProgram program, TPort port) where TPort : IDataPort
{
    public TPort Port { get; } = port;

    /// <summary>Executes the instruction at pc; returns true when it was a HALT.</summary>
    public bool Step(uint[] regs, ref uint pc, ulong cycle, out ExecutionRecord record)
    {
        if (!program.IsCode(pc))
            throw new TrapException(new Trap(TrapCause.BadJumpTarget, pc, "execution reached an address outside the code segments"));
        var ins = program.Rom[program.IndexOf(pc)];
        var spec = ins.Spec;
        uint a = regs[ins.Rs1], b = regs[ins.Rs2], result = 0, memAddress = 0, memValue = 0, next = pc + 4;
        switch (spec.Family)
        {
            case InstructionFamily.Alu or InstructionFamily.Shift or InstructionFamily.Compare or InstructionFamily.Multiply or InstructionFamily.DivRem:
                result = Alu.Compute(ins.Op, a, spec.Format == InstructionFormat.R ? b : (uint)ins.Imm);
                break;
            case InstructionFamily.UpperImmediate:
                result = ins.Op == Opcode.Lui ? (uint)ins.Imm : pc + (uint)ins.Imm;
                break;
            case InstructionFamily.Jump:
                next = ins.Op == Opcode.Jal ? pc + (uint)ins.Imm : (a + (uint)ins.Imm) & ~1u;
                CheckTarget(next, pc);
                result = pc + 4;
                break;
            case InstructionFamily.Branch:
                if (Alu.Taken(ins.Op, a, b))
                {
                    next = pc + (uint)ins.Imm;
                    CheckTarget(next, pc);
                }
                break;
            case InstructionFamily.Load:
            {
                int size = Alu.AccessSize(ins.Op);
                memAddress = Aligned(a + (uint)ins.Imm, size, pc);
                memValue = Port.Load(memAddress, size, pc);
                result = Alu.Extend(ins.Op, memValue);
                break;
            }
            case InstructionFamily.Store:
            {
                int size = Alu.AccessSize(ins.Op);
                memAddress = Aligned(a + (uint)ins.Imm, size, pc);
                memValue = b & Alu.SizeMask(size);
                Port.Store(memAddress, memValue, size, pc);
                break;
            }
            case InstructionFamily.Fence:
                break;
            case InstructionFamily.Extension:
                result = program.InstructionSet.Compute(ins.Op, a, spec.Format == InstructionFormat.R ? b : (uint)ins.Imm);
                break;
            default:
                if (ins.Op == Opcode.Illegal)
                    throw new TrapException(new Trap(TrapCause.IllegalInstruction, pc, $"0x{program.Words[program.IndexOf(pc)]:x8} is not an RV32IM instruction"));
                if (ins.Op == Opcode.Ebreak)
                    throw new TrapException(new Trap(TrapCause.Breakpoint, pc, "EBREAK"));
                var registers = new SyscallRegisters(regs[17], regs[10], regs[11], regs[12], 0);
                bool halted = Port.Syscall(regs, cycle, pc);
                record = ExecutionRecord.OfSyscall(cycle, pc, ins, registers with { Result = regs[10] }, halted ? pc : next);
                pc = record.NextPc;
                return halted;
        }
        if (ins.WritesRd)
            regs[ins.Rd] = result;
        record = new ExecutionRecord(cycle, pc, ins, a, b, regs[ins.Rd], memAddress, memValue, next);
        pc = next;
        return false;
    }

    void CheckTarget(uint target, uint pc)
    {
        if (!program.IsCode(target))
            throw new TrapException(new Trap(TrapCause.BadJumpTarget, pc, $"jump to 0x{target:x8}, which is not an aligned code address"));
    }

    static uint Aligned(uint address, int size, uint pc) => (address & (uint)(size - 1)) == 0
        ? address
        : throw new TrapException(new Trap(TrapCause.MisalignedAccess, pc, $"{size}-byte access at misaligned address 0x{address:x8}"));
}
