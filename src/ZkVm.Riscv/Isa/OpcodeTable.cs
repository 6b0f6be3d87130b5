namespace ZkVm.Riscv.Isa;

/// <summary>
/// The RV32IM opcode table, written as data: major opcode, funct3 and funct7 per instruction
/// (RISC-V unprivileged spec, chapter 37 "RV32/64G Instruction Set Listings").
/// The decoder and disassembler read nothing else; the source generator will read the same lines.
/// </summary>
public static class OpcodeTable
{
    const uint OpLui = 0x37, OpAuipc = 0x17, OpJal = 0x6F, OpJalr = 0x67, OpBranch = 0x63, OpLoad = 0x03,
        OpStore = 0x23, OpImm = 0x13, OpReg = 0x33, OpMiscMem = 0x0F, OpSystem = 0x73;
    const uint MaskOpcode = 0x7F, MaskFunct3 = 0x7000, MaskFunct7 = 0xFE00_0000;

    public static readonly IReadOnlyList<OpcodeSpec> All =
    [
        U(Opcode.Lui, "lui", OpLui, InstructionFamily.UpperImmediate),
        U(Opcode.Auipc, "auipc", OpAuipc, InstructionFamily.UpperImmediate),
        new(Opcode.Jal, "jal", InstructionFormat.J, InstructionFamily.Jump, MaskOpcode, OpJal),
        F3(Opcode.Jalr, "jalr", InstructionFormat.I, InstructionFamily.Jump, OpJalr, 0),

        F3(Opcode.Beq, "beq", InstructionFormat.B, InstructionFamily.Branch, OpBranch, 0),
        F3(Opcode.Bne, "bne", InstructionFormat.B, InstructionFamily.Branch, OpBranch, 1),
        F3(Opcode.Blt, "blt", InstructionFormat.B, InstructionFamily.Branch, OpBranch, 4),
        F3(Opcode.Bge, "bge", InstructionFormat.B, InstructionFamily.Branch, OpBranch, 5),
        F3(Opcode.Bltu, "bltu", InstructionFormat.B, InstructionFamily.Branch, OpBranch, 6),
        F3(Opcode.Bgeu, "bgeu", InstructionFormat.B, InstructionFamily.Branch, OpBranch, 7),

        F3(Opcode.Lb, "lb", InstructionFormat.I, InstructionFamily.Load, OpLoad, 0),
        F3(Opcode.Lh, "lh", InstructionFormat.I, InstructionFamily.Load, OpLoad, 1),
        F3(Opcode.Lw, "lw", InstructionFormat.I, InstructionFamily.Load, OpLoad, 2),
        F3(Opcode.Lbu, "lbu", InstructionFormat.I, InstructionFamily.Load, OpLoad, 4),
        F3(Opcode.Lhu, "lhu", InstructionFormat.I, InstructionFamily.Load, OpLoad, 5),
        F3(Opcode.Sb, "sb", InstructionFormat.S, InstructionFamily.Store, OpStore, 0),
        F3(Opcode.Sh, "sh", InstructionFormat.S, InstructionFamily.Store, OpStore, 1),
        F3(Opcode.Sw, "sw", InstructionFormat.S, InstructionFamily.Store, OpStore, 2),

        F3(Opcode.Addi, "addi", InstructionFormat.I, InstructionFamily.Alu, OpImm, 0),
        F3(Opcode.Slti, "slti", InstructionFormat.I, InstructionFamily.Compare, OpImm, 2),
        F3(Opcode.Sltiu, "sltiu", InstructionFormat.I, InstructionFamily.Compare, OpImm, 3),
        F3(Opcode.Xori, "xori", InstructionFormat.I, InstructionFamily.Alu, OpImm, 4),
        F3(Opcode.Ori, "ori", InstructionFormat.I, InstructionFamily.Alu, OpImm, 6),
        F3(Opcode.Andi, "andi", InstructionFormat.I, InstructionFamily.Alu, OpImm, 7),
        F7(Opcode.Slli, "slli", InstructionFormat.IShift, InstructionFamily.Shift, OpImm, 1, 0x00),
        F7(Opcode.Srli, "srli", InstructionFormat.IShift, InstructionFamily.Shift, OpImm, 5, 0x00),
        F7(Opcode.Srai, "srai", InstructionFormat.IShift, InstructionFamily.Shift, OpImm, 5, 0x20),

        F7(Opcode.Add, "add", InstructionFormat.R, InstructionFamily.Alu, OpReg, 0, 0x00),
        F7(Opcode.Sub, "sub", InstructionFormat.R, InstructionFamily.Alu, OpReg, 0, 0x20),
        F7(Opcode.Sll, "sll", InstructionFormat.R, InstructionFamily.Shift, OpReg, 1, 0x00),
        F7(Opcode.Slt, "slt", InstructionFormat.R, InstructionFamily.Compare, OpReg, 2, 0x00),
        F7(Opcode.Sltu, "sltu", InstructionFormat.R, InstructionFamily.Compare, OpReg, 3, 0x00),
        F7(Opcode.Xor, "xor", InstructionFormat.R, InstructionFamily.Alu, OpReg, 4, 0x00),
        F7(Opcode.Srl, "srl", InstructionFormat.R, InstructionFamily.Shift, OpReg, 5, 0x00),
        F7(Opcode.Sra, "sra", InstructionFormat.R, InstructionFamily.Shift, OpReg, 5, 0x20),
        F7(Opcode.Or, "or", InstructionFormat.R, InstructionFamily.Alu, OpReg, 6, 0x00),
        F7(Opcode.And, "and", InstructionFormat.R, InstructionFamily.Alu, OpReg, 7, 0x00),

        F3(Opcode.Fence, "fence", InstructionFormat.Fence, InstructionFamily.Fence, OpMiscMem, 0),
        new(Opcode.Ecall, "ecall", InstructionFormat.System, InstructionFamily.Syscall, 0xFFFF_FFFF, 0x0000_0073),
        new(Opcode.Ebreak, "ebreak", InstructionFormat.System, InstructionFamily.Syscall, 0xFFFF_FFFF, 0x0010_0073),

        F7(Opcode.Mul, "mul", InstructionFormat.R, InstructionFamily.Multiply, OpReg, 0, 0x01),
        F7(Opcode.Mulh, "mulh", InstructionFormat.R, InstructionFamily.Multiply, OpReg, 1, 0x01),
        F7(Opcode.Mulhsu, "mulhsu", InstructionFormat.R, InstructionFamily.Multiply, OpReg, 2, 0x01),
        F7(Opcode.Mulhu, "mulhu", InstructionFormat.R, InstructionFamily.Multiply, OpReg, 3, 0x01),
        F7(Opcode.Div, "div", InstructionFormat.R, InstructionFamily.DivRem, OpReg, 4, 0x01),
        F7(Opcode.Divu, "divu", InstructionFormat.R, InstructionFamily.DivRem, OpReg, 5, 0x01),
        F7(Opcode.Rem, "rem", InstructionFormat.R, InstructionFamily.DivRem, OpReg, 6, 0x01),
        F7(Opcode.Remu, "remu", InstructionFormat.R, InstructionFamily.DivRem, OpReg, 7, 0x01),
    ];

