using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Isa;

namespace ZkVm.Machine.Chips;

/// <summary>
/// ECALL (docs/MACHINE.md §4): one selector per syscall, a7 read as Σ selector·number. HALT sends its
/// exit code on the halt bus instead of passing the execution on; READ writes a0 = n ≤ len and, when
/// n ≠ 0, hands (buf, n) to the transfer rows; COMMIT advances the journal cursor by len and hands
/// (buf, len, old cursor) to them; WRITE checks its fd (1 or 2) and hands (a1 = buf, a2 = len) to them, so
/// every byte it prints is proven mapped; CYCLES writes the run's cycle into a0 (the shard's first cycle, its public
/// values, plus the cycles into the shard) and 0 into a1; an extension's syscall (a7 = <see cref="AccelNumber"/>) reads a0 and a1
/// and hands them, with its number and ts, to the precompile table that proves it. EBREAK has no row,
/// so its ROM entry can never be received: a run that reaches it cannot be proven.
/// </summary>
[ZkAir("syscall", PublicValues = 2)]
public partial struct SyscallChip : IInstructionChip
{
    const uint X10 = 10, X11 = 11, X12 = 12, X17 = 17; // a0, a1, a2, a7

    [Col] public BabyBear IsHalt, IsRead, IsWrite, IsCommit, IsCycles, IsAccel, Pc, Ts;
    /// <summary>An extension syscall's number (a7), 0 on other rows; the precompile bus ties it to a table's own.</summary>
    [Col] public BabyBear AccelNumber;
    // a7 at slot 0; its value is Σ selector·number, so it needs no column.
    [Col] public ReadAccess A7;
    // a1 at slot 0: READ and COMMIT (len), WRITE (buf), an extension syscall (its input).
    [Col] public BabyBear LenLo, LenHi;
    [Col] public ReadAccess Len;
    // a0 read at slot 1: HALT (exit code), READ and COMMIT (buf), WRITE (fd), an extension syscall (its state).
    [Col] public BabyBear A0Lo, A0Hi;
    [Col] public ReadAccess A0;
    // a0 written at slot 2: READ (n) and CYCLES (the cycle).
    [Col] public WriteAccess Out;
    [Col] public BabyBear OutLo, OutHi;
    // a2 (len) read at slot 2: WRITE.
    [Col] public BabyBear A2Lo, A2Hi;
    [Col] public ReadAccess A2;
    // READ: len − n = SlackLo + 2^16·SlackHi ≥ 0.
    [Col] public BabyBear SlackLo, SlackHi;
    // Bytes move (n or len ≠ 0): Moves = count·MovesInv, the is-zero witness.
    [Col] public BabyBear Moves, MovesInv;
    // Slot 3: the journal cursor (COMMIT, read-write) or a1 (CYCLES, written 0).
    [Col] public WriteAccess Slot3;
    // CYCLES: the carry of the shard's first cycle's low limb plus the cycles into the shard.
    [Col] public BabyBear CycleCarry;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), limb = TE.From(1 << 16);
        TE real = local.IsHalt + local.IsRead + local.IsWrite + local.IsCommit + local.IsCycles + local.IsAccel;
        b.AssertBool(local.IsHalt);
        b.AssertBool(local.IsRead);
        b.AssertBool(local.IsWrite);
        b.AssertBool(local.IsCommit);
        b.AssertBool(local.IsCycles);
        b.AssertBool(local.IsAccel);
        b.AssertBool(real);

        // System format: every field 0, WritesRd 0. HALT ends the run: it passes no (pc, ts) on.
        Gadgets.Fetch(b, real, local.Pc, TE.From((uint)Opcode.Ecall), zero, zero, zero, zero, zero, zero);
        Gadgets.Step(b, real, real - local.IsHalt, local.Pc, local.Ts, local.Pc + TE.From(4));

        // a7 holds exactly the selected syscall's number (HALT 0).
        TE number = local.IsRead * TE.From(Syscalls.Read)
            + local.IsWrite * TE.From(Syscalls.Write)
            + local.IsCommit * TE.From(Syscalls.Commit)
            + local.IsCycles * TE.From(Syscalls.Cycles)
            + local.AccelNumber;
        b.When(one - local.IsAccel).AssertZero(local.AccelNumber);
        ReadAccess.Read(b, local.A7, real, TE.From(MachineLayout.RegisterSpace), TE.From(X17), number, zero, local.Ts + TE.From(MachineLayout.SlotRs1));

        TE usesLen = local.IsRead + local.IsCommit;
        TE readsA1 = usesLen + local.IsWrite + local.IsAccel;
        ReadAccess.Read(b, local.Len, readsA1, TE.From(MachineLayout.RegisterSpace), TE.From(X11), local.LenLo, local.LenHi, local.Ts + TE.From(MachineLayout.SlotRs1));
        // len < 2^24 (the emulator's per-call limit is 2^24 − 1), so len as a field element does not wrap.
        Gadgets.Bytes(b, usesLen, local.LenHi, zero);
        TE len = local.LenLo + limb * local.LenHi;

        // WRITE: a2 = len, below 2^24 like the others; a0 = fd is 1 or 2, as the emulator demands.
        ReadAccess.Read(b, local.A2, local.IsWrite, TE.From(MachineLayout.RegisterSpace), TE.From(X12), local.A2Lo, local.A2Hi, local.Ts + TE.From(MachineLayout.SlotRd));
        Gadgets.Bytes(b, local.IsWrite, local.A2Hi, zero);
        TE writeLen = local.A2Lo + limb * local.A2Hi;
        b.AssertZero(local.IsWrite * local.A0Hi);
        b.AssertZero(local.IsWrite * (local.A0Lo - one) * (local.A0Lo - TE.Constant(BabyBear.FromCanonical(2))));

        TE readsA0 = local.IsHalt + local.IsRead + local.IsCommit + local.IsWrite + local.IsAccel;
        ReadAccess.Read(b, local.A0, readsA0, TE.From(MachineLayout.RegisterSpace), TE.From(X10), local.A0Lo, local.A0Hi, local.Ts + TE.From(MachineLayout.SlotRs2));
        b.Send(MachineBuses.Halt, local.IsHalt, local.A0Lo, local.A0Hi, local.Ts);

        // a0 written: n (READ, below 2^24: lo a u16 and hi a byte) or the cycle (CYCLES: lo and hi u16).
        TE writesA0 = local.IsRead + local.IsCycles;
        WriteAccess.Write(b, local.Out, writesA0, TE.From(MachineLayout.RegisterSpace), TE.From(X10), local.OutLo, local.OutHi, local.Ts + TE.From(MachineLayout.SlotRd));
        Gadgets.RangeU16(b, writesA0, local.OutLo);
        Gadgets.Bytes(b, writesA0, local.IsRead * local.OutHi + local.IsCycles * local.CycleCarry, local.IsRead * local.SlackHi);
        Gadgets.RangeU16(b, local.IsCycles, local.OutHi);
        TE written = local.OutLo + limb * local.OutHi;

        // READ: n ≤ len. Both are below 2^24 and so is the slack, so len − n = slack cannot wrap.
        Gadgets.RangeU16(b, local.IsRead, local.SlackLo);
        b.AssertZero(local.IsRead * (len - written - local.SlackLo - limb * local.SlackHi));

        // CYCLES: a0 = first + (ts − 4)/4 for the shard's first cycle first = lo + 2^16·hi (public): 4·OutLo + 2^18·carry
        // = 4·lo + ts − 4 and OutHi = hi + carry. Both sides of the first stay below 2^26 (ts < 2^24, carry a byte),
        // so it holds over the integers, and OutHi a u16 keeps the cycle below 2^32.
        b.AssertZero(local.IsCycles * (TE.From(4) * local.OutLo + TE.From(1 << 18) * local.CycleCarry - TE.From(4) * b.Public(0) - local.Ts + TE.From(4)));
        b.AssertZero(local.IsCycles * (local.OutHi - b.Public(1) - local.CycleCarry));
        b.When(one - local.IsCycles).AssertZero(local.CycleCarry);

        // Bytes to move: n for READ, len for COMMIT and WRITE; Moves = [count ≠ 0].
        TE count = local.IsRead * written + local.IsCommit * len + local.IsWrite * writeLen;
        b.AssertZero(local.Moves - count * local.MovesInv);
        b.AssertZero(count * (one - local.Moves));
        b.When(one - local.Moves).AssertZero(local.MovesInv);
        // A moving buffer (a0, or a1 for WRITE) starts below 2^29 (the guest address space), so buf as a
        // field element does not wrap.
        TE bufLo = usesLen * local.A0Lo + local.IsWrite * local.LenLo;
        TE bufHi = usesLen * local.A0Hi + local.IsWrite * local.LenHi;
        Gadgets.RangeU16(b, local.Moves, bufHi * TE.From(8));
        TE kind = local.IsRead * TE.From(MachineLayout.TransferRead)
            + local.IsCommit * TE.From(MachineLayout.TransferCommit)
            + local.IsWrite * TE.From(MachineLayout.TransferWrite);
        b.Send(MachineBuses.Transfer, local.Moves, kind, local.Ts, bufLo + limb * bufHi, count, local.IsCommit * local.Slot3.PrevLo);

        // An extension syscall: its state pointer a0 is below 2^29 (the guest address space), so it does not wrap as a field
        // element; the table that reads an input at a1 range-checks a1 itself (a call without one may leave anything there).
        Gadgets.RangeU16(b, local.IsAccel, local.A0Hi * TE.From(8));
        b.Send(MachineBuses.Precompile, local.IsAccel, local.AccelNumber, local.Ts, local.A0Lo + limb * local.A0Hi, local.LenLo, local.LenHi);

        // A row's unused operand columns are 0, so every column of every row is bound.
        Gadgets.ZeroWhen(b, one - readsA1, local.LenLo, local.LenHi);
        ReadAccess.ZeroUnless(b, local.Len, readsA1);
        Gadgets.ZeroWhen(b, one - local.IsWrite, local.A2Lo, local.A2Hi);
        ReadAccess.ZeroUnless(b, local.A2, local.IsWrite);
        Gadgets.ZeroWhen(b, one - readsA0, local.A0Lo, local.A0Hi);
        ReadAccess.ZeroUnless(b, local.A0, readsA0);
        WriteAccess.ZeroUnless(b, local.Out, writesA0);
        Gadgets.ZeroWhen(b, one - writesA0, local.OutLo, local.OutHi);
        Gadgets.ZeroWhen(b, one - local.IsRead, local.SlackLo, local.SlackHi);
        WriteAccess.ZeroUnless(b, local.Slot3, local.IsCommit + local.IsCycles);

        // Slot 3: COMMIT moves the journal cursor (a plain field element, hi 0) from pos to pos + len;
        // CYCLES writes a1 = 0 (the cycle count's high word).
        TE slot3 = local.IsCommit + local.IsCycles;
        b.AssertZero(local.IsCommit * local.Slot3.PrevHi);
        WriteAccess.Write(b, local.Slot3, slot3, TE.From(MachineLayout.RegisterSpace),
            local.IsCommit * TE.From(MachineLayout.JournalCursor) + local.IsCycles * TE.From(X11),
            local.IsCommit * (local.Slot3.PrevLo + len), zero, local.Ts + TE.From(MachineLayout.SlotMemory));
    }

    readonly IReadOnlyList<Opcode> IInstructionChip.Opcodes => [Opcode.Ecall];

    /// <summary>The public values of a shard whose first cycle is <paramref name="firstCycle"/>: its two u16 limbs.</summary>
    public static BabyBear[] PublicValuesOf(ulong firstCycle) => [F((uint)firstCycle & 0xFFFF), F((uint)firstCycle >> 16)];

    public readonly RowMajorMatrix Fill(MachineStep[] steps, int[] rows)
    {
        var trace = Allocate(MainWidth, rows.Length);
        ForEachRow(rows.Length, i =>
        {
            ref readonly var s = ref steps[rows[i]];
            var r = s.Record;
            var row = new MainRow<BabyBear>(trace.Row(i));
            row.Pc = F(r.Pc);
            row.Ts = F(s.Ts);
            var sys = s.Syscall;
            ReadAccess.Fill(row.A7, sys.A7);
            switch (r.Syscall.Number)
            {
                case Syscalls.Halt:
                    row.IsHalt = BabyBear.One;
                    ReadA0(ref row, sys.A0);
                    break;
                case Syscalls.Read:
                {
                    row.IsRead = BabyBear.One;
                    ReadLen(ref row, sys.A1);
                    ReadA0(ref row, sys.A0);
                    WriteA0(ref row, sys.Slot2);
                    (row.SlackLo, row.SlackHi) = Limbs(sys.A1.Value - sys.Slot2.Value);
                    SetMoves(ref row, sys.Slot2.Value);
                    break;
                }
                case Syscalls.Write:
                    row.IsWrite = BabyBear.One;
                    ReadLen(ref row, sys.A1);
                    ReadA0(ref row, sys.A0);
                    (row.A2Lo, row.A2Hi) = Limbs(sys.Slot2.Value);
                    ReadAccess.Fill(row.A2, sys.Slot2);
                    SetMoves(ref row, sys.Slot2.Value);
                    break;
                case Syscalls.Commit:
                    row.IsCommit = BabyBear.One;
                    ReadLen(ref row, sys.A1);
                    ReadA0(ref row, sys.A0);
                    WriteAccess.Fill(row.Slot3, sys.Slot3);
                    // The journal cursor is a plain field element in lo, hi 0 (docs/MACHINE.md §2), not two limbs.
                    (row.Slot3.PrevLo, row.Slot3.PrevHi) = (F(sys.Slot3.PrevValue), BabyBear.Zero);
                    SetMoves(ref row, sys.A1.Value);
                    break;
                case Syscalls.Cycles:
                    row.IsCycles = BabyBear.One;
                    WriteA0(ref row, sys.Slot2);
                    uint inShard = (s.Ts - 4) / 4, cycle = sys.Slot2.Value;
                    row.CycleCarry = F((((cycle - inShard) & 0xFFFF) + inShard) >> 16);
                    WriteAccess.Fill(row.Slot3, sys.Slot3);
                    break;
                case >= ExtensionSyscall.FirstNumber:
                    row.IsAccel = BabyBear.One;
                    row.AccelNumber = F(r.Syscall.Number);
                    ReadLen(ref row, sys.A1);
                    ReadA0(ref row, sys.A0);
                    break;
                default:
                    throw new ZkVmException(MachineErrors.WitnessMismatch, $"syscall {r.Syscall.Number} at cycle {r.Cycle} cannot be proven");
            }
        });
        return trace;
    }

    static void ReadLen(ref MainRow<BabyBear> row, in AccessRecord a)
    {
        (row.LenLo, row.LenHi) = Limbs(a.Value);
        ReadAccess.Fill(row.Len, a);
    }

    static void ReadA0(ref MainRow<BabyBear> row, in AccessRecord a)
    {
        (row.A0Lo, row.A0Hi) = Limbs(a.Value);
        ReadAccess.Fill(row.A0, a);
    }

    static void WriteA0(ref MainRow<BabyBear> row, in AccessRecord a)
    {
        WriteAccess.Fill(row.Out, a);
        (row.OutLo, row.OutHi) = Limbs(a.Value);
    }

    static void SetMoves(ref MainRow<BabyBear> row, uint count)
    {
        row.Moves = count != 0 ? BabyBear.One : BabyBear.Zero;
        row.MovesInv = count != 0 ? F(count).Inverse() : BabyBear.Zero;
    }
}
