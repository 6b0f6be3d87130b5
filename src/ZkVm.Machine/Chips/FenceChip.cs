namespace ZkVm.Machine.Chips;

/// <summary>
/// FENCE: a no-op on a single hart; the row only proves the instruction is in the ROM at pc and
/// passes control to pc + 4. It touches no register or memory (docs/MACHINE.md §4).
/// </summary>
[ZkAir("fence")]
public partial struct FenceChip : IRv32Chip<FenceChip>
{
    [Col] public BabyBear IsFence;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear ImmLo, ImmHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0);
        TE real = local.IsFence;
        // FENCE's format has no rd, rs1 or rs2 (decoded as 0) and never writes rd.
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.None, real, Rv32Adapter.Encode([local.IsFence], Opcodes), local.ImmLo, local.ImmHi, local.Adapter.Pc + TE.From(4),
            zero, zero, zero, zero, zero, zero, zero, zero);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Fence];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        (row.ImmLo, row.ImmHi) = Limbs((uint)r.Instruction.Imm);
    }
}
