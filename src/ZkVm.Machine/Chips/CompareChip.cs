namespace ZkVm.Machine.Chips;

/// <summary>
/// SLT, SLTU, SLTI, SLTIU: rd = a &lt; b (signed or unsigned) ∈ {0, 1}, a = rs1, b = rs2 (R) or the
/// ROM immediate (I).
/// </summary>
/// <remarks>
/// Soundness. Unsigned: a + 2^16·Borrow0 = b + Diff (low limbs) and a + 2^16·Borrow1 = b + Borrow0
/// + Diff (high limbs), Diff limbs U16-checked and borrows boolean: each side is below 2^18, so this
/// is a + 2^32·Borrow1 = b + Diff over the integers with 0 ≤ Diff &lt; 2^32, which forces
/// Borrow1 = [a &lt; b]. Signed: on signed rows the sign bits are the top bits of the high limbs,
/// proven by a U16 lookup of 2·hi − 2^16·sign (in [0, 2^16) exactly when sign = hi ≥ 2^15; any
/// other choice is a field element ≥ p − 2^16 or ≥ 2^16); on unsigned rows they are forced to 0.
/// Then a &lt;s b = ltu ⊕ signA ⊕ signB (different signs flip the unsigned order), so the result
/// is Borrow1 ⊕ SignXor with SignXor = signA ⊕ signB, each XOR a degree-2 identity of booleans.
/// </remarks>
[ZkAir("compare")]
public partial struct CompareChip : IRv32Chip<CompareChip>
{
    [Col] public BabyBear IsSlt, IsSltu, IsSlti, IsSltiu;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear ALo, AHi, BLo, BHi, DiffLo, DiffHi, Borrow0, Borrow1, SignA, SignB, SignXor, Result;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), two = TE.From(2), zero = TE.From(0), limb = TE.From(1 << 16);
        b.AssertBool(local.IsSlt);
        b.AssertBool(local.IsSltu);
        b.AssertBool(local.IsSlti);
        b.AssertBool(local.IsSltiu);
        TE registerForm = local.IsSlt + local.IsSltu;
        TE immediateForm = local.IsSlti + local.IsSltiu;
        TE signed = local.IsSlt + local.IsSlti;
        TE real = registerForm + immediateForm;

        TE opcode = Rv32Adapter.Encode([local.IsSlt, local.IsSltu, local.IsSlti, local.IsSltiu], Opcodes);
        // The immediate is b on I rows; R rows carry imm = 0 in the ROM, and I rows rs2 = 0.
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, immediateForm * local.BLo, immediateForm * local.BHi, local.Adapter.Pc + TE.From(4),
            real, local.ALo, local.AHi, registerForm, local.BLo, local.BHi, local.Result, zero);


        // a + 2^32·Borrow1 = b + Diff, limb by limb (each side below 2^18).
        b.AssertZero(local.Borrow0 * (local.Borrow0 - real));
        b.AssertZero(local.Borrow1 * (local.Borrow1 - real));
        b.AssertZero(local.ALo + limb * local.Borrow0 - local.BLo - local.DiffLo);
        b.AssertZero(local.AHi + limb * local.Borrow1 - local.BHi - local.Borrow0 - local.DiffHi);
        Gadgets.RangeU16(b, real, local.DiffLo);
        Gadgets.RangeU16(b, real, local.DiffHi);

        // Sign bits on signed rows (0 on others): hi = 2^15·sign + rest with 2·rest < 2^16.
        b.AssertZero(local.SignA * (local.SignA - signed));
        b.AssertZero(local.SignB * (local.SignB - signed));
        Gadgets.RangeU16(b, signed, two * local.AHi - limb * local.SignA);
        Gadgets.RangeU16(b, signed, two * local.BHi - limb * local.SignB);
        b.AssertZero(local.SignXor - local.SignA - local.SignB + two * local.SignA * local.SignB);
        b.AssertZero(local.Result - local.Borrow1 - local.SignXor + two * local.Borrow1 * local.SignXor);

        // Result is 0 or 1, so its limbs need no range check.
        // The columns of an access a row does not make are 0, so no column of a real row is free.
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Slt, Opcode.Sltu, Opcode.Slti, Opcode.Sltiu];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var ins = r.Instruction;
        var row = new MainRow<BabyBear>(cells);
        bool immediate = ins.Op is Opcode.Slti or Opcode.Sltiu;
        bool signed = ins.Op is Opcode.Slt or Opcode.Slti;
        uint a = r.Rs1Value, bv = immediate ? (uint)ins.Imm : r.Rs2Value;
        (row.ALo, row.AHi) = Limbs(a);
        (row.BLo, row.BHi) = Limbs(bv);
        (row.DiffLo, row.DiffHi) = Limbs(a - bv);
        uint borrow0 = (a & 0xFFFF) < (bv & 0xFFFF) ? 1u : 0;
        uint borrow1 = a < bv ? 1u : 0;
        row.Borrow0 = F(borrow0);
        row.Borrow1 = F(borrow1);
        uint signA = signed ? a >> 31 : 0, signB = signed ? bv >> 31 : 0;
        row.SignA = F(signA);
        row.SignB = F(signB);
        row.SignXor = F(signA ^ signB);
        row.Result = F(borrow1 ^ signA ^ signB);
    }
}
