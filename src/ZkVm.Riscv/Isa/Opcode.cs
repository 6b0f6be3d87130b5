namespace ZkVm.Riscv.Isa;

/// <summary>Every RV32IM instruction; <see cref="Illegal"/> is 0 so a default ROM entry traps.</summary>
public enum Opcode : byte
{
    Illegal,
    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Lbu, Lhu, Sb, Sh, Sw,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Fence, Ecall, Ebreak,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
}
