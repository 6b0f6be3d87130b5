namespace ZkVm.Machine.Chips;

/// <summary>LUI and AUIPC: rd = imm, or pc + imm (mod 2^32) added limb by limb with carries.</summary>
[ZkAir("upper")]
public partial struct UpperChip : IRv32Chip<UpperChip>
{
    [Col] public BabyBear IsLui, IsAuipc;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear PcLo, PcHi, ImmLo, ImmHi, ValueLo, ValueHi, Carry0, Carry1;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), limb = TE.From(1 << 16);
        TE real = local.IsLui + local.IsAuipc;
        b.AssertBool(local.IsLui);
        b.AssertBool(local.IsAuipc);

        TE opcode = Rv32Adapter.Encode([local.IsLui, local.IsAuipc], Opcodes);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.Rd, real, opcode, local.ImmLo, local.ImmHi, local.Adapter.Pc + TE.From(4),
            zero, zero, zero, zero, zero, zero, local.ValueLo, local.ValueHi);

        // value = IsAuipc·pc + imm, limb by limb: each side stays below 2^18, so nothing wraps mod p.
        b.AssertZero(local.Adapter.Pc - local.PcLo - limb * local.PcHi);
        b.AssertBool(local.Carry0);
        b.AssertBool(local.Carry1);
        b.AssertZero(local.IsAuipc * local.PcLo + local.ImmLo - local.ValueLo - limb * local.Carry0);
        b.AssertZero(local.IsAuipc * local.PcHi + local.ImmHi + local.Carry0 - local.ValueHi - limb * local.Carry1);
        // The only split of pc, not of pc + p.
        Gadgets.PcLimbs(b, local.IsAuipc, local.PcLo, local.PcHi);
        Gadgets.RangeU16(b, real, local.ValueLo);
        Gadgets.RangeU16(b, real, local.ValueHi);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Lui, Opcode.Auipc];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        bool auipc = r.Instruction.Op == Opcode.Auipc;
        uint imm = (uint)r.Instruction.Imm;
        (row.PcLo, row.PcHi) = Limbs(r.Pc);
        (row.ImmLo, row.ImmHi) = Limbs(imm);
        uint value = auipc ? r.Pc + imm : imm;
        (row.ValueLo, row.ValueHi) = Limbs(value);
        uint lo = (auipc ? r.Pc & 0xFFFF : 0) + (imm & 0xFFFF);
        uint hi = (auipc ? r.Pc >> 16 : 0) + (imm >> 16) + (lo >> 16);
        row.Carry0 = F(lo >> 16);
        row.Carry1 = F(hi >> 16);
    }
}
