namespace ZkVm.Riscv.Isa;

/// <summary>Decodes a 32-bit word by the masks of <see cref="OpcodeTable"/>.</summary>
public static class Decoder
{
    // The table grouped by major opcode (the low 7 bits), so a word is matched against few lines.
    static readonly OpcodeSpec[][] ByMajor = Enumerable.Range(0, 128)
        .Select(major => OpcodeTable.All.Where(s => (s.Match & 0x7F) == major).ToArray())
        .ToArray();

    public static Instruction Decode(uint word)
    {
        foreach (var spec in ByMajor[word & 0x7F])
            if ((word & spec.Mask) == spec.Match)
                return Fields(spec, word);
        return default;
    }

    static Instruction Fields(OpcodeSpec spec, uint word)
    {
        byte rd = (byte)((word >> 7) & 31), rs1 = (byte)((word >> 15) & 31), rs2 = (byte)((word >> 20) & 31);
        int s = (int)word;
        return spec.Format switch
        {
            InstructionFormat.R => new(spec.Opcode, rd, rs1, rs2, 0),
            InstructionFormat.I => new(spec.Opcode, rd, rs1, 0, s >> 20),
            InstructionFormat.IShift => new(spec.Opcode, rd, rs1, 0, (int)rs2),
            InstructionFormat.S => new(spec.Opcode, 0, rs1, rs2, (s >> 25 << 5) | (int)((word >> 7) & 31)),
            InstructionFormat.B => new(spec.Opcode, 0, rs1, rs2,
                (s >> 31 << 12) | (int)((word << 4) & 0x800) | (int)((word >> 20) & 0x7E0) | (int)((word >> 7) & 0x1E)),
            InstructionFormat.U => new(spec.Opcode, rd, 0, 0, (int)(word & 0xFFFF_F000)),
            InstructionFormat.J => new(spec.Opcode, rd, 0, 0,
                (s >> 31 << 20) | (int)(word & 0xF_F000) | (int)((word >> 9) & 0x800) | (int)((word >> 20) & 0x7FE)),
            InstructionFormat.Fence => new(spec.Opcode, 0, 0, 0, (int)(word >> 20)),
            _ => new(spec.Opcode, 0, 0, 0, 0),
        };
    }
}
