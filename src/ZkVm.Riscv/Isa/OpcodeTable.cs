namespace ZkVm.Riscv.Isa;

/// <summary>
/// The RV32IM opcode table. Its lines are declared in rv32im.opcodes, from which the generator
/// emits <c>All</c>, the <see cref="Opcode"/> and <see cref="InstructionFormat"/> enums, the decoder and the plain disassembly.
/// </summary>
public static partial class OpcodeTable
{
    static readonly OpcodeSpec[] ByOpcode;

    // In the constructor rather than an initializer: initializers of the generated half (All) may run after ours.
    static OpcodeTable() => ByOpcode = BuildIndex();

    public static OpcodeSpec Get(Opcode opcode) => ByOpcode[(int)opcode];

    static OpcodeSpec[] BuildIndex()
    {
        var index = new OpcodeSpec[Enum.GetValues<Opcode>().Length];
        foreach (var spec in All)
            index[(int)spec.Opcode] = spec;
        index[(int)Opcode.Illegal] = new(Opcode.Illegal, "illegal", InstructionFormat.System, InstructionFamily.Syscall, 0, 0);
        return index;
    }
}