    static readonly OpcodeSpec[] ByOpcode = BuildIndex();

    public static OpcodeSpec Get(Opcode opcode) => ByOpcode[(int)opcode];

    static OpcodeSpec[] BuildIndex()
    {
        var index = new OpcodeSpec[Enum.GetValues<Opcode>().Length];
        foreach (var spec in All)
            index[(int)spec.Opcode] = spec;
        index[(int)Opcode.Illegal] = new(Opcode.Illegal, "illegal", InstructionFormat.System, InstructionFamily.Syscall, 0, 0);
        return index;
    }

    static OpcodeSpec U(Opcode op, string mnemonic, uint opcode, InstructionFamily family) =>
        new(op, mnemonic, InstructionFormat.U, family, MaskOpcode, opcode);

    static OpcodeSpec F3(Opcode op, string mnemonic, InstructionFormat format, InstructionFamily family, uint opcode, uint funct3) =>
        new(op, mnemonic, format, family, MaskOpcode | MaskFunct3, opcode | funct3 << 12);

    static OpcodeSpec F7(Opcode op, string mnemonic, InstructionFormat format, InstructionFamily family, uint opcode, uint funct3, uint funct7) =>
        new(op, mnemonic, format, family, MaskOpcode | MaskFunct3 | MaskFunct7, opcode | funct3 << 12 | funct7 << 25);
}
