namespace ZkVm.Machine.Chips;

/// <summary>
/// SB, SH, SW: address = rs1 + imm = 4·word + offset as in <see cref="LoadChip"/> (SW at offset 0, SH
/// at 0 or 2); the word at slot 3 goes from its old bytes to new ones where only the stored bytes
/// (rs2's low bytes) change.
/// </summary>
[ZkAir("store")]
public partial struct StoreChip : IRv32Chip<StoreChip>
{
    [Col] public BabyBear IsSb, IsSh, IsSw;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col] public BabyBear ImmLo, ImmHi, ALo, AHi, BLo, BHi;
    /// <summary>rs2's two low bytes: BLo = Stored[0] + 256·Stored[1].</summary>
    [Col(2, Name = "stored")] public BabyBear[] Stored;
    [Col] public BabyBear WordLo, AddrHi, Carry0, Carry1;
    [Col(4, Name = "offset")] public BabyBear[] Offset;
    /// <summary>The word's bytes before the store.</summary>
    [Col(4, Name = "old")] public BabyBear[] Old;
    [Col] public BabyBear NewLo, NewHi, MemPrevTs, MemDiffLo, MemDiffHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), four = TE.From(4), k256 = TE.From(256), wordHi = TE.From(1 << 14);
        TE real = local.IsSb + local.IsSh + local.IsSw;
        b.AssertBool(local.IsSb);
        b.AssertBool(local.IsSh);
        b.AssertBool(local.IsSw);

        TE opcode = Rv32Adapter.Encode([local.IsSb, local.IsSh, local.IsSw], Opcodes);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.Rs1 | Rv32Operands.Rs2, real, opcode, local.ImmLo, local.ImmHi, local.Adapter.Pc + four,
            real, local.ALo, local.AHi, real, local.BLo, local.BHi, zero, zero);
        b.AssertZero(local.BLo - local.Stored[0] - k256 * local.Stored[1]);
        Gadgets.Bytes(b, real, local.Stored[0], local.Stored[1]);

        // rs1 + imm: its word (WordLo, AddrHi) and the one-hot byte offset within it; SW at offset 0, SH at 0 or 2.
        Gadgets.WordAddress(b, real, local.ALo, local.AHi, local.ImmLo, local.ImmHi,
            local.Offset[0], local.Offset[1], local.Offset[2], local.Offset[3], local.WordLo, local.AddrHi, local.Carry0, local.Carry1);
        b.AssertZero(local.IsSw * (local.Offset[1] + local.Offset[2] + local.Offset[3]));
        b.AssertZero(local.IsSh * (local.Offset[1] + local.Offset[3]));

        // New limbs: each byte is the stored one where the store covers it, the old one elsewhere.
        // Built from checked bytes (or rs2's read limbs for SW), so they are u16 limbs.
        Gadgets.Bytes(b, real, local.Old[0], local.Old[1]);
        Gadgets.Bytes(b, real, local.Old[2], local.Old[3]);
        TE oldLo = local.Old[0] + k256 * local.Old[1];
        TE oldHi = local.Old[2] + k256 * local.Old[3];
        TE half = local.Stored[0] + k256 * local.Stored[1];
        b.AssertZero(local.NewLo - local.IsSw * local.BLo
            - local.IsSb * (local.Offset[0] * local.Stored[0] + (one - local.Offset[0]) * local.Old[0]
                + k256 * (local.Offset[1] * local.Stored[0] + (one - local.Offset[1]) * local.Old[1]))
            - local.IsSh * (local.Offset[0] * half + (one - local.Offset[0]) * oldLo));
        b.AssertZero(local.NewHi - local.IsSw * local.BHi
            - local.IsSb * (local.Offset[2] * local.Stored[0] + (one - local.Offset[2]) * local.Old[2]
                + k256 * (local.Offset[3] * local.Stored[0] + (one - local.Offset[3]) * local.Old[3]))
            - local.IsSh * (local.Offset[2] * half + (one - local.Offset[2]) * oldHi));

        // The word index is below 2^30 < p and not range-checked here: the boundary table only opens
        // indices below 2^27, so an access to any larger index cannot balance the memory bus.
        TE word = local.WordLo + wordHi * local.AddrHi;
        Gadgets.Access(b, real, TE.From(MachineLayout.MemorySpace), word, oldLo, oldHi, local.MemPrevTs,
            local.NewLo, local.NewHi, local.Adapter.Ts + TE.From(MachineLayout.SlotMemory), local.MemDiffLo, local.MemDiffHi);
    }

    /// <summary>The instructions of the chip, in the order of their selector columns.</summary>
    public static Opcode[] Opcodes { get; } = [Opcode.Sb, Opcode.Sh, Opcode.Sw];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var r = s.Record;
        var row = new MainRow<BabyBear>(cells);
        var op = r.Instruction.Op;
        uint imm = (uint)r.Instruction.Imm, a = r.Rs1Value, bv = r.Rs2Value, address = r.MemAddress;
        (row.ImmLo, row.ImmHi) = Limbs(imm);
        (row.ALo, row.AHi) = Limbs(a);
        (row.BLo, row.BHi) = Limbs(bv);
        row.Stored[0] = F(bv & 0xFF);
        row.Stored[1] = F((bv >> 8) & 0xFF);
        int offset;
        (row.Carry0, row.Carry1, row.WordLo, row.AddrHi, offset) = Gadgets.WordAddressWitness(a, imm, address);
        row.Offset[offset] = BabyBear.One;
        for (int k = 0; k < 4; k++) row.Old[k] = F((s.Mem.PrevValue >> (8 * k)) & 0xFF);
        (row.NewLo, row.NewHi) = Limbs(s.Mem.Value);
        row.MemPrevTs = F(s.Mem.PrevTs);
        row.MemDiffLo = F(s.Mem.DiffLo);
        row.MemDiffHi = F(s.Mem.DiffHi);
    }
}
