namespace ZkVm.Machine.Chips;

/// <summary>
/// MUL, MULH, MULHSU and MULHU: the full 64-bit product of a = rs1 and b = rs2, each sign-extended
/// to 8 bytes (by 0xFF·sign, the sign a proven top bit where the opcode reads it as signed),
/// multiplied byte by byte as a convolution mod 2^64 with u16-checked carries; rd is bytes 0–3 (MUL)
/// or 4–7 of the product. Every term is at most 8·255² + 2^16, so no equation wraps mod p.
/// </summary>
[ZkAir("multiply")]
public partial struct MultiplyChip : IRv32Chip<MultiplyChip>
{
    [Col] public BabyBear IsMul, IsMulh, IsMulhsu, IsMulhu;
    [Col(Name = "")] public Rv32Adapter Adapter;
    /// <summary>The bytes of a = rs1 and b = rs2, least significant first.</summary>
    [Col(4)] public BabyBear[] A;
    [Col(4)] public BabyBear[] B;
    /// <summary>1 when the opcode reads the operand as signed and its top bit is set.</summary>
    [Col] public BabyBear SignA, SignB;
    /// <summary>The 8 bytes of the product and the carry out of each.</summary>
    [Col(8)] public BabyBear[] P;
    [Col(8)] public BabyBear[] Carry;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), byteBase = TE.From(256), ff = TE.From(255), two = TE.From(2);
        TE top = TE.From(128);
        TE real = local.IsMul + local.IsMulh + local.IsMulhsu + local.IsMulhu;
        TE high = local.IsMulh + local.IsMulhsu + local.IsMulhu;
        TE signedA = local.IsMulh + local.IsMulhsu;
        b.AssertBool(local.IsMul);
        b.AssertBool(local.IsMulh);
        b.AssertBool(local.IsMulhsu);
        b.AssertBool(local.IsMulhu);

        TE opcode = Rv32Adapter.Encode([local.IsMul, local.IsMulh, local.IsMulhsu, local.IsMulhu], Opcodes);
        // The operands as read: limbs built from bytes, and each byte checked, so the bytes are the limbs' unique split.
        Gadgets.Bytes(b, real, local.A[0], local.A[1]);
        Gadgets.Bytes(b, real, local.A[2], local.A[3]);
        Gadgets.Bytes(b, real, local.B[0], local.B[1]);
        Gadgets.Bytes(b, real, local.B[2], local.B[3]);

        // Signs: 0 for an operand read as unsigned (MUL, MULHU; b of MULHSU), else boolean and equal to the
        // top bit: 2·(byte3 − 128·sign) is a byte exactly when byte3 − 128·sign ∈ [0, 128).
        b.AssertZero(local.SignA * (local.SignA - signedA));
        b.AssertZero(local.SignB * (local.SignB - local.IsMulh));
        Gadgets.Bytes(b, signedA, two * (local.A[3] - top * local.SignA), zero);
        Gadgets.Bytes(b, local.IsMulh, two * (local.B[3] - top * local.SignB), zero);

        // The 8-byte two's-complement extensions of a and b.
        TE a0 = local.A[0];
        TE a1 = local.A[1];
        TE a2 = local.A[2];
        TE a3 = local.A[3];
        TE a4 = ff * local.SignA;
        TE a5 = a4;
        TE a6 = a4;
        TE a7 = a4;
        TE b0 = local.B[0];
        TE b1 = local.B[1];
        TE b2 = local.B[2];
        TE b3 = local.B[3];
        TE b4 = ff * local.SignB;
        TE b5 = b4;
        TE b6 = b4;
        TE b7 = b4;
        TE conv0 = a0 * b0;
        TE conv1 = a0 * b1 + a1 * b0;
        TE conv2 = a0 * b2 + a1 * b1 + a2 * b0;
        TE conv3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
        TE conv4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
        TE conv5 = a0 * b5 + a1 * b4 + a2 * b3 + a3 * b2 + a4 * b1 + a5 * b0;
        TE conv6 = a0 * b6 + a1 * b5 + a2 * b4 + a3 * b3 + a4 * b2 + a5 * b1 + a6 * b0;
        TE conv7 = a0 * b7 + a1 * b6 + a2 * b5 + a3 * b4 + a4 * b3 + a5 * b2 + a6 * b1 + a7 * b0;
        // Byte k of the product: conv_k + carry_{k−1} = P_k + 256·carry_k. conv_k ≤ 8·255², carries are
        // u16 and P bytes, so both sides stay below 2^25 and the equations hold over the integers:
        // Σ P_k·256^k = a·b mod 2^64, the exact 64-bit product.
        b.AssertZero(conv0 - local.P[0] - byteBase * local.Carry[0]);
        b.AssertZero(conv1 + local.Carry[0] - local.P[1] - byteBase * local.Carry[1]);
        b.AssertZero(conv2 + local.Carry[1] - local.P[2] - byteBase * local.Carry[2]);
        b.AssertZero(conv3 + local.Carry[2] - local.P[3] - byteBase * local.Carry[3]);
        b.AssertZero(conv4 + local.Carry[3] - local.P[4] - byteBase * local.Carry[4]);
        b.AssertZero(conv5 + local.Carry[4] - local.P[5] - byteBase * local.Carry[5]);
        b.AssertZero(conv6 + local.Carry[5] - local.P[6] - byteBase * local.Carry[6]);
        b.AssertZero(conv7 + local.Carry[6] - local.P[7] - byteBase * local.Carry[7]);
        Gadgets.Bytes(b, real, local.P[0], local.P[1]);
        Gadgets.Bytes(b, real, local.P[2], local.P[3]);
        Gadgets.Bytes(b, real, local.P[4], local.P[5]);
        Gadgets.Bytes(b, real, local.P[6], local.P[7]);
        for (int i = 0; i < 8; i++) Gadgets.RangeU16(b, real, local.Carry[i]);

        // rd: the low word for MUL, the high word otherwise; bytes of P, so already range-checked.
        TE valueLo = local.IsMul * Gadgets.ByteLimb(local.P[0], local.P[1]) + high * Gadgets.ByteLimb(local.P[4], local.P[5]);
        TE valueHi = local.IsMul * Gadgets.ByteLimb(local.P[2], local.P[3]) + high * Gadgets.ByteLimb(local.P[6], local.P[7]);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, opcode, zero, zero, local.Adapter.Pc + TE.From(4),
            real, Gadgets.ByteLimb(local.A[0], local.A[1]), Gadgets.ByteLimb(local.A[2], local.A[3]), real, Gadgets.ByteLimb(local.B[0], local.B[1]), Gadgets.ByteLimb(local.B[2], local.B[3]), valueLo, valueHi);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Mul, Opcode.Mulh, Opcode.Mulhsu, Opcode.Mulhu];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        var op = r.Instruction.Op;
        uint a = r.Rs1Value, bv = r.Rs2Value;
        bool signA = (op == Opcode.Mulh || op == Opcode.Mulhsu) && (int)a < 0;
        bool signB = op == Opcode.Mulh && (int)bv < 0;
        row.SignA = F(signA ? 1u : 0);
        row.SignB = F(signB ? 1u : 0);
        var ea = new uint[8];
        var eb = new uint[8];
        for (int k = 0; k < 8; k++)
        {
            ea[k] = k < 4 ? (a >> (8 * k)) & 0xFF : signA ? 0xFFu : 0;
            eb[k] = k < 4 ? (bv >> (8 * k)) & 0xFF : signB ? 0xFFu : 0;
        }
        for (int k = 0; k < 4; k++)
        {
            row.A[k] = F(ea[k]);
            row.B[k] = F(eb[k]);
        }
        uint carry = 0;
        for (int k = 0; k < 8; k++)
        {
            uint sum = carry;
            for (int j = 0; j <= k; j++) sum += ea[j] * eb[k - j];
            row.P[k] = F(sum & 0xFF);
            carry = sum >> 8;
            row.Carry[k] = F(carry);
        }
    }
}
