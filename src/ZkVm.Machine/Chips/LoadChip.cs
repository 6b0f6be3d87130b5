using ZkVm.Riscv.Execution;

namespace ZkVm.Machine.Chips;

/// <summary>
/// LB, LH, LW, LBU, LHU: address = rs1 + imm (limbs with carries) = 4·word + offset with a one-hot
/// offset; reads the word at slot 3 (unchanged), splits it into four checked bytes, selects the
/// loaded byte or half and sign-extends it into rd. LW needs offset 0 and LH/LHU offset 0 or 2, as
/// the emulator traps on a misaligned access.
/// </summary>
[ZkAir("load")]
public partial struct LoadChip : IRv32Chip<LoadChip>
{
    [Col] public BabyBear IsLb, IsLh, IsLw, IsLbu, IsLhu;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear ImmLo, ImmHi, ALo, AHi;
    /// <summary>Bits 2–15 of the address (the word index's low 14 bits).</summary>
    [Col] public BabyBear WordLo;
    /// <summary>Bits 16–31 of the address.</summary>
    [Col] public BabyBear AddrHi, Carry0, Carry1;
    [Col(4, Name = "offset")] public BabyBear[] Offset;
    [Col(4, Name = "byte")] public BabyBear[] Bytes;
    /// <summary>The word is on a read-only page: its memory-bus space is <see cref="MachineLayout.ReadOnlySpace"/>.</summary>
    [Col] public BabyBear ReadOnly, MemPrevTs, MemDiffLo, MemDiffHi;
    /// <summary>The byte at the offset.</summary>
    [Col] public BabyBear SelByte;
    /// <summary>The byte after it within an aligned half (offset 0 or 2).</summary>
    [Col] public BabyBear SelHigh, Sign, ValueLo, ValueHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), two = TE.From(2), four = TE.From(4), k128 = TE.From(128);
        TE k256 = TE.From(256), wordHi = TE.From(1 << 14);
        TE real = local.IsLb + local.IsLh + local.IsLw + local.IsLbu + local.IsLhu;
        b.AssertBool(local.IsLb);
        b.AssertBool(local.IsLh);
        b.AssertBool(local.IsLw);
        b.AssertBool(local.IsLbu);
        b.AssertBool(local.IsLhu);

        TE opcode = Rv32Adapter.Encode([local.IsLb, local.IsLh, local.IsLw, local.IsLbu, local.IsLhu], Opcodes);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.Rs1 | Rv32Operands.Rd, real, opcode, local.ImmLo, local.ImmHi, local.Adapter.Pc + four,
            real, local.ALo, local.AHi, zero, zero, zero, local.ValueLo, local.ValueHi);

        // rs1 + imm: its word (WordLo, AddrHi) and the one-hot byte offset within it.
        Gadgets.WordAddress(b, real, local.ALo, local.AHi, local.ImmLo, local.ImmHi,
            local.Offset[0], local.Offset[1], local.Offset[2], local.Offset[3], local.WordLo, local.AddrHi, local.Carry0, local.Carry1);
        // Alignment: LW at offset 0 only, LH/LHU at 0 or 2.
        b.AssertZero(local.IsLw * (local.Offset[1] + local.Offset[2] + local.Offset[3]));
        b.AssertZero((local.IsLh + local.IsLhu) * (local.Offset[1] + local.Offset[3]));

        // The word (index < 2^30 < p, so the field element names one word). Not range-checked here: the
        // boundary table only opens indices below 2^27, so an access to any larger index cannot balance
        // the memory bus.
        TE word = local.WordLo + wordHi * local.AddrHi;
        TE memLo = local.Bytes[0] + k256 * local.Bytes[1];
        TE memHi = local.Bytes[2] + k256 * local.Bytes[3];
        Gadgets.Bytes(b, real, local.Bytes[0], local.Bytes[1]);
        Gadgets.Bytes(b, real, local.Bytes[2], local.Bytes[3]);
        // A load may read a read-only word; the boundary decides which space the word lives in.
        b.AssertBool(local.ReadOnly);
        b.AssertZero(local.ReadOnly * (one - real));
        Gadgets.Access(b, real, TE.From(MachineLayout.MemorySpace) + local.ReadOnly, word, memLo, memHi, local.MemPrevTs,
            memLo, memHi, local.Adapter.Ts + TE.From(MachineLayout.SlotMemory), local.MemDiffLo, local.MemDiffHi);

        // The byte at the offset, and the one above it in an aligned half.
        b.AssertZero(local.SelByte - local.Offset[0] * local.Bytes[0] - local.Offset[1] * local.Bytes[1]
            - local.Offset[2] * local.Bytes[2] - local.Offset[3] * local.Bytes[3]);
        b.AssertZero(local.SelHigh - local.Offset[0] * local.Bytes[1] - local.Offset[2] * local.Bytes[3]);
        // Sign = bit 7 of the loaded value's top byte (LB: SelByte, LH: SelHigh; 0 for the others):
        // twice (top − 128·Sign) is a byte only when top − 128·Sign lies in [0, 128).
        b.AssertBool(local.Sign);
        Gadgets.Bytes(b, real, two * (local.IsLb * local.SelByte + local.IsLh * local.SelHigh - k128 * local.Sign), zero);

        // rd, built from checked bytes (so within u16 limbs): the word, the byte, or the half, sign-extended.
        b.AssertZero(local.ValueLo - local.IsLw * memLo - (local.IsLb + local.IsLbu) * local.SelByte
            - (local.IsLh + local.IsLhu) * (local.SelByte + k256 * local.SelHigh)
            - local.IsLb * TE.Constant(BabyBear.FromCanonical(0xFF00)) * local.Sign);
        b.AssertZero(local.ValueHi - local.IsLw * memHi - TE.Constant(BabyBear.FromCanonical(0xFFFF)) * local.Sign);
        // A row that writes no register (rd = x0) has no previous rd state.
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Lb, Opcode.Lh, Opcode.Lw, Opcode.Lbu, Opcode.Lhu];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        var op = r.Instruction.Op;
        uint imm = (uint)r.Instruction.Imm, a = r.Rs1Value, address = r.MemAddress;
        (row.ImmLo, row.ImmHi) = Limbs(imm);
        (row.ALo, row.AHi) = Limbs(a);
        int offset;
        (row.Carry0, row.Carry1, row.WordLo, row.AddrHi, offset) = Gadgets.WordAddressWitness(a, imm, address);
        row.Offset[offset] = BabyBear.One;
        uint value = s.Mem.Value;
        for (int k = 0; k < 4; k++) row.Bytes[k] = F((value >> (8 * k)) & 0xFF);
        row.ReadOnly = F(s.Mem.ReadOnly ? 1u : 0);
        row.MemPrevTs = F(s.Mem.PrevTs);
        row.MemDiffLo = F(s.Mem.DiffLo);
        row.MemDiffHi = F(s.Mem.DiffHi);
        uint selByte = (value >> (8 * offset)) & 0xFF;
        uint selHigh = offset is 0 or 2 ? (value >> (8 * offset + 8)) & 0xFF : 0;
        row.SelByte = F(selByte);
        row.SelHigh = F(selHigh);
        uint top = op == Opcode.Lb ? selByte : op == Opcode.Lh ? selHigh : 0;
        row.Sign = F(top >> 7);
        // From the word, not r.RdValue: a load into x0 still proves the value it discards.
        int size = Alu.AccessSize(op);
        uint raw = size == 4 ? value : (value >> (8 * offset)) & ((1u << (8 * size)) - 1);
        (row.ValueLo, row.ValueHi) = Limbs(Alu.Extend(op, raw));
    }
}
