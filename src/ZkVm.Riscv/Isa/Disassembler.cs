namespace ZkVm.Riscv.Isa;

/// <summary>
/// Formats instructions exactly as GNU objdump 2.40 does by default (<c>objdump -d</c>, aliases on):
/// the first matching pseudo-instruction of binutils' opcode table wins, and I-type arithmetic prints
/// under its register-form name. Both the aliases and the plain forms are declared in rv32im.opcodes
/// and generated (<c>Syntax</c>); here is how operands print.
/// </summary>
public static partial class Disassembler
{
    /// <summary>Mnemonic and operands separated by a tab, without address or encoding; an
    /// undecodable word prints as objdump prints data (<c>.word 0x…</c>).</summary>
    public static string Format(uint word, uint pc, Func<uint, string?>? symbolAt = null) => Format(word, pc, InstructionSet.Rv32im, symbolAt);

    /// <summary>As <see cref="Format(uint, uint, Func{uint, string?}?)"/>, with <paramref name="isa"/>'s extension
    /// instructions printed as their mnemonic and operands (rd, rs1, then rs2 or the immediate).</summary>
    public static string Format(uint word, uint pc, InstructionSet isa, Func<uint, string?>? symbolAt = null)
    {
        var i = isa.Decode(word);
        if (i.Op == Opcode.Illegal) return $".word\t0x{word:x8}";
        if (i.Spec.Family != InstructionFamily.Extension) return Syntax(i, pc, symbolAt);
        return Op(i.Spec.Mnemonic, R(i.Rd), R(i.Rs1), i.Spec.Format == InstructionFormat.R ? R(i.Rs2) : Imm(i));
    }

    /// <summary>A FENCE predecessor or successor set: the letters of i, o, r, w it holds, or 0.</summary>
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
