using ZkVm.Machine.Chips;

namespace ZkVm.Machine.Adapters;

/// <summary>
/// An instruction chip on <see cref="Rv32Adapter"/>. Its first columns are one selector per opcode, in the order of
/// <see cref="Opcodes"/>, and the adapter's columns follow them; the chip states its own constraints and fills only
/// its core columns (<see cref="FillCore"/>). The trace and the opcode list the machine asks for follow from these.
/// </summary>
public interface IRv32Chip<TSelf> : IInstructionChip where TSelf : struct, IRv32Chip<TSelf>
{
    /// <summary>The chip's instructions, in the order of its selector columns.</summary>
    new static abstract Opcode[] Opcodes { get; }

    /// <summary>Writes the core columns of one step's row; the selector and the adapter's columns are already set.</summary>
    static abstract void FillCore(Span<BabyBear> row, in MachineStep step);

    IReadOnlyList<Opcode> IInstructionChip.Opcodes => TSelf.Opcodes;

    RowMajorMatrix IInstructionChip.Fill(MachineStep[] steps, int[] rows) => Rv32Adapter.FillTrace(MainWidth, TSelf.Opcodes, steps, rows, TSelf.FillCore);
}
