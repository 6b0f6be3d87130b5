using ZkVm.Machine.Chips;

namespace ZkVm.Machine.Extensions;

/// <summary>The base machine: RV32IM's instructions (the generated opcode table, so no lines of its own) and their chips.</summary>
public sealed class Rv32imExtension : IMachineExtension
{
    public static Rv32imExtension Instance { get; } = new();

    Rv32imExtension() { }

    public string Name => "rv32im";

    public IReadOnlyList<ExtensionOpcode> Opcodes => [];

    /// <summary>One chip per instruction family (the integer ALU's as two: add/sub and bitwise), in table order after the fixed and memory tables.</summary>
    public IReadOnlyList<IInstructionChip> Chips { get; } =
    [
        new UpperChip(),
        new AluChip(),
        new BitwiseChip(),
        new CompareChip(),
        new ShiftChip(),
        new FenceChip(),
        new BranchChip(),
        new JumpChip(),
        new LoadChip(),
        new StoreChip(),
        new MultiplyChip(),
        new DivRemChip(),
        new SyscallChip(),
    ];
}
