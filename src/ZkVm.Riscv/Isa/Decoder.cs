namespace ZkVm.Riscv.Isa;

/// <summary>
/// Decodes a 32-bit word: <c>Decode</c>, which matches the word against the table's lines, is generated
/// from rv32im.opcodes; this half extracts the fields, whose places depend only on the format.
/// </summary>
public static partial class Decoder
{
    static Instruction Fields(Opcode op, InstructionFormat format, uint word)
    {
        byte rd = (byte)((word >> 7) & 31), rs1 = (byte)((word >> 15) & 31), rs2 = (byte)((word >> 20) & 31);
        int s = (int)word;
        return format switch
        {
            InstructionFormat.R => new(op, rd, rs1, rs2, 0),
            InstructionFormat.I => new(op, rd, rs1, 0, s >> 20),
            InstructionFormat.IShift => new(op, rd, rs1, 0, (int)rs2),
            InstructionFormat.S => new(op, 0, rs1, rs2, (s >> 25 << 5) | (int)((word >> 7) & 31)),
            InstructionFormat.B => new(op, 0, rs1, rs2,
                (s >> 31 << 12) | (int)((word << 4) & 0x800) | (int)((word >> 20) & 0x7E0) | (int)((word >> 7) & 0x1E)),
            InstructionFormat.U => new(op, rd, 0, 0, (int)(word & 0xFFFF_F000)),
            InstructionFormat.J => new(op, rd, 0, 0,
                (s >> 31 << 20) | (int)(word & 0xF_F000) | (int)((word >> 9) & 0x800) | (int)((word >> 20) & 0x7FE)),
            InstructionFormat.Fence => new(op, 0, 0, 0, (int)(word >> 20)),
            _ => new(op, 0, 0, 0, 0),
        };
    }
}
