using ZkVm.Air;
using ZkVm.Field;
using ZkVm.Machine;
using ZkVm.Machine.Adapters;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Chips.ChipTrace;

namespace ZkVm.Samples.Zicond;

/// <summary>
/// czero.eqz and czero.nez on the RV32 adapter: rd = rs1·keep, where keep is whether rs2 is nonzero (eqz) or zero (nez).
/// "rs2 is nonzero" is the usual inverse witness on the sum of rs2's limbs: each is below 2^16 (the memory bus only
/// carries range-checked words), so the sum is 0 exactly when rs2 is; the result is rs1's checked limbs or 0, so it
/// needs no range check of its own.
/// </summary>
[ZkAir("zicond")]
public partial struct ZicondChip : IRv32Chip<ZicondChip>
{
    [Col] public BabyBear IsEqz;
    [Col] public BabyBear IsNez;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear ValueLo;
    [Col] public BabyBear ValueHi;
    [Col] public BabyBear ConditionLo;
    [Col] public BabyBear ConditionHi;
    /// <summary>1 when rs2 is nonzero; forced by the two constraints on <see cref="ConditionInverse"/>.</summary>
    [Col] public BabyBear NonZero;
    [Col] public BabyBear ConditionInverse;
    [Col] public BabyBear ResultLo;
    [Col] public BabyBear ResultHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0);
        TE real = local.IsEqz + local.IsNez;
        b.AssertBool(local.IsEqz);
        b.AssertBool(local.IsNez);

        TE opcode = Rv32Adapter.Encode([local.IsEqz, local.IsNez], Opcodes);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, zero, zero, local.Adapter.Pc + TE.From(4),
            real, local.ValueLo, local.ValueHi, real, local.ConditionLo, local.ConditionHi, local.ResultLo, local.ResultHi);

        // NonZero = [rs2 ≠ 0]: a sum s ≠ 0 forces NonZero = 1, s = 0 forces NonZero = s·inverse = 0.
        TE sum = local.ConditionLo + local.ConditionHi;
        b.AssertZero(local.NonZero - sum * local.ConditionInverse);
        b.AssertZero(sum * (one - local.NonZero));
        TE keep = local.IsEqz * local.NonZero + local.IsNez * (one - local.NonZero);
        b.AssertZero(local.ResultLo - local.ValueLo * keep);
        b.AssertZero(local.ResultHi - local.ValueHi * keep);
        // No column is free: the inverse is 0 where rs2 is 0, and a padding row's operands are 0 (so NonZero, the
        // inverse and the result are 0 there too).
        b.AssertZero(local.ConditionInverse * (one - local.NonZero));
        Gadgets.ZeroWhen(b, one - real, local.ValueLo, local.ValueHi, local.ConditionLo, local.ConditionHi);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [ZicondExtension.CzeroEqz, ZicondExtension.CzeroNez];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        uint value = r.Rs1Value, condition = r.Rs2Value;
        // The extension's own semantics, also for rd = x0, whose record keeps no result.
        uint result = r.Instruction.Op == ZicondExtension.CzeroEqz ? ZicondExtension.Eqz(value, condition) : ZicondExtension.Nez(value, condition);
        (row.ValueLo, row.ValueHi) = Limbs(value);
        (row.ConditionLo, row.ConditionHi) = Limbs(condition);
        var sum = F((condition & 0xFFFF) + (condition >> 16));
        row.NonZero = condition != 0 ? BabyBear.One : BabyBear.Zero;
        row.ConditionInverse = condition != 0 ? sum.Inverse() : BabyBear.Zero;
        (row.ResultLo, row.ResultHi) = Limbs(result);
    }
}
