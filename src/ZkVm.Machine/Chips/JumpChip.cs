using ZkVm.Air;
using ZkVm.Field;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Chips.ChipTrace;

namespace ZkVm.Machine.Chips;

/// <summary>
/// JAL and JALR: rd = pc + 4, next pc = pc + imm (JAL) or (rs1 + imm) &amp; ~1 (JALR), added limb by
/// limb with carries; the bit JALR drops is a boolean column. The next pc is only sent on the execution
/// bus: a target with no ROM row (misaligned, outside the code) has no program row to receive it, so
/// the run cannot go on from there and such a jump can never be proven — exactly the emulator's trap.
/// </summary>
[ZkAir("jump")]
public partial struct JumpChip : IInstructionChip
{
    [Col] public BabyBear IsJal;
    [Col] public BabyBear IsJalr;
    [Col] public BabyBear Pc;
    [Col] public BabyBear PcLo;
    [Col] public BabyBear PcHi;
    [Col] public BabyBear Ts;
    [Col] public BabyBear Rd;
    [Col] public BabyBear Rs1;
    [Col] public BabyBear WritesRd;
    [Col] public BabyBear ImmLo;
    [Col] public BabyBear ImmHi;
    [Col] public BabyBear ALo;
    [Col] public BabyBear AHi;
    [Col] public BabyBear Rs1PrevTs;
    [Col] public BabyBear Rs1DiffLo;
    [Col] public BabyBear Rs1DiffHi;
    /// <summary>The next pc's low limb halved: next lo = 2·NextHalf is even by construction.</summary>
    [Col] public BabyBear NextHalf;
    [Col] public BabyBear NextHi;
    /// <summary>Bit 0 of base + imm, which JALR clears (and JAL's even target never has).</summary>
    [Col] public BabyBear DroppedBit;
    [Col] public BabyBear Carry0;
    [Col] public BabyBear Carry1;
    [Col] public BabyBear LinkLo;
    [Col] public BabyBear LinkHi;
    [Col] public BabyBear LinkCarry;
    [Col] public BabyBear RdPrevLo;
    [Col] public BabyBear RdPrevHi;
    [Col] public BabyBear RdPrevTs;
    [Col] public BabyBear RdDiffLo;
    [Col] public BabyBear RdDiffHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1);
        TE zero = TE.Constant(BabyBear.Zero);
        TE two = TE.From(2);
        TE four = TE.From(4);
        TE limb = TE.From(1 << 16);
        TE maxPcHi = TE.From(MachineLayout.MaxPcHi);
        TE real = local.IsJal + local.IsJalr;
        b.AssertBool(local.IsJal);
        b.AssertBool(local.IsJalr);
        b.AssertBool(real);
        // Only a real row may write; the ROM fixes WritesRd (0 for rd = x0) on real rows.
        b.AssertZero(local.WritesRd * (one - real));

        TE opcode = local.IsJal * TE.From((uint)Opcode.Jal)
            + local.IsJalr * TE.From((uint)Opcode.Jalr);
        Gadgets.Fetch(b, real, local.Pc, opcode, local.Rd, local.Rs1, zero, local.ImmLo, local.ImmHi, local.WritesRd);
        Gadgets.Step(b, real, real, local.Pc, local.Ts, two * local.NextHalf + limb * local.NextHi);

        // JAL reads no register (docs/MACHINE.md §4): its rs1 columns are pinned to 0.
        Gadgets.ReadRegister(b, local.IsJalr, local.Rs1, local.ALo, local.AHi, local.Rs1PrevTs,
            local.Ts + TE.From(MachineLayout.SlotRs1), local.Rs1DiffLo, local.Rs1DiffHi);
        b.AssertZero(local.IsJal * local.ALo);
        b.AssertZero(local.IsJal * local.AHi);
        b.AssertZero(local.IsJal * local.Rs1PrevTs);
        b.AssertZero(local.IsJal * local.Rs1DiffLo);
        b.AssertZero(local.IsJal * local.Rs1DiffHi);

        // pc's limbs, unique since pc ≤ 0x77FF_FFFF < p (see MachineLayout.MaxPcHi).
        b.AssertZero(local.Pc - local.PcLo - limb * local.PcHi);
        Gadgets.RangeU16(b, real, local.PcLo);
        Gadgets.RangeU16(b, real, local.PcHi);
        Gadgets.RangeU16(b, real, maxPcHi - local.PcHi);

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
        Gadgets.WriteRegister(b, local.WritesRd, local.Rd, local.RdPrevLo, local.RdPrevHi, local.RdPrevTs,
            local.LinkLo, local.LinkHi, local.Ts + TE.From(MachineLayout.SlotRd), local.RdDiffLo, local.RdDiffHi);
        // A row that writes no register (rd = x0) has no previous rd state.
        b.When(one - local.WritesRd).AssertZero(local.RdPrevLo);
        b.When(one - local.WritesRd).AssertZero(local.RdPrevHi);
        b.When(one - local.WritesRd).AssertZero(local.RdPrevTs);
        b.When(one - local.WritesRd).AssertZero(local.RdDiffLo);
        b.When(one - local.WritesRd).AssertZero(local.RdDiffHi);
    }

    public readonly InstructionFamily Family => InstructionFamily.Jump;

    public readonly RowMajorMatrix Fill(MachineStep[] steps, int[] rows)
    {
        var trace = Allocate(MainWidth, rows.Length);
        ForEachRow(rows.Length, i =>
        {
            ref readonly var s = ref steps[rows[i]];
            var r = s.Record;
            var row = new MainRow<BabyBear>(trace.Row(i));
            bool jalr = r.Instruction.Op == Opcode.Jalr;
            uint imm = (uint)r.Instruction.Imm;
            (row.IsJal, row.IsJalr) = jalr ? (BabyBear.Zero, BabyBear.One) : (BabyBear.One, BabyBear.Zero);
            row.Pc = F(r.Pc);
            (row.PcLo, row.PcHi) = Limbs(r.Pc);
            row.Ts = F(s.Ts);
            row.Rd = F(r.Instruction.Rd);
            row.Rs1 = F(r.Instruction.Rs1);
            row.WritesRd = F(r.Instruction.Rd != 0 ? 1u : 0);
            (row.ImmLo, row.ImmHi) = Limbs(imm);
            uint baseValue = r.Pc;
            if (jalr)
            {
                baseValue = r.Rs1Value;
                (row.ALo, row.AHi) = Limbs(r.Rs1Value);
                row.Rs1PrevTs = F(s.Rs1.PrevTs);
                row.Rs1DiffLo = F(s.Rs1.DiffLo);
                row.Rs1DiffHi = F(s.Rs1.DiffHi);
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
            if (r.Instruction.Rd != 0)
            {
                (row.RdPrevLo, row.RdPrevHi) = Limbs(s.Rd.PrevValue);
                row.RdPrevTs = F(s.Rd.PrevTs);
                row.RdDiffLo = F(s.Rd.DiffLo);
                row.RdDiffHi = F(s.Rd.DiffHi);
            }
        });
        return trace;
    }
}
