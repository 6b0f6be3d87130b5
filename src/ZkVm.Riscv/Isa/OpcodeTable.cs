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

    // Extension lines by number; an InstructionSet registers them, and one number keeps one line per process.
    static readonly OpcodeSpec?[] Extensions = new OpcodeSpec?[256];

    /// <summary>The line of an opcode: RV32IM's, or a registered extension's; an unknown number is Illegal's.</summary>
    public static OpcodeSpec Get(Opcode opcode) =>
        (int)opcode < ByOpcode.Length ? ByOpcode[(int)opcode] : Extensions[(int)opcode] ?? ByOpcode[(int)Opcode.Illegal];

    /// <summary>Makes an extension line known to <see cref="Get"/>; a number already bound to another line is refused (<see cref="IsaError.BadExtension"/>).</summary>
    internal static void Register(OpcodeSpec spec)
    {
        lock (Extensions)
        {
            var known = Extensions[(int)spec.Opcode];
            if (known is not null && known != spec)
                throw new ZkVmException(IsaError.BadExtension, $"opcode 0x{(int)spec.Opcode:x2} is '{known.Mnemonic}' in this process and cannot also be '{spec.Mnemonic}'");
            Extensions[(int)spec.Opcode] = spec;
        }
    }

    static OpcodeSpec[] BuildIndex()
    {
        var index = new OpcodeSpec[Enum.GetValues<Opcode>().Length];
        foreach (var spec in All)
            index[(int)spec.Opcode] = spec;
        index[(int)Opcode.Illegal] = new(Opcode.Illegal, "illegal", InstructionFormat.System, InstructionFamily.Syscall, 0, 0);
        return index;
    }
}
