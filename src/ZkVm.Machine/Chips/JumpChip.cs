namespace ZkVm.Machine.Chips;

/// <summary>
/// JAL and JALR: rd = pc + 4, next pc = pc + imm (JAL) or (rs1 + imm) &amp; ~1 (JALR), added limb by
/// limb with carries; the bit JALR drops is a boolean column. The next pc is only sent on the execution
/// bus: a target with no ROM row (misaligned, outside the code) has no program row to receive it, so
/// the run cannot go on from there and such a jump can never be proven — exactly the emulator's trap.
/// </summary>
[ZkAir("jump")]
public partial struct JumpChip : IRv32Chip<JumpChip>
{
    [Col] public BabyBear IsJal, IsJalr;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear PcLo, PcHi, ImmLo, ImmHi, ALo, AHi;
    /// <summary>The next pc's low limb halved: next lo = 2·NextHalf is even by construction.</summary>
    [Col] public BabyBear NextHalf, NextHi;
    /// <summary>Bit 0 of base + imm, which JALR clears (and JAL's even target never has).</summary>
    [Col] public BabyBear DroppedBit, Carry0, Carry1, LinkLo, LinkHi, LinkCarry;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), two = TE.From(2), four = TE.From(4), limb = TE.From(1 << 16);
        TE maxPcHi = TE.From(MachineLayout.MaxPcHi);
        TE real = local.IsJal + local.IsJalr;
        b.AssertBool(local.IsJal);
        b.AssertBool(local.IsJalr);

        TE opcode = Rv32Adapter.Encode([local.IsJal, local.IsJalr], Opcodes);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.Rs1 | Rv32Operands.Rd, real, opcode, local.ImmLo, local.ImmHi, two * local.NextHalf + limb * local.NextHi,
            local.IsJalr, local.ALo, local.AHi, zero, zero, zero, local.LinkLo, local.LinkHi);

        // JAL reads no register (docs/MACHINE.md §4): its rs1 value is pinned to 0 (the adapter pins the access).
        b.AssertZero(local.IsJal * local.ALo);
        b.AssertZero(local.IsJal * local.AHi);

        // pc's limbs, unique since pc ≤ 0x77FF_FFFF < p (see MachineLayout.MaxPcHi).
        b.AssertZero(local.Adapter.Pc - local.PcLo - limb * local.PcHi);
        Gadgets.PcLimbs(b, real, local.PcLo, local.PcHi);

        // base + imm = 2·NextHalf + DroppedBit + 2^16·Carry0 (low limb), NextHi + 2^16·Carry1 (high limb):
        // NextHalf < 2^15 (a u16 whose double is a u16), so DroppedBit is bit 0 of the sum.
        TE baseLo = local.IsJal * local.PcLo + local.IsJalr * local.ALo;
        TE baseHi = local.IsJal * local.PcHi + local.IsJalr * local.AHi;
        b.AssertBool(local.DroppedBit);
        b.AssertBool(local.Carry0);
        b.AssertBool(local.Carry1);
        b.AssertZero(baseLo + local.ImmLo - two * local.NextHalf - local.DroppedBit - limb * local.Carry0);
        b.AssertZero(baseHi + local.ImmHi + local.Carry0 - local.NextHi - limb * local.Carry1);
        // JAL's target is even (pc aligned, imm even by encoding): it drops nothing.
        b.AssertZero(local.IsJal * local.DroppedBit);
        Gadgets.RangeU16(b, real, local.NextHalf);
        Gadgets.RangeU16(b, real, two * local.NextHalf);
        Gadgets.RangeU16(b, real, local.NextHi);
        // The next pc is below p, so the field element sent is the target itself, not a wrapped one.
        Gadgets.RangeU16(b, real, maxPcHi - local.NextHi);

        // rd = pc + 4 (no overflow: pc ≤ 0x77FF_FFFF), range-checked before it is written.
        b.AssertBool(local.LinkCarry);
        b.AssertZero(local.PcLo + four * real - local.LinkLo - limb * local.LinkCarry);
        b.AssertZero(local.PcHi + local.LinkCarry - local.LinkHi);
        Gadgets.RangeU16(b, real, local.LinkLo);
        Gadgets.RangeU16(b, real, local.LinkHi);
        // A row that writes no register (rd = x0) has no previous rd state.
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Jal, Opcode.Jalr];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        bool jalr = r.Instruction.Op == Opcode.Jalr;
        uint imm = (uint)r.Instruction.Imm;
        (row.PcLo, row.PcHi) = Limbs(r.Pc);
        (row.ImmLo, row.ImmHi) = Limbs(imm);
        uint baseValue = r.Pc;
        if (jalr)
        {
            baseValue = r.Rs1Value;
            (row.ALo, row.AHi) = Limbs(r.Rs1Value);
        }
        uint sum = baseValue + imm;
        uint lo = (baseValue & 0xFFFF) + (imm & 0xFFFF);
        uint hi = (baseValue >> 16) + (imm >> 16) + (lo >> 16);
        row.Carry0 = F(lo >> 16);
        row.Carry1 = F(hi >> 16);
        row.DroppedBit = F(sum & 1);
        row.NextHalf = F((sum & 0xFFFF) >> 1);
        row.NextHi = F(sum >> 16);
        uint link = r.Pc + 4;
        (row.LinkLo, row.LinkHi) = Limbs(link);
        row.LinkCarry = F(((r.Pc & 0xFFFF) + 4) >> 16);
    }
}
