using ZkVm.Machine.Chips;
using ZkVm.Machine.Extensions;
using ZkVm.Riscv.Isa;

namespace ZkVm.Samples.Zicond;

/// <summary>
/// Zicond, the RISC-V integer conditional-operations extension (ratified 1.0): <c>czero.eqz rd, rs1, rs2</c> writes 0
/// when rs2 is 0 and rs1 otherwise; <c>czero.nez</c> writes 0 when rs2 is nonzero. Both are R-type words of the OP
/// major opcode with funct7 0000111 (RISC-V unprivileged spec, chapter "Zicond").
/// </summary>
public sealed class ZicondExtension : IMachineExtension
{
    /// <summary>This extension's opcode numbers, from the extension range.</summary>
    public const Opcode CzeroEqz = (Opcode)0x80, CzeroNez = (Opcode)0x81;

    public string Name => "zicond";

    /// <summary>The opcode lines: funct7 0000111, funct3 101 (eqz) or 111 (nez), major opcode OP (0110011).</summary>
    public IReadOnlyList<ExtensionOpcode> Opcodes { get; } =
    [
        new(new OpcodeSpec(CzeroEqz, "czero.eqz", InstructionFormat.R, InstructionFamily.Extension, 0xFE00707F, 0x0E005033), Eqz),
        new(new OpcodeSpec(CzeroNez, "czero.nez", InstructionFormat.R, InstructionFamily.Extension, 0xFE00707F, 0x0E007033), Nez),
    ];

    public IReadOnlyList<IInstructionChip> Chips { get; } = [new ZicondChip()];

    public static uint Eqz(uint value, uint condition) => condition == 0 ? 0 : value;

    public static uint Nez(uint value, uint condition) => condition != 0 ? 0 : value;
}
