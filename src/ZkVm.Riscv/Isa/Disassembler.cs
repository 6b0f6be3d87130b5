namespace ZkVm.Riscv.Isa;

/// <summary>
/// Formats instructions exactly as GNU objdump 2.40 does by default (<c>objdump -d</c>, aliases on):
/// the first matching pseudo-instruction of binutils' opcode table wins (nop, li, mv, not, neg,
/// seqz, snez, sltz, sgtz, zext.b, beqz, bnez, bltz, bgtz, blez, bgez, j, jr, ret), and
/// I-type arithmetic prints under its register-form name (add, and, or, xor, sll, srl, sra).
/// The aliases are here; every other form is generated from the syntax column of rv32im.opcodes.
/// </summary>
public static partial class Disassembler
{
    /// <summary>Mnemonic and operands separated by a tab, without address or encoding; an
    /// undecodable word prints as objdump prints data (<c>.word 0x…</c>).</summary>
    public static string Format(uint word, uint pc, Func<uint, string?>? symbolAt = null)
    {
        var i = Decoder.Decode(word);
        string rd = R(i.Rd), rs1 = R(i.Rs1), rs2 = R(i.Rs2);
        string Target() => Address(pc + (uint)i.Imm, symbolAt);
        return i.Op switch
        {
            Opcode.Illegal => $".word\t0x{word:x8}",
            Opcode.Jal when i.Rd == 0 => Op("j", Target()),
            Opcode.Jal when i.Rd == 1 => Op("jal", Target()),
            Opcode.Jalr => Jalr(i, rd, rs1),
            Opcode.Beq when i.Rs2 == 0 => Op("beqz", rs1, Target()),
            Opcode.Bne when i.Rs2 == 0 => Op("bnez", rs1, Target()),
            Opcode.Blt when i.Rs2 == 0 => Op("bltz", rs1, Target()),
            Opcode.Blt when i.Rs1 == 0 => Op("bgtz", rs2, Target()),
            Opcode.Bge when i.Rs1 == 0 => Op("blez", rs2, Target()),
            Opcode.Bge when i.Rs2 == 0 => Op("bgez", rs1, Target()),
            Opcode.Addi when i.Rd == 0 && i.Rs1 == 0 && i.Imm == 0 => "nop",
            Opcode.Addi when i.Rs1 == 0 => Op("li", rd, Imm(i)),
            Opcode.Addi when i.Imm == 0 => Op("mv", rd, rs1),
            Opcode.Xori when i.Imm == -1 => Op("not", rd, rs1),
            Opcode.Andi when i.Imm == 255 => Op("zext.b", rd, rs1),
            Opcode.Sltiu when i.Imm == 1 => Op("seqz", rd, rs1),
            Opcode.Sub when i.Rs1 == 0 => Op("neg", rd, rs2),
            Opcode.Sltu when i.Rs1 == 0 => Op("snez", rd, rs2),
            Opcode.Slt when i.Rs2 == 0 => Op("sltz", rd, rs1),
            Opcode.Slt when i.Rs1 == 0 => Op("sgtz", rd, rs2),
            _ => Plain(i, pc, symbolAt),
        };
    }

    static string Jalr(Instruction i, string rd, string rs1)
    {
        string target = i.Imm == 0 ? rs1 : $"{i.Imm}({rs1})";
        return i.Rd switch
        {
            0 when i.Rs1 == 1 && i.Imm == 0 => "ret",
            0 => Op("jr", target),
            1 => Op("jalr", target),
            _ => Op("jalr", rd, target),
        };
    }

    static string Fence(int imm)
    {
        int fm = (imm >> 8) & 0xF, pred = (imm >> 4) & 0xF, succ = imm & 0xF;
        if (fm == 8 && pred == 3 && succ == 3)
            return "fence.tso";
        if (fm == 0 && pred == 0xF && succ == 0xF)
            return "fence";
        return Op("fence", Ordering(pred), Ordering(succ));
    }

    static string Ordering(int bits)
    {
        string s = (bits & 8) != 0 ? "i" : "";
        if ((bits & 4) != 0) s += "o";
        if ((bits & 2) != 0) s += "r";
        if ((bits & 1) != 0) s += "w";
        return s.Length == 0 ? "0" : s;
    }

    static string Address(uint target, Func<uint, string?>? symbolAt)
    {
        string? symbol = symbolAt?.Invoke(target);
        return symbol is null ? $"{target:x}" : $"{target:x} <{symbol}>";
    }

    static string Imm(Instruction i) => i.Imm.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static string R(int register) => RegisterNames.Of(register);

    static string Op(string mnemonic, params string[] operands) => $"{mnemonic}\t{string.Join(',', operands)}";
}
