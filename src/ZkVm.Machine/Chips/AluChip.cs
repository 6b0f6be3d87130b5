using ZkVm.Riscv.Execution;

namespace ZkVm.Machine.Chips;

/// <summary>
/// ADD, SUB, XOR, OR, AND and their immediate forms: rd = a op b, a = rs1, b = rs2 (R) or the
/// immediate from the ROM (I). ADD is limb addition with boolean carries; SUB is proven as
/// b + rd = a; XOR/OR/AND decompose a, b and rd into bytes that four byte-table lookups check.
/// </summary>
/// <remarks>
/// Soundness: a and b (rs2) come from the memory bus, so their limbs are below 2^16; an immediate
/// comes from the ROM as two 16-bit limbs. ADD/SUB: both sides of each limb equation are below
/// 2^18 with boolean carries, so it holds over the integers and, with the result limbs U16-checked,
/// determines them. Bitwise: every byte is checked by its And/Or/Xor lookup (which also fixes the
/// result byte); a limb composed from two checked bytes is exact. On rows of the other kind the
/// carries and bytes are forced to 0, so no column is free.
/// </remarks>
[ZkAir("alu")]
public partial struct AluChip : IRv32Chip<AluChip>
{
    [Col] public BabyBear IsAdd, IsSub, IsXor, IsOr, IsAnd, IsAddi, IsXori, IsOri, IsAndi;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear ALo, AHi, BLo, BHi, ResLo, ResHi, Carry0, Carry1;
    /// <summary>b on I rows, 0 on others: the ROM's immediate as a column, so that its fetch pairs with another lookup.</summary>
    [Col] public BabyBear ImmLo, ImmHi;
    [Col(4)] public BabyBear[] ABytes;
    [Col(4)] public BabyBear[] BBytes;
    [Col(4)] public BabyBear[] ResBytes;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), limb = TE.From(1 << 16), byteBase = TE.From(1 << 8);
        b.AssertBool(local.IsAdd);
        b.AssertBool(local.IsSub);
        b.AssertBool(local.IsXor);
        b.AssertBool(local.IsOr);
        b.AssertBool(local.IsAnd);
        b.AssertBool(local.IsAddi);
        b.AssertBool(local.IsXori);
        b.AssertBool(local.IsOri);
        b.AssertBool(local.IsAndi);
        TE registerForm = local.IsAdd + local.IsSub + local.IsXor + local.IsOr + local.IsAnd;
        TE immediateForm = local.IsAddi + local.IsXori + local.IsOri + local.IsAndi;
        TE real = registerForm + immediateForm;
        TE add = local.IsAdd + local.IsAddi;
        TE arithmetic = add + local.IsSub;
        TE bitwise = local.IsXor + local.IsOr + local.IsAnd + local.IsXori + local.IsOri + local.IsAndi;
        TE opcode = Rv32Adapter.Encode([local.IsAdd, local.IsSub, local.IsXor, local.IsOr, local.IsAnd, local.IsAddi, local.IsXori, local.IsOri, local.IsAndi], Opcodes);
        // a = rs1; b = rs2 on R rows, the immediate on I rows (R rows carry imm = 0 in the ROM, and I rows rs2 = 0).
        b.AssertZero(local.ImmLo - immediateForm * local.BLo);
        b.AssertZero(local.ImmHi - immediateForm * local.BHi);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, local.ImmLo, local.ImmHi, local.Adapter.Pc + TE.From(4),
            real, local.ALo, local.AHi, registerForm, local.BLo, local.BHi, local.ResLo, local.ResHi);

        // ADD: a + b = res + 2^16·carry per limb; SUB: b + res = a + 2^16·carry. Sides stay below 2^18.
        b.AssertZero(local.Carry0 * (local.Carry0 - arithmetic));
        b.AssertZero(local.Carry1 * (local.Carry1 - arithmetic));
        b.AssertZero(add * (local.ALo + local.BLo - local.ResLo - limb * local.Carry0)
            + local.IsSub * (local.BLo + local.ResLo - local.ALo - limb * local.Carry0));
        b.AssertZero(add * (local.AHi + local.BHi + local.Carry0 - local.ResHi - limb * local.Carry1)
            + local.IsSub * (local.BHi + local.ResHi + local.Carry0 - local.AHi - limb * local.Carry1));
        Gadgets.RangeU16(b, arithmetic, local.ResLo);
        Gadgets.RangeU16(b, arithmetic, local.ResHi);

        // Bitwise: limbs = bytes (checked by the lookups below); bytes are 0 on other rows.
        b.AssertZero(bitwise * (local.ALo - local.ABytes[0] - byteBase * local.ABytes[1]));
        b.AssertZero(bitwise * (local.AHi - local.ABytes[2] - byteBase * local.ABytes[3]));
        b.AssertZero(bitwise * (local.BLo - local.BBytes[0] - byteBase * local.BBytes[1]));
        b.AssertZero(bitwise * (local.BHi - local.BBytes[2] - byteBase * local.BBytes[3]));
        b.AssertZero(bitwise * (local.ResLo - local.ResBytes[0] - byteBase * local.ResBytes[1]));
        b.AssertZero(bitwise * (local.ResHi - local.ResBytes[2] - byteBase * local.ResBytes[3]));
        TE op = (local.IsXor + local.IsXori) * TE.From(ByteOp.Xor)
            + (local.IsOr + local.IsOri) * TE.From(ByteOp.Or)
            + (local.IsAnd + local.IsAndi) * TE.From(ByteOp.And);
        for (int i = 0; i < 4; i++)
        {
            b.When(one - bitwise).AssertZero(local.ABytes[i]);
            b.When(one - bitwise).AssertZero(local.BBytes[i]);
            b.When(one - bitwise).AssertZero(local.ResBytes[i]);
            Gadgets.Bitwise(b, bitwise, op, local.ABytes[i], local.BBytes[i], local.ResBytes[i]);
        }
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Add, Opcode.Sub, Opcode.Xor, Opcode.Or, Opcode.And, Opcode.Addi, Opcode.Xori, Opcode.Ori, Opcode.Andi];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var ins = r.Instruction;
        var row = new MainRow<BabyBear>(cells);
        bool immediate = ins.Op is Opcode.Addi or Opcode.Xori or Opcode.Ori or Opcode.Andi;
        // The emulator's own semantics, also for rd = x0, whose record keeps no result.
        uint a = r.Rs1Value, bv = immediate ? (uint)ins.Imm : r.Rs2Value, res = Alu.Compute(ins.Op, a, bv);
        (row.ALo, row.AHi) = Limbs(a);
        (row.BLo, row.BHi) = Limbs(bv);
        if (immediate) (row.ImmLo, row.ImmHi) = Limbs(bv);
        (row.ResLo, row.ResHi) = Limbs(res);
        switch (ins.Op)
        {
            case Opcode.Add or Opcode.Addi:
            {
                uint lo = (a & 0xFFFF) + (bv & 0xFFFF);
                row.Carry0 = F(lo >> 16);
                row.Carry1 = F(((a >> 16) + (bv >> 16) + (lo >> 16)) >> 16);
                break;
            }
            case Opcode.Sub:
            {
                uint lo = (bv & 0xFFFF) + (res & 0xFFFF);
                row.Carry0 = F(lo >> 16);
                row.Carry1 = F(((bv >> 16) + (res >> 16) + (lo >> 16)) >> 16);
                break;
            }
            default:
                for (int k = 0; k < 4; k++)
                {
                    row.ABytes[k] = F((a >> (8 * k)) & 0xFF);
                    row.BBytes[k] = F((bv >> (8 * k)) & 0xFF);
                    row.ResBytes[k] = F((res >> (8 * k)) & 0xFF);
                }
                break;
        }
    }
}
