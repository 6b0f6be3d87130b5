using ZkVm.Riscv.Execution;

namespace ZkVm.Machine.Chips;

/// <summary>
/// XOR, OR, AND and their immediate forms: rd = a op b byte by byte, a = rs1, b = rs2 (R) or the immediate
/// from the ROM (I). Every operand and the result are four bytes, which four byte-table lookups check; the
/// limbs the adapter sends and receives are composed from them, so they need no columns.
/// </summary>
/// <remarks>
/// Soundness: each lookup (op, aᵢ, bᵢ, rᵢ) holds only for bytes with rᵢ = aᵢ op bᵢ, and the op is fixed by the
/// one-hot selectors. A limb composed from two checked bytes is below 2^16 and is that value exactly, so the
/// memory bus ties the bytes to rs1 and rs2 and the ROM's limbs to the immediate. Padding rows (no selector) send
/// nothing and have all bytes 0, so no column is free.
/// </remarks>
[ZkAir("bitwise")]
public partial struct BitwiseChip : IRv32Chip<BitwiseChip>
{
    [Col] public BabyBear IsXor, IsOr, IsAnd, IsXori, IsOri, IsAndi;
    [Col(Name = "")] public Rv32Adapter Adapter;
    /// <summary>b on I rows, 0 on others: the ROM's immediate as a column, so that its fetch pairs with another lookup.</summary>
    [Col] public BabyBear ImmLo, ImmHi;
    [Col(4)] public BabyBear[] ABytes;
    [Col(4)] public BabyBear[] BBytes;
    [Col(4)] public BabyBear[] ResBytes;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1);
        b.AssertBool(local.IsXor);
        b.AssertBool(local.IsOr);
        b.AssertBool(local.IsAnd);
        b.AssertBool(local.IsXori);
        b.AssertBool(local.IsOri);
        b.AssertBool(local.IsAndi);
        TE registerForm = local.IsXor + local.IsOr + local.IsAnd;
        TE immediateForm = local.IsXori + local.IsOri + local.IsAndi;
        TE real = registerForm + immediateForm;
        TE opcode = Rv32Adapter.Encode([local.IsXor, local.IsOr, local.IsAnd, local.IsXori, local.IsOri, local.IsAndi], Opcodes);
        TE aLo = Gadgets.ByteLimb(local.ABytes[0], local.ABytes[1]), aHi = Gadgets.ByteLimb(local.ABytes[2], local.ABytes[3]);
        TE bLo = Gadgets.ByteLimb(local.BBytes[0], local.BBytes[1]), bHi = Gadgets.ByteLimb(local.BBytes[2], local.BBytes[3]);
        // a = rs1; b = rs2 on R rows, the immediate on I rows (R rows carry imm = 0 in the ROM, and I rows rs2 = 0).
        b.AssertZero(local.ImmLo - immediateForm * bLo);
        b.AssertZero(local.ImmHi - immediateForm * bHi);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, local.ImmLo, local.ImmHi, local.Adapter.Pc + TE.From(4),
            real, aLo, aHi, registerForm, bLo, bHi, Gadgets.ByteLimb(local.ResBytes[0], local.ResBytes[1]), Gadgets.ByteLimb(local.ResBytes[2], local.ResBytes[3]));

        TE op = (local.IsXor + local.IsXori) * TE.From(ByteOp.Xor)
            + (local.IsOr + local.IsOri) * TE.From(ByteOp.Or)
            + (local.IsAnd + local.IsAndi) * TE.From(ByteOp.And);
        for (int i = 0; i < 4; i++)
        {
            Gadgets.Bitwise(b, real, op, local.ABytes[i], local.BBytes[i], local.ResBytes[i]);
            Gadgets.ZeroWhen(b, one - real, local.ABytes[i], local.BBytes[i], local.ResBytes[i]);
        }
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Xor, Opcode.Or, Opcode.And, Opcode.Xori, Opcode.Ori, Opcode.Andi];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var ins = r.Instruction;
        var row = new MainRow<BabyBear>(cells);
        bool immediate = ins.Op is Opcode.Xori or Opcode.Ori or Opcode.Andi;
        // The emulator's own semantics, also for rd = x0, whose record keeps no result.
        uint a = r.Rs1Value, bv = immediate ? (uint)ins.Imm : r.Rs2Value, res = Alu.Compute(ins.Op, a, bv);
        if (immediate) (row.ImmLo, row.ImmHi) = Limbs(bv);
        for (int k = 0; k < 4; k++)
        {
            row.ABytes[k] = F((a >> (8 * k)) & 0xFF);
            row.BBytes[k] = F((bv >> (8 * k)) & 0xFF);
            row.ResBytes[k] = F((res >> (8 * k)) & 0xFF);
        }
    }
}
