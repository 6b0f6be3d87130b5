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
}
