using ZkVm.Machine.Chips;
using ZkVm.Machine.Precompiles;

namespace ZkVm.Machine.Extensions;

/// <summary>
/// A part of the machine: instructions (its opcode-table lines and their semantics, as the emulator runs
/// them) and the chips that prove them. A chip may use its own buses beside the machine's
/// (<see cref="MachineBuses"/>); it reads its operands and writes its result through the memory bus,
/// usually with <see cref="Rv32Adapter"/>. RV32IM is the first extension (<see cref="Rv32imExtension"/>);
/// one in its own assembly is loaded by the host (docs/AIR_GENERATOR.md, "A machine extension").
/// </summary>
public interface IMachineExtension : IIsaExtension
{
    IReadOnlyList<IInstructionChip> Chips { get; }

    /// <summary>The tables that prove the extension's syscalls, one per syscall (none by default).</summary>
    IReadOnlyList<IPrecompileChip> Precompiles => [];

    IReadOnlyList<ExtensionSyscall> IIsaExtension.Syscalls => [.. Precompiles.Select(p => p.Syscall)];
}
