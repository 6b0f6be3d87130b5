using ZkVm.Riscv.Execution;

namespace ZkVm.Machine.Chips;

/// <summary>
/// ADD, SUB and ADDI: rd = a ± b, a = rs1, b = rs2 (R) or the immediate from the ROM (ADDI). ADD is limb
/// addition with boolean carries; SUB is proven as b + rd = a. The bitwise operations have their own chip
/// (<see cref="BitwiseChip"/>), so an add row carries no byte columns.
/// </summary>
/// <remarks>
/// Soundness: a and b (rs2) come from the memory bus, so their limbs are below 2^16; an immediate
/// comes from the ROM as two 16-bit limbs. Both sides of each limb equation are below 2^18 with
/// boolean carries, so it holds over the integers and, with the result limbs U16-checked, determines
/// them. On padding rows the carries are forced to 0, so no column is free.
/// </remarks>
[ZkAir("alu")]
public partial struct AluChip : IRv32Chip<AluChip>
{
    [Col] public BabyBear IsAdd, IsSub, IsAddi;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear ALo, AHi, BLo, BHi, ResLo, ResHi, Carry0, Carry1;
    /// <summary>b on ADDI rows, 0 on others: the ROM's immediate as a column, so that its fetch pairs with another lookup.</summary>
    [Col] public BabyBear ImmLo, ImmHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE limb = TE.From(1 << 16);
        b.AssertBool(local.IsAdd);
        b.AssertBool(local.IsSub);
        b.AssertBool(local.IsAddi);
        TE registerForm = local.IsAdd + local.IsSub;
        TE real = registerForm + local.IsAddi;
        TE add = local.IsAdd + local.IsAddi;
        TE opcode = Rv32Adapter.Encode([local.IsAdd, local.IsSub, local.IsAddi], Opcodes);
        // a = rs1; b = rs2 on R rows, the immediate on ADDI rows (R rows carry imm = 0 in the ROM, and I rows rs2 = 0).
        b.AssertZero(local.ImmLo - local.IsAddi * local.BLo);
        b.AssertZero(local.ImmHi - local.IsAddi * local.BHi);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, local.ImmLo, local.ImmHi, local.Adapter.Pc + TE.From(4),
            real, local.ALo, local.AHi, registerForm, local.BLo, local.BHi, local.ResLo, local.ResHi);

        // ADD: a + b = res + 2^16·carry per limb; SUB: b + res = a + 2^16·carry. Sides stay below 2^18.
        b.AssertZero(local.Carry0 * (local.Carry0 - real));
        b.AssertZero(local.Carry1 * (local.Carry1 - real));
        b.AssertZero(add * (local.ALo + local.BLo - local.ResLo - limb * local.Carry0)
            + local.IsSub * (local.BLo + local.ResLo - local.ALo - limb * local.Carry0));
        b.AssertZero(add * (local.AHi + local.BHi + local.Carry0 - local.ResHi - limb * local.Carry1)
            + local.IsSub * (local.BHi + local.ResHi + local.Carry0 - local.AHi - limb * local.Carry1));
        Gadgets.RangeU16(b, real, local.ResLo);
        Gadgets.RangeU16(b, real, local.ResHi);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Add, Opcode.Sub, Opcode.Addi];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var ins = r.Instruction;
        var row = new MainRow<BabyBear>(cells);
        bool immediate = ins.Op is Opcode.Addi;
        // The emulator's own semantics, also for rd = x0, whose record keeps no result.
        uint a = r.Rs1Value, bv = immediate ? (uint)ins.Imm : r.Rs2Value, res = Alu.Compute(ins.Op, a, bv);
        (row.ALo, row.AHi) = Limbs(a);
        (row.BLo, row.BHi) = Limbs(bv);
        if (immediate) (row.ImmLo, row.ImmHi) = Limbs(bv);
        (row.ResLo, row.ResHi) = Limbs(res);
        // SUB is b + res = a: its carries are those of that sum.
        uint x = ins.Op is Opcode.Sub ? bv : a, y = ins.Op is Opcode.Sub ? res : bv;
        uint lo = (x & 0xFFFF) + (y & 0xFFFF);
        row.Carry0 = F(lo >> 16);
        row.Carry1 = F(((x >> 16) + (y >> 16) + (lo >> 16)) >> 16);
    }
}
