using System.Runtime.InteropServices;

namespace ZkVm.Riscv.Isa;

/// <summary>
/// A decoded instruction, 8 bytes. <see cref="Imm"/> is the sign-extended immediate in the
/// instruction's own terms: the pc offset for branches and JAL, the value already shifted left by
/// 12 for LUI/AUIPC, the shift amount for SLLI/SRLI/SRAI, the pred/succ bits for FENCE.
/// Unused register fields are 0.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly record struct Instruction(Opcode Op, byte Rd, byte Rs1, byte Rs2, int Imm)
{
    public OpcodeSpec Spec => OpcodeTable.Get(Op);

    /// <summary>Whether the instruction reads rs1: its format has the field (R, I, IShift, S, B).</summary>
    public bool ReadsRs1 => Spec.Format is InstructionFormat.R or InstructionFormat.I or InstructionFormat.IShift or InstructionFormat.S or InstructionFormat.B;

    /// <summary>Whether the instruction reads rs2: its format has the field (R, S, B).</summary>
    public bool ReadsRs2 => Spec.Format is InstructionFormat.R or InstructionFormat.S or InstructionFormat.B;

    /// <summary>
    /// Whether the instruction writes a register: its format has rd (R, I, IShift, U, J) and rd is not x0,
    /// whose writes are dropped. ECALL's register effects are the syscall's, not this.
    /// </summary>
    public bool WritesRd => Rd != 0 && Spec.Format is InstructionFormat.R or InstructionFormat.I or InstructionFormat.IShift or InstructionFormat.U or InstructionFormat.J;
}
