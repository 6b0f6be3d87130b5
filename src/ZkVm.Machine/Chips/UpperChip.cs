using ZkVm.Air;
using ZkVm.Field;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Chips.ChipTrace;

namespace ZkVm.Machine.Chips;

/// <summary>LUI and AUIPC: rd = imm, or pc + imm (mod 2^32) added limb by limb with carries.</summary>
[ZkAir("upper")]
public partial struct UpperChip : IInstructionChip
{
    [Col] public BabyBear IsLui;
    [Col] public BabyBear IsAuipc;
    [Col] public BabyBear Pc;
    [Col] public BabyBear PcLo;
    [Col] public BabyBear PcHi;
    [Col] public BabyBear Ts;
    [Col] public BabyBear Rd;
    [Col] public BabyBear WritesRd;
    [Col] public BabyBear ImmLo;
    [Col] public BabyBear ImmHi;
    [Col] public BabyBear ValueLo;
    [Col] public BabyBear ValueHi;
    [Col] public BabyBear Carry0;
    [Col] public BabyBear Carry1;
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
        TE limb = TE.From(1 << 16);
        TE real = local.IsLui + local.IsAuipc;
        b.AssertBool(local.IsLui);
        b.AssertBool(local.IsAuipc);
        b.AssertBool(real);
        // Only a real row may write; the ROM fixes WritesRd (0 for rd = x0) on real rows.
        b.AssertZero(local.WritesRd * (one - real));

        TE opcode = local.IsLui * TE.From((uint)Opcode.Lui)
            + local.IsAuipc * TE.From((uint)Opcode.Auipc);
        Gadgets.Fetch(b, real, local.Pc, opcode, local.Rd, zero, zero, local.ImmLo, local.ImmHi, local.WritesRd);
        Gadgets.Step(b, real, real, local.Pc, local.Ts, local.Pc + TE.From(4));

        // value = IsAuipc·pc + imm, limb by limb: each side stays below 2^18, so nothing wraps mod p.
        b.AssertZero(local.Pc - local.PcLo - limb * local.PcHi);
        b.AssertBool(local.Carry0);
        b.AssertBool(local.Carry1);
        b.AssertZero(local.IsAuipc * local.PcLo + local.ImmLo - local.ValueLo - limb * local.Carry0);
        b.AssertZero(local.IsAuipc * local.PcHi + local.ImmHi + local.Carry0 - local.ValueHi - limb * local.Carry1);
        // Both limbs u16 and hi ≤ MaxPcHi: the only split of pc, not of pc + p.
        Gadgets.RangeU16(b, local.IsAuipc, local.PcLo);
        Gadgets.RangeU16(b, local.IsAuipc, local.PcHi);
        Gadgets.RangeU16(b, local.IsAuipc, TE.From(MachineLayout.MaxPcHi) - local.PcHi);
        Gadgets.RangeU16(b, real, local.ValueLo);
        Gadgets.RangeU16(b, real, local.ValueHi);

        Gadgets.ZeroWhen(b, one - local.WritesRd, local.RdPrevLo, local.RdPrevHi, local.RdPrevTs, local.RdDiffLo, local.RdDiffHi);
        Gadgets.WriteRegister(b, local.WritesRd, local.Rd, local.RdPrevLo, local.RdPrevHi, local.RdPrevTs,
            local.ValueLo, local.ValueHi, local.Ts + TE.From(MachineLayout.SlotRd), local.RdDiffLo, local.RdDiffHi);
    }

    public readonly InstructionFamily Family => InstructionFamily.UpperImmediate;

    public readonly RowMajorMatrix Fill(MachineStep[] steps, int[] rows)
    {
        var trace = Allocate(MainWidth, rows.Length);
        ForEachRow(rows.Length, i =>
        {
            ref readonly var s = ref steps[rows[i]];
            var r = s.Record;
            var row = new MainRow<BabyBear>(trace.Row(i));
            bool auipc = r.Instruction.Op == Opcode.Auipc;
            uint imm = (uint)r.Instruction.Imm;
            (row.IsLui, row.IsAuipc) = auipc ? (BabyBear.Zero, BabyBear.One) : (BabyBear.One, BabyBear.Zero);
            row.Pc = F(r.Pc);
            (row.PcLo, row.PcHi) = Limbs(r.Pc);
            row.Ts = F(s.Ts);
            row.Rd = F(r.Instruction.Rd);
            row.WritesRd = F(r.Instruction.Rd != 0 ? 1u : 0);
            (row.ImmLo, row.ImmHi) = Limbs(imm);
            uint value = auipc ? r.Pc + imm : imm;
            (row.ValueLo, row.ValueHi) = Limbs(value);
            uint lo = (auipc ? r.Pc & 0xFFFF : 0) + (imm & 0xFFFF);
            uint hi = (auipc ? r.Pc >> 16 : 0) + (imm >> 16) + (lo >> 16);
            row.Carry0 = F(lo >> 16);
            row.Carry1 = F(hi >> 16);
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
