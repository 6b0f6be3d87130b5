using ZkVm.Riscv.Execution;

namespace ZkVm.Machine.Chips;

/// <summary>
/// DIV, DIVU, REM and REMU. Every row proves both the quotient q and the remainder r of a = rs1 by
/// b = rs2, whichever it writes: q·b + r = a over 64 bits (bytes sign-extended where signed, a
/// convolution with u16-checked carries, as in MULTIPLY), |r| &lt; |b| when b ≠ 0, r zero or of a's
/// sign, q all ones when b = 0, and the one signed overflow INT_MIN / −1 (q = INT_MIN, r = 0) as the
/// only case where q·b + r is 2^31 rather than a.
/// </summary>
[ZkAir("divrem")]
public partial struct DivRemChip : IRv32Chip<DivRemChip>
{
    [Col] public BabyBear IsDiv, IsDivu, IsRem, IsRemu;
    [Col(Name = "")] public Rv32Adapter Adapter;
    /// <summary>Bytes, least significant first, of the dividend a, divisor b, quotient q and remainder r.</summary>
    [Col(4)] public BabyBear[] A;
    [Col(4)] public BabyBear[] B;
    [Col(4)] public BabyBear[] Q;
    [Col(4)] public BabyBear[] R;
    /// <summary>Top bits on signed rows, 0 on unsigned ones.</summary>
    [Col] public BabyBear SignA, SignB, SignQ, SignR;
    /// <summary>1 exactly on a signed INT_MIN / −1.</summary>
    [Col] public BabyBear Overflow;
    /// <summary>1 exactly when b = 0 (real rows), with the inverse of b's byte sum otherwise.</summary>
    [Col] public BabyBear ZeroB, InvB;
    /// <summary>|b| and |r| as 16-bit limbs, and the carry out of the low limb of x + |x| = 2^32 for negative x.</summary>
    [Col(2)] public BabyBear[] AbsB;
    [Col(2)] public BabyBear[] AbsR;
    [Col] public BabyBear AbsBCarry, AbsRCarry;
    /// <summary>|b| − |r| − 1 ≥ 0 as u16 limbs and the borrow between them (all 0 when b = 0).</summary>
    [Col(2)] public BabyBear[] Diff;
    [Col] public BabyBear DiffBorrow;
    /// <summary>The carry out of each byte of q·b + r.</summary>
    [Col(8)] public BabyBear[] Carry;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), byteBase = TE.From(256), limb = TE.From(1 << 16), ff = TE.From(255);
        TE two = TE.From(2), top = TE.From(128);
        TE real = local.IsDiv + local.IsDivu + local.IsRem + local.IsRemu;
        TE signed = local.IsDiv + local.IsRem;
        TE writesQ = local.IsDiv + local.IsDivu;
        TE writesR = local.IsRem + local.IsRemu;
        b.AssertBool(local.IsDiv);
        b.AssertBool(local.IsDivu);
        b.AssertBool(local.IsRem);
        b.AssertBool(local.IsRemu);

        TE opcode = Rv32Adapter.Encode([local.IsDiv, local.IsDivu, local.IsRem, local.IsRemu], Opcodes);
        // Operands as read, split into checked bytes; q and r are bytes too.
        Gadgets.Bytes(b, real, local.A[0], local.A[1]);
        Gadgets.Bytes(b, real, local.A[2], local.A[3]);
        Gadgets.Bytes(b, real, local.B[0], local.B[1]);
        Gadgets.Bytes(b, real, local.B[2], local.B[3]);
        Gadgets.Bytes(b, real, local.Q[0], local.Q[1]);
        Gadgets.Bytes(b, real, local.Q[2], local.Q[3]);
        Gadgets.Bytes(b, real, local.R[0], local.R[1]);
        Gadgets.Bytes(b, real, local.R[2], local.R[3]);

        // Signs: 0 on unsigned rows, else boolean and the top bit (2·(byte3 − 128·sign) a byte ⇔ byte3 − 128·sign ∈ [0, 128)).
        b.AssertZero(local.SignA * (local.SignA - signed));
        b.AssertZero(local.SignB * (local.SignB - signed));
        b.AssertZero(local.SignQ * (local.SignQ - signed));
        b.AssertZero(local.SignR * (local.SignR - signed));
        Gadgets.Bytes(b, signed, two * (local.A[3] - top * local.SignA), two * (local.B[3] - top * local.SignB));
        Gadgets.Bytes(b, signed, two * (local.Q[3] - top * local.SignQ), two * (local.R[3] - top * local.SignR));

        // Overflow only on a signed row with a = 0x80000000 and b = 0xFFFFFFFF. There q·b + r = a has no
        // solution with q in range, so the honest row must set it; with it set, q·b + r = 2^31 and
        // |r| < 1 leave q = INT_MIN, r = 0.
        b.AssertZero(local.Overflow * (local.Overflow - signed));
        b.AssertZero(local.Overflow * local.A[0]);
        b.AssertZero(local.Overflow * local.A[1]);
        b.AssertZero(local.Overflow * local.A[2]);
        b.AssertZero(local.Overflow * (local.A[3] - top));
        for (int i = 0; i < 4; i++) b.AssertZero(local.Overflow * (local.B[i] - ff));

        // b = 0 ⇔ ZeroB (on real rows): its byte sum s < 2^10 is 0 exactly then; s·InvB = 1 otherwise.
        // InvB is 0 where it is not needed, so no column is left free.
        TE sumB = local.B[0] + local.B[1] + local.B[2] + local.B[3];
        b.AssertZero(local.ZeroB * sumB);
        b.AssertZero(sumB * local.InvB - (real - local.ZeroB));
        b.AssertZero(local.InvB * (one + local.ZeroB - real));
        // Division by zero: q = 0xFFFFFFFF (and q·0 + r = a below gives r = a).
        for (int i = 0; i < 4; i++) b.AssertZero(local.ZeroB * (local.Q[i] - ff));

        // q·b + r = a over 64 bits: the 8-byte two's-complement extensions (sign bytes 0xFF·sign), byte k
        // conv_k + carry_{k−1} = target_k + 256·carry_k with conv_k ≤ 8·255² + 255 and u16 carries, so each
        // equation holds over the integers. |q·b + r| < 2^63 (signed) or < 2^64 (unsigned, all
        // non-negative), so agreement mod 2^64 is equality. The target's high bytes are a's sign
        // extension, or 0 on overflow (q·b + r = +2^31 there).
        TE q0 = local.Q[0];
        TE q1 = local.Q[1];
        TE q2 = local.Q[2];
        TE q3 = local.Q[3];
        TE q4 = ff * local.SignQ;
        TE q5 = q4;
        TE q6 = q4;
        TE q7 = q4;
        TE b0 = local.B[0];
        TE b1 = local.B[1];
        TE b2 = local.B[2];
        TE b3 = local.B[3];
        TE b4 = ff * local.SignB;
        TE b5 = b4;
        TE b6 = b4;
        TE b7 = b4;
        TE r0 = local.R[0];
        TE r1 = local.R[1];
        TE r2 = local.R[2];
        TE r3 = local.R[3];
        TE r4 = ff * local.SignR;
        TE r5 = r4;
        TE r6 = r4;
        TE r7 = r4;
        TE aHigh = ff * (local.SignA - local.Overflow);
        TE conv0 = q0 * b0 + r0;
        TE conv1 = q0 * b1 + q1 * b0 + r1;
        TE conv2 = q0 * b2 + q1 * b1 + q2 * b0 + r2;
        TE conv3 = q0 * b3 + q1 * b2 + q2 * b1 + q3 * b0 + r3;
        TE conv4 = q0 * b4 + q1 * b3 + q2 * b2 + q3 * b1 + q4 * b0 + r4;
        TE conv5 = q0 * b5 + q1 * b4 + q2 * b3 + q3 * b2 + q4 * b1 + q5 * b0 + r5;
        TE conv6 = q0 * b6 + q1 * b5 + q2 * b4 + q3 * b3 + q4 * b2 + q5 * b1 + q6 * b0 + r6;
        TE conv7 = q0 * b7 + q1 * b6 + q2 * b5 + q3 * b4 + q4 * b3 + q5 * b2 + q6 * b1 + q7 * b0 + r7;
        b.AssertZero(conv0 - local.A[0] - byteBase * local.Carry[0]);
        b.AssertZero(conv1 + local.Carry[0] - local.A[1] - byteBase * local.Carry[1]);
        b.AssertZero(conv2 + local.Carry[1] - local.A[2] - byteBase * local.Carry[2]);
        b.AssertZero(conv3 + local.Carry[2] - local.A[3] - byteBase * local.Carry[3]);
        b.AssertZero(conv4 + local.Carry[3] - aHigh - byteBase * local.Carry[4]);
        b.AssertZero(conv5 + local.Carry[4] - aHigh - byteBase * local.Carry[5]);
        b.AssertZero(conv6 + local.Carry[5] - aHigh - byteBase * local.Carry[6]);
        b.AssertZero(conv7 + local.Carry[6] - aHigh - byteBase * local.Carry[7]);
        for (int i = 0; i < 8; i++) Gadgets.RangeU16(b, real, local.Carry[i]);

        // r is 0 or has a's sign: r < 0 needs a < 0, and a < 0 with r ≥ 0 needs r = 0 (byte sum < 2^10).
        b.AssertZero(local.SignR * (one - local.SignA));
        b.AssertZero(local.SignA * (one - local.SignR) * (local.R[0] + local.R[1] + local.R[2] + local.R[3]));

        // |x| = x when x ≥ 0, else x + |x| = 2^32 limb by limb (carry boolean, and 0 when x ≥ 0).
        TE bLo = local.B[0] + byteBase * local.B[1];
        TE bHi = local.B[2] + byteBase * local.B[3];
        TE rLo = local.R[0] + byteBase * local.R[1];
        TE rHi = local.R[2] + byteBase * local.R[3];
        b.AssertZero((one - local.SignB) * (local.AbsB[0] - bLo));
        b.AssertZero((one - local.SignB) * (local.AbsB[1] - bHi));
        b.AssertZero(local.SignB * (bLo + local.AbsB[0] - limb * local.AbsBCarry));
        b.AssertZero(local.SignB * (bHi + local.AbsB[1] + local.AbsBCarry - limb));
        b.AssertZero(local.AbsBCarry * (local.AbsBCarry - local.SignB));
        b.AssertZero((one - local.SignR) * (local.AbsR[0] - rLo));
        b.AssertZero((one - local.SignR) * (local.AbsR[1] - rHi));
        b.AssertZero(local.SignR * (rLo + local.AbsR[0] - limb * local.AbsRCarry));
        b.AssertZero(local.SignR * (rHi + local.AbsR[1] + local.AbsRCarry - limb));
        b.AssertZero(local.AbsRCarry * (local.AbsRCarry - local.SignR));
        for (int i = 0; i < 2; i++) Gadgets.RangeU16(b, real, local.AbsB[i]);
        for (int i = 0; i < 2; i++) Gadgets.RangeU16(b, real, local.AbsR[i]);

        // |r| < |b| when b ≠ 0: |b| − |r| − 1 = Diff with u16 limbs and a boolean borrow, no borrow out
        // of the top limb. Scaled by (real − ZeroB), so with b = 0 (or padding) Diff and the borrow are 0.
        TE active = real - local.ZeroB;
        b.AssertBool(local.DiffBorrow);
        b.AssertZero(local.Diff[0] - limb * local.DiffBorrow - active * (local.AbsB[0] - local.AbsR[0] - one));
        b.AssertZero(local.Diff[1] - active * (local.AbsB[1] - local.AbsR[1] - local.DiffBorrow));
        for (int i = 0; i < 2; i++) Gadgets.RangeU16(b, real, local.Diff[i]);

        // rd: q for DIV/DIVU, r for REM/REMU; bytes, so already range-checked.
        TE valueLo = writesQ * (local.Q[0] + byteBase * local.Q[1]) + writesR * rLo;
        TE valueHi = writesQ * (local.Q[2] + byteBase * local.Q[3]) + writesR * rHi;
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, zero, zero, local.Adapter.Pc + TE.From(4),
            real, local.A[0] + byteBase * local.A[1], local.A[2] + byteBase * local.A[3], real, local.B[0] + byteBase * local.B[1], local.B[2] + byteBase * local.B[3], valueLo, valueHi);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Div, Opcode.Divu, Opcode.Rem, Opcode.Remu];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        var op = r.Instruction.Op;
        bool signed = op is Opcode.Div or Opcode.Rem;
        uint a = r.Rs1Value, bv = r.Rs2Value;
        uint q = signed ? Alu.Div(a, bv) : Alu.Divu(a, bv);
        uint rem = signed ? Alu.Rem(a, bv) : Alu.Remu(a, bv);
        FillDivision(row, signed, a, bv, q, rem);
    }

    /// <summary>The arithmetic columns of an honest row dividing <paramref name="a"/> by <paramref name="b"/> into <paramref name="q"/>, <paramref name="r"/>.</summary>
    public static void FillDivision(MainRow<BabyBear> row, bool signed, uint a, uint b, uint q, uint r)
    {
        bool Neg(uint x) => signed && (int)x < 0;
        FillDivision(row, a, b, q, r, Neg(a), Neg(b), Neg(q), Neg(r), signed && a == 0x8000_0000 && b == uint.MaxValue, b == 0);
    }

    /// <summary>
    /// The arithmetic columns for a claimed (q, r) and claimed flags: the signs, overflow and b = 0.
    /// Honest rows pass the true ones; attack tests pass forged ones, and get the best witness for
    /// them (the columns that follow from the claim: |b|, |r|, the comparison and the carries).
    /// </summary>
    internal static void FillDivision(MainRow<BabyBear> row, uint a, uint b, uint q, uint r,
        bool signA, bool signB, bool signQ, bool signR, bool overflow, bool zeroB)
    {
        for (int k = 0; k < 4; k++)
        {
            row.A[k] = F((a >> (8 * k)) & 0xFF);
            row.B[k] = F((b >> (8 * k)) & 0xFF);
            row.Q[k] = F((q >> (8 * k)) & 0xFF);
            row.R[k] = F((r >> (8 * k)) & 0xFF);
        }
        row.SignA = F(signA ? 1u : 0);
        row.SignB = F(signB ? 1u : 0);
        row.SignQ = F(signQ ? 1u : 0);
        row.SignR = F(signR ? 1u : 0);
        row.Overflow = F(overflow ? 1u : 0);
        uint sumB = (b & 0xFF) + ((b >> 8) & 0xFF) + ((b >> 16) & 0xFF) + (b >> 24);
        row.ZeroB = F(zeroB ? 1u : 0);
        row.InvB = zeroB || sumB == 0 ? BabyBear.Zero : F(sumB).Inverse();
        uint absB = signB ? 0u - b : b, absR = signR ? 0u - r : r;
        (row.AbsB[0], row.AbsB[1]) = Limbs(absB);
        (row.AbsR[0], row.AbsR[1]) = Limbs(absR);
        row.AbsBCarry = F(signB && (b & 0xFFFF) != 0 ? 1u : 0);
        row.AbsRCarry = F(signR && (r & 0xFFFF) != 0 ? 1u : 0);
        if (!zeroB)
        {
            uint lo = (absB & 0xFFFF) - (absR & 0xFFFF) - 1;
            bool borrow = (absB & 0xFFFF) < (absR & 0xFFFF) + 1;
            row.Diff[0] = F(lo & 0xFFFF);
            row.DiffBorrow = F(borrow ? 1u : 0);
            row.Diff[1] = F(((absB >> 16) - (absR >> 16) - (borrow ? 1u : 0)) & 0xFFFF);
        }
        else
        {
            row.Diff[0] = row.Diff[1] = row.DiffBorrow = BabyBear.Zero;
        }
        var eq = new long[8];
        var eb = new long[8];
        var er = new long[8];
        for (int k = 0; k < 8; k++)
        {
            eq[k] = k < 4 ? (q >> (8 * k)) & 0xFF : signQ ? 0xFF : 0;
            eb[k] = k < 4 ? (b >> (8 * k)) & 0xFF : signB ? 0xFF : 0;
            er[k] = k < 4 ? (r >> (8 * k)) & 0xFF : signR ? 0xFF : 0;
        }
        long carry = 0;
        for (int k = 0; k < 8; k++)
        {
            long target = k < 4 ? (a >> (8 * k)) & 0xFF : 255L * ((signA ? 1 : 0) - (overflow ? 1 : 0));
            long sum = carry + er[k] - target;
            for (int j = 0; j <= k; j++) sum += eq[j] * eb[k - j];
            carry = (long)Math.Floor(sum / 256.0);
            row.Carry[k] = BabyBear.FromInt64(carry);
        }
    }
}
