namespace ZkVm.Riscv.Isa;

/// <summary>
/// An instruction an ISA extension adds: its opcode-table line and what it computes. Extension
/// instructions are register-to-register: rd = <see cref="Compute"/>(rs1, rs2) for format R, and
/// (rs1, imm) for format I. They touch no memory and never change control flow.
/// </summary>
public sealed record ExtensionOpcode(OpcodeSpec Spec, Func<uint, uint, uint> Compute);

/// <summary>
/// Instructions beyond RV32IM, as the emulator sees them: a stable <see cref="Name"/> (bound into the
/// ImageId) and its opcode-table lines. Opcode numbers are the extension's own, from
/// <see cref="InstructionSet.FirstExtensionOpcode"/> up, so that the circuit's opcode values do not depend on
/// which other extensions a process loaded.
/// </summary>
public interface IIsaExtension
{
    string Name { get; }

    IReadOnlyList<ExtensionOpcode> Opcodes { get; }

    /// <summary>The ECALLs the extension adds (none by default).</summary>
    IReadOnlyList<ExtensionSyscall> Syscalls => [];
}

/// <summary>Stable codes of instruction-set problems (docs/ERRORS.md).</summary>
public static class IsaError
{
    /// <summary>An extension's opcode line is malformed or collides with RV32IM or another extension.</summary>
    public const string BadExtension = "ZK2114";
}

/// <summary>
/// RV32IM plus a set of <see cref="IIsaExtension"/>s: the decoder of a program's ROM and the semantics of
/// its extension instructions. <see cref="Rv32im"/> is the plain machine.
/// </summary>
public sealed class InstructionSet
{
    /// <summary>Extension opcodes lie in [0x80, 0xFE]; RV32IM's generated ones stay below 0x80.</summary>
    public const byte FirstExtensionOpcode = 0x80, LastExtensionOpcode = 0xFE;

    readonly ExtensionOpcode[] lines;
    readonly Func<uint, uint, uint>?[] computeByOpcode = new Func<uint, uint, uint>?[256];
    readonly Dictionary<uint, ExtensionSyscall> syscalls = [];

    public static InstructionSet Rv32im { get; } = new([]);

    /// <summary>
    /// Checks every line (an R or I format of family <see cref="InstructionFamily.Extension"/>, a number in the
    /// extension range, a match inside its mask that RV32IM does not decode, no overlap with another line)
    /// and registers the lines' specs for <see cref="OpcodeTable.Get"/>; fails with <see cref="IsaError.BadExtension"/>.
    /// </summary>
    public InstructionSet(IReadOnlyList<IIsaExtension> extensions)
    {
        Extensions = extensions;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in extensions)
            if (string.IsNullOrWhiteSpace(extension.Name) || !names.Add(extension.Name))
                throw Bad($"extension name '{extension.Name}' is empty or given twice");
        lines = [.. extensions.SelectMany(e => e.Opcodes)];
        for (int i = 0; i < lines.Length; i++)
        {
            var spec = lines[i].Spec;
            byte number = (byte)spec.Opcode;
            string what = $"extension instruction '{spec.Mnemonic}' (opcode 0x{number:x2})";
            if (number is < FirstExtensionOpcode or > LastExtensionOpcode)
                throw Bad($"{what}: extension opcodes are 0x{FirstExtensionOpcode:x2} to 0x{LastExtensionOpcode:x2}");
            if (spec.Family != InstructionFamily.Extension || spec.Format is not (InstructionFormat.R or InstructionFormat.I))
                throw Bad($"{what}: an extension instruction has family Extension and format R or I, not {spec.Family} {spec.Format}");
            if ((spec.Mask & 0x7F) != 0x7F || (spec.Match & ~spec.Mask) != 0 || (spec.Match & 3) != 3)
                throw Bad($"{what}: mask 0x{spec.Mask:x8} and match 0x{spec.Match:x8} must fix the 32-bit major opcode");
            if (Decoder.Decode(spec.Match).Op != Opcode.Illegal)
                throw Bad($"{what}: RV32IM already decodes 0x{spec.Match:x8} as {Decoder.Decode(spec.Match).Spec.Mnemonic}");
            if (computeByOpcode[number] is not null)
                throw Bad($"{what}: the opcode number is taken by '{OpcodeTable.Get(spec.Opcode).Mnemonic}'");
            for (int j = 0; j < i; j++)
            {
                var other = lines[j].Spec;
                if (((spec.Match ^ other.Match) & spec.Mask & other.Mask) == 0)
                    throw Bad($"{what}: its words are also '{other.Mnemonic}' words");
            }
            OpcodeTable.Register(spec);
            computeByOpcode[number] = lines[i].Compute;
        }
        foreach (var call in extensions.SelectMany(e => e.Syscalls))
        {
            string what = $"extension syscall '{call.Name}' ({call.Number})";
            if (call.Number is < ExtensionSyscall.FirstNumber or > ExtensionSyscall.LastNumber)
                throw Bad($"{what}: extension syscall numbers are {ExtensionSyscall.FirstNumber} to {ExtensionSyscall.LastNumber}");
            if (call.StateWords is < 1 or > ExtensionSyscall.MaxWords || call.InputWords is < 0 or > ExtensionSyscall.MaxWords)
                throw Bad($"{what}: a state has 1 to {ExtensionSyscall.MaxWords} words and an input 0 to {ExtensionSyscall.MaxWords}, not {call.StateWords} and {call.InputWords}");
            if (!syscalls.TryAdd(call.Number, call))
                throw Bad($"{what}: the number is taken by '{syscalls[call.Number].Name}'");
        }
    }

    /// <summary>Every extension syscall of the set.</summary>
    public IReadOnlyCollection<ExtensionSyscall> Syscalls => syscalls.Values;

    /// <summary>The extension syscall with this a7, or null.</summary>
    public ExtensionSyscall? Syscall(uint number) => syscalls.GetValueOrDefault(number);

    public IReadOnlyList<IIsaExtension> Extensions { get; }

    /// <summary>Whether both sets have the same extension lines in the same order and the same extension syscalls, so they decode
    /// every word and run every ECALL alike.</summary>
    public bool RunsLike(InstructionSet other) =>
        lines.Select(l => l.Spec).SequenceEqual(other.lines.Select(l => l.Spec)) && syscalls.Keys.Order().SequenceEqual(other.syscalls.Keys.Order());

    /// <summary>The instruction a word encodes: RV32IM's, else the first extension line that matches, else Illegal.</summary>
    public Instruction Decode(uint word)
    {
        var instruction = Decoder.Decode(word);
        if (instruction.Op != Opcode.Illegal) return instruction;
        foreach (var line in lines)
            if ((word & line.Spec.Mask) == line.Spec.Match)
                return Decoder.Fields(line.Spec.Opcode, line.Spec.Format, word);
        return instruction;
    }

    /// <summary>The result an extension instruction writes to rd: its second operand is rs2's value (format R) or the immediate (I).</summary>
    public uint Compute(Opcode op, uint rs1, uint second) =>
        (computeByOpcode[(byte)op] ?? throw new ArgumentException($"{op} is not an instruction of this set's extensions", nameof(op)))(rs1, second);

    static ZkVmException Bad(string detail) => new(IsaError.BadExtension, detail);
}
