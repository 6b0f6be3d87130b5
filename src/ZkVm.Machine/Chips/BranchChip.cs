using ZkVm.Riscv.Execution;

namespace ZkVm.Machine.Chips;

/// <summary>
/// BEQ, BNE, BLT, BGE, BLTU, BGEU: reads rs1 (slot 0) and rs2 (slot 1) and continues at pc + imm when
/// the branch is taken, pc + 4 otherwise. Equality comes from the limb differences and their (unique) inverses;
/// the orderings from rs1 − rs2 computed limb by limb with boolean borrows (the last borrow is the
/// unsigned rs1 &lt; rs2) and the two sign bits.
/// </summary>
[ZkAir("branch")]
public partial struct BranchChip : IRv32Chip<BranchChip>
{
    [Col] public BabyBear IsBeq, IsBne, IsBlt, IsBge, IsBltu, IsBgeu;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear PcLo, PcHi, ImmLo, ImmHi, ALo, AHi, BLo, BHi, Equal, InvLo, InvHi, NonZeroLo;
    [Col] public BabyBear NonZeroHi, DiffLo, DiffHi, Borrow0, Borrow1, SignA, SignB, LessSigned, Taken;
    [Col] public BabyBear NextLo, NextHi, Carry0, Carry1;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), limb = TE.From(1 << 16), four = TE.From(4), half = TE.From(1 << 15);
        TE two = TE.From(2);
        TE real = local.IsBeq + local.IsBne + local.IsBlt + local.IsBge + local.IsBltu + local.IsBgeu;
        b.AssertBool(local.IsBeq);
        b.AssertBool(local.IsBne);
        b.AssertBool(local.IsBlt);
        b.AssertBool(local.IsBge);
        b.AssertBool(local.IsBltu);
        b.AssertBool(local.IsBgeu);

        TE opcode = Rv32Adapter.Encode([local.IsBeq, local.IsBne, local.IsBlt, local.IsBge, local.IsBltu, local.IsBgeu], Opcodes);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.Rs1 | Rv32Operands.Rs2, real, opcode, local.ImmLo, local.ImmHi, local.NextLo + limb * local.NextHi,
            real, local.ALo, local.AHi, real, local.BLo, local.BHi, zero, zero);

        // Equal = (rs1 = rs2). Per limb difference d: NonZero = d·Inv, d·(1 − NonZero) = 0 and
        // Inv·(1 − NonZero) = 0, so NonZero = (d ≠ 0) and Inv is 1/d or 0, both unique. The read limbs
        // are below 2^16, so a limb difference is 0 exactly when the limbs are equal.
        TE dLo = local.ALo - local.BLo;
        TE dHi = local.AHi - local.BHi;
        b.AssertZero(local.NonZeroLo - dLo * local.InvLo);
        b.AssertZero(dLo * (one - local.NonZeroLo));
        b.AssertZero(local.InvLo * (one - local.NonZeroLo));
        b.AssertZero(local.NonZeroHi - dHi * local.InvHi);
        b.AssertZero(dHi * (one - local.NonZeroHi));
        b.AssertZero(local.InvHi * (one - local.NonZeroHi));
        b.AssertZero(local.Equal - real * (one - local.NonZeroLo) * (one - local.NonZeroHi));

        // rs1 − rs2 = Diff − 2^32·Borrow1 limb by limb: both Diff limbs range-checked, so Borrow1 = (rs1 <u rs2).
        b.AssertBool(local.Borrow0);
        b.AssertBool(local.Borrow1);
        b.AssertZero(local.ALo - local.BLo + limb * local.Borrow0 - local.DiffLo);
        b.AssertZero(local.AHi - local.BHi - local.Borrow0 + limb * local.Borrow1 - local.DiffHi);
        Gadgets.RangeU16(b, real, local.DiffLo);
        Gadgets.RangeU16(b, real, local.DiffHi);

        // Sign bits: hi − 2^15·sign doubled is a u16 only when it lies in [0, 2^15) (hi is a read limb, below 2^16).
        b.AssertBool(local.SignA);
        b.AssertBool(local.SignB);
        Gadgets.RangeU16(b, real, two * (local.AHi - half * local.SignA));
        Gadgets.RangeU16(b, real, two * (local.BHi - half * local.SignB));
        // Signed less: the unsigned answer when the signs agree, rs1's sign when they differ.
        TE signsDiffer = local.SignA + local.SignB - two * local.SignA * local.SignB;
        b.AssertZero(local.LessSigned - local.Borrow1 - signsDiffer * (local.SignA - local.Borrow1));

        b.AssertZero(local.Taken - local.IsBeq * local.Equal - local.IsBne * (one - local.Equal)
            - local.IsBlt * local.LessSigned - local.IsBge * (one - local.LessSigned)
            - local.IsBltu * local.Borrow1 - local.IsBgeu * (one - local.Borrow1));

        // next pc = pc + (taken ? imm : 4) mod 2^32, limb by limb with boolean carries (each side below 2^18).
        b.AssertZero(local.Adapter.Pc - local.PcLo - limb * local.PcHi);
        b.AssertBool(local.Carry0);
        b.AssertBool(local.Carry1);
        b.AssertZero(local.PcLo + local.Taken * local.ImmLo + (real - local.Taken) * four - local.NextLo - limb * local.Carry0);
        b.AssertZero(local.PcHi + local.Taken * local.ImmHi + local.Carry0 - local.NextHi - limb * local.Carry1);
        // pc and next pc below 0x7800_0000 < p: their limbs are unique and the sent field element is the pc itself.
        Gadgets.PcLimbs(b, real, local.PcLo, local.PcHi);
        Gadgets.PcLimbs(b, real, local.NextLo, local.NextHi);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Beq, Opcode.Bne, Opcode.Blt, Opcode.Bge, Opcode.Bltu, Opcode.Bgeu];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        var op = r.Instruction.Op;
        uint imm = (uint)r.Instruction.Imm, a = r.Rs1Value, bv = r.Rs2Value;
        (row.PcLo, row.PcHi) = Limbs(r.Pc);
        (row.ImmLo, row.ImmHi) = Limbs(imm);
        (row.ALo, row.AHi) = Limbs(a);
        (row.BLo, row.BHi) = Limbs(bv);

        row.Equal = F(a == bv ? 1u : 0);
        uint aLo = a & 0xFFFF, bLo = bv & 0xFFFF, aHi = a >> 16, bHi = bv >> 16;
        if (aLo != bLo) (row.InvLo, row.NonZeroLo) = ((F(aLo) - F(bLo)).Inverse(), BabyBear.One);
        if (aHi != bHi) (row.InvHi, row.NonZeroHi) = ((F(aHi) - F(bHi)).Inverse(), BabyBear.One);
        uint borrow0 = aLo < bLo ? 1u : 0;
        row.Borrow0 = F(borrow0);
        row.Borrow1 = F(a < bv ? 1u : 0);
        (row.DiffLo, row.DiffHi) = Limbs(a - bv);
        row.SignA = F(a >> 31);
        row.SignB = F(bv >> 31);
        row.LessSigned = F((int)a < (int)bv ? 1u : 0);
        bool taken = Alu.Taken(op, a, bv);
        row.Taken = F(taken ? 1u : 0);
        uint add = taken ? imm : 4;
        uint next = r.Pc + add;
        (row.NextLo, row.NextHi) = Limbs(next);
        uint lo = (r.Pc & 0xFFFF) + (add & 0xFFFF);
        uint hi = (r.Pc >> 16) + (add >> 16) + (lo >> 16);
        row.Carry0 = F(lo >> 16);
        row.Carry1 = F(hi >> 16);
    }
}
