namespace ZkVm.Riscv.Isa;

/// <summary>One line of the opcode table: an instruction matches when (word &amp; Mask) == Match.</summary>
public sealed record OpcodeSpec(Opcode Opcode, string Mnemonic, InstructionFormat Format, InstructionFamily Family, uint Mask, uint Match);
