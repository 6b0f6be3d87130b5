namespace ZkVm.Machine.Chips;

/// <summary>
/// The buffers READ writes and WRITE and COMMIT read, one row per memory word (docs/MACHINE.md §2, §4). A row
/// takes (kind, ts, address, remaining, position) from the transfer bus, moves the k bytes of its word
/// from byte offset on (offset + k ≤ 4) at ts + 3, and unless it is the last (remaining = k) passes the
/// rest on, its address then word-aligned. READ's bytes are the prover's hint (checked bytes) and go only to
/// read-write words; WRITE and COMMIT leave the word unchanged (it may be read-only), and COMMIT sends each
/// moved byte with its journal position on the journal bus. WRITE's bytes are not part of the claim, but its
/// rows prove that every byte of its buffer is mapped data, as the emulator demands.
/// </summary>
[ZkAir("transfer")]
public partial struct TransferChip
{
    [Col] public BabyBear IsRead, IsCommit, IsWrite;
    /// <summary>The word is on a read-only page (its bus space is <see cref="MachineLayout.ReadOnlySpace"/>).</summary>
    [Col] public BabyBear ReadOnly, Ts;
    /// <summary>The first byte this row moves: 4·Word + offset.</summary>
    [Col] public BabyBear Address, Word;
    /// <summary>One-hot: Offset[j] = 1 when the row starts at byte j of its word.</summary>
    [Col(4, Name = "offset")] public BabyBear[] Offset;
    /// <summary>One-hot: Count[c] = 1 when the row moves c + 1 bytes.</summary>
    [Col(4, Name = "count")] public BabyBear[] Count;
    [Col] public BabyBear Remaining, Position, Last;
    [Col(4, Name = "old")] public BabyBear[] Old;
    [Col(4, Name = "new")] public BabyBear[] New;
    /// <summary>COMMIT rows: byte j goes to the journal (IsCommit times the move mask).</summary>
    [Col(4, Name = "sent")] public BabyBear[] Sent;
    [Col] public BabyBear PrevTs, DiffLo, DiffHi;
    /// <summary>Not the last row: remaining − k − 1 = RestLo + 2^16·RestHi ≥ 0.</summary>
    [Col] public BabyBear RestLo, RestHi;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0);
        TE real = local.IsRead + local.IsCommit + local.IsWrite;
        b.AssertBool(local.IsRead);
        b.AssertBool(local.IsCommit);
        b.AssertBool(local.IsWrite);
        b.AssertBool(real);
        // Only reads may touch a read-only word.
        b.AssertBool(local.ReadOnly);
        b.AssertZero(local.ReadOnly * (one - local.IsCommit - local.IsWrite));

        // Offset and count one-hot on real rows, all zero on padding.
        for (int i = 0; i < 4; i++)
        {
            b.AssertBool(local.Offset[i]);
            b.AssertBool(local.Count[i]);
        }
        b.AssertZero(local.Offset[0] + local.Offset[1] + local.Offset[2] + local.Offset[3] - real);
        b.AssertZero(local.Count[0] + local.Count[1] + local.Count[2] + local.Count[3] - real);
        TE offset = local.Offset[1] + TE.From(2) * local.Offset[2] + TE.From(3) * local.Offset[3];
        TE k = local.Count[0] + TE.From(2) * local.Count[1]
            + TE.From(3) * local.Count[2] + TE.From(4) * local.Count[3];
        // The word index is < 2^27 (the boundary checks every index), so address = 4·word + offset is
        // below 2^29 and its decomposition unique.
        b.AssertZero(local.Address - TE.Constant(BabyBear.FromCanonical(4)) * local.Word - offset);
        // offset + k ≤ 4: the forbidden pairs (at most one product is 1, so their sum is 0 iff all are).
        b.AssertZero(local.Offset[1] * local.Count[3] + local.Offset[2] * (local.Count[2] + local.Count[3])
            + local.Offset[3] * (local.Count[1] + local.Count[2] + local.Count[3]));

        // moved[j] = [offset ≤ j < offset + k].
        TE moved0 = local.Offset[0];
        TE moved1 = local.Offset[0] * (real - local.Count[0]) + local.Offset[1];
        TE moved2 = local.Offset[0] * (local.Count[2] + local.Count[3]) + local.Offset[1] * (real - local.Count[0]) + local.Offset[2];
        TE moved3 = local.Offset[0] * local.Count[3] + local.Offset[1] * (local.Count[2] + local.Count[3])
            + local.Offset[2] * (real - local.Count[0]) + local.Offset[3];
        // Bytes outside the moved range keep their value; COMMIT changes nothing.
        b.AssertZero((one - moved0) * (local.New[0] - local.Old[0]));
        b.AssertZero((one - moved1) * (local.New[1] - local.Old[1]));
        b.AssertZero((one - moved2) * (local.New[2] - local.Old[2]));
        b.AssertZero((one - moved3) * (local.New[3] - local.Old[3]));
        for (int i = 0; i < 4; i++)
            b.AssertZero((local.IsCommit + local.IsWrite) * (local.New[i] - local.Old[i]));
        b.AssertZero(local.Sent[0] - local.IsCommit * moved0);
        b.AssertZero(local.Sent[1] - local.IsCommit * moved1);
        b.AssertZero(local.Sent[2] - local.IsCommit * moved2);
        b.AssertZero(local.Sent[3] - local.IsCommit * moved3);
        // Byte j of a COMMIT row is journal byte position + j − offset.
        for (int i = 0; i < 4; i++)
            b.Send(MachineBuses.Journal, local.Sent[i], local.Position + TE.From((uint)i) - offset, local.New[i]);

        // The word's old and new bytes are bytes, so the limbs below split uniquely.
        Gadgets.Bytes(b, real, local.Old[0], local.Old[1]);
        Gadgets.Bytes(b, real, local.Old[2], local.Old[3]);
        Gadgets.Bytes(b, real, local.New[0], local.New[1]);
        Gadgets.Bytes(b, real, local.New[2], local.New[3]);
        Gadgets.Access(b, real, TE.From(MachineLayout.MemorySpace) + local.ReadOnly, local.Word,
            Gadgets.ByteLimb(local.Old[0], local.Old[1]), Gadgets.ByteLimb(local.Old[2], local.Old[3]), local.PrevTs,
            Gadgets.ByteLimb(local.New[0], local.New[1]), Gadgets.ByteLimb(local.New[2], local.New[3]),
            local.Ts + TE.From(MachineLayout.SlotMemory), local.DiffLo, local.DiffHi);

        // The chain: the ECALL (or the previous row) hands this row the rest of the buffer.
        TE kind = local.IsRead * TE.From(MachineLayout.TransferRead)
            + local.IsCommit * TE.From(MachineLayout.TransferCommit)
            + local.IsWrite * TE.From(MachineLayout.TransferWrite);
        b.Receive(MachineBuses.Transfer, real, kind, local.Ts, local.Address, local.Remaining, local.Position);
        // READ and WRITE have no journal position; their chains carry 0 throughout.
        b.AssertZero((local.IsRead + local.IsWrite) * local.Position);
        b.AssertBool(local.Last);
        b.AssertZero(local.Last * (one - real));
        // Last ⇔ remaining = k: the last row moves exactly what is left; any other leaves ≥ 1 byte and
        // runs to the end of its word, so the next row starts word-aligned.
        b.AssertZero(local.Last * (local.Remaining - k));
        TE more = real - local.Last;
        b.AssertZero(more * (k + offset - TE.Constant(BabyBear.FromCanonical(4))));
        b.AssertZero(more * (local.Remaining - k - one - local.RestLo - TE.Constant(BabyBear.FromCanonical(1 << 16)) * local.RestHi));
        // The last row (and padding) has no rest: 0, so the column is bound on every row.
        b.When(one - more).AssertZero(local.RestLo);
        b.When(one - more).AssertZero(local.RestHi);
        Gadgets.RangeU16(b, more, local.RestLo);
        Gadgets.Bytes(b, more, local.RestHi, zero);
        b.Send(MachineBuses.Transfer, more, kind, local.Ts, local.Address + k, local.Remaining - k, local.Position + local.IsCommit * k);
    }

    /// <summary>One row per transferred word, then all-zero padding rows up to <see cref="ChipTrace.Height"/>.</summary>
    public readonly RowMajorMatrix Fill(TransferWord[] words)
    {
        var trace = Allocate(MainWidth, words.Length);
        ForEachRow(words.Length, i =>
        {
            var w = words[i];
            var row = new MainRow<BabyBear>(trace.Row(i));
            bool commit = w.Kind == MachineLayout.TransferCommit;
            row.IsRead = F(w.Kind == MachineLayout.TransferRead ? 1u : 0);
            row.IsCommit = F(commit ? 1u : 0);
            row.IsWrite = F(w.Kind == MachineLayout.TransferWrite ? 1u : 0);
            row.ReadOnly = F(w.Word.ReadOnly ? 1u : 0);
            row.Ts = F(w.Ts);
            row.Address = F(w.Address);
            row.Word = F(w.WordIndex);
            row.Offset[w.Offset] = BabyBear.One;
            row.Count[w.Count - 1] = BabyBear.One;
            row.Remaining = F(w.Remaining);
            row.Position = F(w.Position);
            row.Last = w.Last ? BabyBear.One : BabyBear.Zero;
            for (int j = 0; j < 4; j++)
            {
                row.Old[j] = F((w.Word.PrevValue >> (8 * j)) & 0xFF);
                row.New[j] = F((w.Word.Value >> (8 * j)) & 0xFF);
                if (commit && j >= w.Offset && j < w.Offset + w.Count) row.Sent[j] = BabyBear.One;
            }
            row.PrevTs = F(w.Word.PrevTs);
            row.DiffLo = F(w.Word.DiffLo);
            row.DiffHi = F(w.Word.DiffHi);
            if (!w.Last)
            {
                uint rest = w.Remaining - (uint)w.Count - 1;
                (row.RestLo, row.RestHi) = Limbs(rest);
            }
        });
        return trace;
    }
}
