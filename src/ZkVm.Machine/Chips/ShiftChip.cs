using ZkVm.Riscv.Execution;

namespace ZkVm.Machine.Chips;

/// <summary>
/// SLL, SRL, SRA and their immediate forms: rd = a shifted by s = b mod 32, a = rs1, b = rs2 (R) or
/// the ROM's shamt (IShift). The shift is split as s = r + 8·q (r &lt; 8, q &lt; 4): a's bytes are
/// multiplied by a power of two (2^r left, 2^(8−r) right) and split into bytes again, which shifts
/// by r; the one-hot q then selects which bytes land where.
/// </summary>
/// <remarks>
/// Soundness, step by step (every equation below holds over the integers because both sides are
/// far below p ≈ 2^31):
/// <list type="number">
/// <item>a = A0 + 2^8·A1 + 2^16·A2 + 2^24·A3 with A0..A3 checked as bytes; the rs1 read uses these
/// limbs, so the bytes are a's.</item>
/// <item>s: BLo = S0 + 2·S1 + 4·S2 + 8·Q1 + 16·Q2 + 24·Q3 + 32·BRest, S bits boolean, Q one-hot
/// (boolean, Σ = real), BRest U16-checked. BLo &lt; 2^16 (memory-bus invariant, or the ROM's
/// shamt) and the right side is &lt; 2^22, so r = S0 + 2S1 + 4S2 and q = Q1 + 2Q2 + 3Q3 are exactly
/// the low 5 bits of b: the upper bits of rs2 can only go to BRest (BHi does not enter at all).</item>
/// <item>Pow = 2^r on left rows and 2^(8−r) on right rows, built from the bits through two
/// degree-3 product columns that are 0 on the other kind of row (and on padding).</item>
/// <item>A_k·Pow = L_k + 2^8·H_k with L_k, H_k checked bytes: both sides &lt; 2^16, so (L_k, H_k)
/// is the unique byte split of A_k·Pow. Hence the byte string D = (L0, L1+H0, L2+H1, L3+H2, H3) is
/// a·Pow written in bytes: Pow divides 2^8, so L_k = A_k·Pow mod 2^8 is a multiple of Pow while
/// H_(k−1) &lt; Pow, and each sum is below 2^8: no carry is hidden. Left: a·2^r = Σ D_k·2^(8k)
/// (D4 falls off the word). Right: a·2^(8−r) = Σ D_k·2^(8k), so a &gt;&gt; r = (D1, D2, D3, D4).</item>
/// <item>SRA: on SRA rows Sign is the top bit of A3, proven by a byte-pair lookup of
/// (A3 − 128·Sign, 2·(A3 − 128·Sign)): the first is a byte, so the second cannot wrap, and it is a
/// byte only when A3 − 128·Sign &lt; 128. Sign is forced to 0 on other rows. The top byte of the
/// arithmetic shift is Top = H3 + Sign·(2^8 − Pow): H3 = A3 &gt;&gt; r &lt; 2^(8−r), so Top is a
/// byte and fills the r vacated bits with Sign; the bytes beyond are 255·Sign.</item>
/// <item>The result bytes are Σ_q Q_q·(byte q places away): with Q one-hot each is exactly one of
/// the bytes above (or 0 / the sign fill), so ResLo and ResHi are exact 16-bit limbs of the shifted
/// value and need no further range check.</item>
/// </list>
/// A shift by 32 or more is therefore impossible to claim: the amount is always b mod 32.
/// </remarks>
[ZkAir("shift")]
public partial struct ShiftChip : IRv32Chip<ShiftChip>
{
    [Col] public BabyBear IsSll, IsSrl, IsSra, IsSlli, IsSrli, IsSrai;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col(4)] public BabyBear[] ABytes;
    [Col] public BabyBear BLo, BHi;
    [Col(3)] public BabyBear[] Bits;
    [Col(4)] public BabyBear[] ByteShift;
    [Col] public BabyBear BRest, PowLeft01, PowRight01, Pow;
    [Col(4)] public BabyBear[] Low;
    [Col(4)] public BabyBear[] High;
    [Col] public BabyBear Sign, Top, ResLo, ResHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), two = TE.From(2), byteBase = TE.From(1 << 8);
        b.AssertBool(local.IsSll);
        b.AssertBool(local.IsSrl);
        b.AssertBool(local.IsSra);
        b.AssertBool(local.IsSlli);
        b.AssertBool(local.IsSrli);
        b.AssertBool(local.IsSrai);
        TE registerForm = local.IsSll + local.IsSrl + local.IsSra;
        TE immediateForm = local.IsSlli + local.IsSrli + local.IsSrai;
        TE left = local.IsSll + local.IsSlli;
        TE arithmetic = local.IsSra + local.IsSrai;
        TE right = local.IsSrl + local.IsSrli + arithmetic;
        TE real = registerForm + immediateForm;

        TE opcode = Rv32Adapter.Encode([local.IsSll, local.IsSrl, local.IsSra, local.IsSlli, local.IsSrli, local.IsSrai], Opcodes);
        // The shamt is b on IShift rows; R rows carry imm = 0 in the ROM, and IShift rows rs2 = 0.
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, immediateForm * local.BLo, immediateForm * local.BHi, local.Adapter.Pc + TE.From(4),
            real, Gadgets.ByteLimb(local.ABytes[0], local.ABytes[1]), Gadgets.ByteLimb(local.ABytes[2], local.ABytes[3]), registerForm, local.BLo, local.BHi, local.ResLo, local.ResHi);

        // a as checked bytes.
        Gadgets.Bytes(b, real, local.ABytes[0], local.ABytes[1]);
        Gadgets.Bytes(b, real, local.ABytes[2], local.ABytes[3]);

        // s = b mod 32 = r + 8·q: BLo = bits of r + 8·q + 32·BRest.
        for (int i = 0; i < 3; i++) b.AssertBool(local.Bits[i]);
        for (int i = 0; i < 4; i++) b.AssertBool(local.ByteShift[i]);
        b.AssertZero(local.ByteShift[0] + local.ByteShift[1] + local.ByteShift[2] + local.ByteShift[3] - real);
        b.AssertZero(local.BLo - local.Bits[0] - two * local.Bits[1] - TE.Constant(BabyBear.FromCanonical(4)) * local.Bits[2]
            - TE.Constant(BabyBear.FromCanonical(8)) * local.ByteShift[1] - TE.Constant(BabyBear.FromCanonical(16)) * local.ByteShift[2]
            - TE.Constant(BabyBear.FromCanonical(24)) * local.ByteShift[3] - TE.Constant(BabyBear.FromCanonical(32)) * local.BRest);
        Gadgets.RangeU16(b, real, local.BRest);

        // Pow = 2^r (left) or 2^(8−r) = 2·2^(1−S0)·2^(2−2S1)·2^(4−4S2) (right).
        b.AssertZero(local.PowLeft01 - left * (one + local.Bits[0]) * (one + TE.Constant(BabyBear.FromCanonical(3)) * local.Bits[1]));
        b.AssertZero(local.PowRight01 - right * (two - local.Bits[0]) * (TE.Constant(BabyBear.FromCanonical(4)) - TE.Constant(BabyBear.FromCanonical(3)) * local.Bits[1]));
        b.AssertZero(local.Pow - local.PowLeft01 * (one + TE.Constant(BabyBear.FromCanonical(15)) * local.Bits[2])
            - two * local.PowRight01 * (TE.Constant(BabyBear.FromCanonical(16)) - TE.Constant(BabyBear.FromCanonical(15)) * local.Bits[2]));

        // A_k·Pow split into checked bytes.
        for (int k = 0; k < 4; k++)
        {
            b.AssertZero(local.ABytes[k] * local.Pow - local.Low[k] - byteBase * local.High[k]);
            Gadgets.Bytes(b, real, local.Low[k], local.High[k]);
        }

        // SRA's sign: A3 = 128·Sign + rest, rest < 128; 0 on other rows.
        b.AssertZero(local.Sign * (local.Sign - arithmetic));
        TE rest = local.ABytes[3] - TE.From(128) * local.Sign;
        Gadgets.Bytes(b, arithmetic, rest, two * rest);
        b.AssertZero(local.Top - local.High[3] - local.Sign * (byteBase - local.Pow));

        // D: a·Pow in bytes; E: the right shift by r with the sign fill; F: the fill byte beyond.
        TE d0 = local.Low[0];
        TE d1 = local.Low[1] + local.High[0];
        TE d2 = local.Low[2] + local.High[1];
        TE d3 = local.Low[3] + local.High[2];
        TE fill = TE.From(255) * local.Sign;
        TE q0 = local.ByteShift[0];
        TE q1 = local.ByteShift[1];
        TE q2 = local.ByteShift[2];
        TE q3 = local.ByteShift[3];
        TE l0 = q0 * d0;
        TE l1 = q0 * d1 + q1 * d0;
        TE l2 = q0 * d2 + q1 * d1 + q2 * d0;
        TE l3 = q0 * d3 + q1 * d2 + q2 * d1 + q3 * d0;
        TE r0 = q0 * d1 + q1 * d2 + q2 * d3 + q3 * local.Top;
        TE r1 = q0 * d2 + q1 * d3 + q2 * local.Top + q3 * fill;
        TE r2 = q0 * d3 + q1 * local.Top + (q2 + q3) * fill;
        TE r3 = q0 * local.Top + (q1 + q2 + q3) * fill;
        b.AssertZero(local.ResLo - left * (l0 + byteBase * l1) - right * (r0 + byteBase * r1));
        b.AssertZero(local.ResHi - left * (l2 + byteBase * l3) - right * (r2 + byteBase * r3));

        // The columns of an access a row does not make are 0, so no column of a real row is free.
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Sll, Opcode.Srl, Opcode.Sra, Opcode.Slli, Opcode.Srli, Opcode.Srai];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var ins = r.Instruction;
        var row = new MainRow<BabyBear>(cells);
        bool immediate = ins.Op is Opcode.Slli or Opcode.Srli or Opcode.Srai;
        bool left = ins.Op is Opcode.Sll or Opcode.Slli;
        bool arithmetic = ins.Op is Opcode.Sra or Opcode.Srai;
        uint a = r.Rs1Value, bv = immediate ? (uint)ins.Imm : r.Rs2Value;
        uint amount = bv & 31, bits = amount & 7, q = amount >> 3;
        uint pow = left ? 1u << (int)bits : 1u << (int)(8 - bits);
        uint res = Alu.Compute(ins.Op, a, bv);
        (row.BLo, row.BHi) = Limbs(bv);
        for (int k = 0; k < 3; k++) row.Bits[k] = F((bits >> k) & 1);
        row.ByteShift[(int)q] = BabyBear.One;
        row.BRest = F((bv & 0xFFFF) >> 5);
        uint low2 = bits & 3;
        row.PowLeft01 = left ? F(1u << (int)low2) : BabyBear.Zero;
        row.PowRight01 = left ? BabyBear.Zero : F(1u << (int)(3 - low2));
        row.Pow = F(pow);
        for (int k = 0; k < 4; k++)
        {
            uint aByte = (a >> (8 * k)) & 0xFF, product = aByte * pow;
            row.ABytes[k] = F(aByte);
            row.Low[k] = F(product & 0xFF);
            row.High[k] = F(product >> 8);
        }
        uint sign = arithmetic ? a >> 31 : 0;
        row.Sign = F(sign);
        row.Top = F(((a >> 24) * pow >> 8) + sign * (256 - pow));
        (row.ResLo, row.ResHi) = Limbs(res);
    }
}
