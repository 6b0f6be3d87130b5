namespace ZkVm.Machine;

/// <summary>
/// Constraints every instruction chip states the same way, called from their [Constraints] methods.
/// Multiplicities are 1 on a real row and 0 on padding, so padding rows (all zero) satisfy everything.
/// </summary>
public static class Gadgets
{
    static TE K<TE>(uint value) where TE : IAirExpression<TE> => TE.From(value);

    /// <summary>
    /// Takes (pc, ts) from the execution bus and, unless the row ends the run, passes (next pc, ts + 4) on.
    /// </summary>
    [ZkGadget]
    public static void Step<TB, TE>(TB b, TE receive, TE send, TE pc, TE ts, TE nextPc)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        b.Receive(MachineBuses.Execution, receive, pc, ts);
        b.Send(MachineBuses.Execution, send, nextPc, ts + K<TE>(4));
    }

    /// <summary>Looks the instruction at pc up in the program ROM.</summary>
    [ZkGadget]
    public static void Fetch<TB, TE>(TB b, TE multiplicity, TE pc, TE opcode, TE rd, TE rs1, TE rs2, TE immLo, TE immHi, TE writesRd)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        b.Receive(MachineBuses.Program, multiplicity, pc, opcode, rd, rs1, rs2, immLo, immHi, writesRd);
    }

    /// <summary>
    /// One access of offline memory checking: takes the cell's previous value and timestamp from the
    /// memory bus, gives back its new value at <paramref name="ts"/>, and proves prevTs &lt; ts with
    /// ts − prevTs − 1 = diffLo + 2^16·diffHi, diffLo a u16 and diffHi a byte.
    /// </summary>
    [ZkGadget]
    public static void Access<TB, TE>(TB b, TE multiplicity, TE space, TE index, TE prevLo, TE prevHi, TE prevTs, TE lo, TE hi, TE ts, TE diffLo, TE diffHi)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        AccessPairingHi(b, multiplicity, space, index, prevLo, prevHi, prevTs, lo, hi, ts, diffLo, diffHi);
        b.Send(MachineBuses.Bytes, multiplicity, K<TE>(ByteOp.BytePair), diffHi, K<TE>(0), K<TE>(0));
    }

    /// <summary>
    /// <see cref="Access"/> but for the byte check of diffHi, which the caller makes wherever the access is made, together
    /// with another byte's (one byte-pair lookup checks two): <see cref="Adapters.Rv32Adapter"/> pairs rs1's and rs2's.
    /// </summary>
    [ZkGadget]
    public static void AccessPairingHi<TB, TE>(TB b, TE multiplicity, TE space, TE index, TE prevLo, TE prevHi, TE prevTs, TE lo, TE hi, TE ts, TE diffLo, TE diffHi)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        b.Receive(MachineBuses.Memory, multiplicity, space, index, prevLo, prevHi, prevTs);
        b.Send(MachineBuses.Memory, multiplicity, space, index, lo, hi, ts);
        b.AssertZero(multiplicity * (ts - prevTs - K<TE>(1) - diffLo - K<TE>(1 << 16) * diffHi));
        b.Send(MachineBuses.Bytes, multiplicity, K<TE>(ByteOp.U16), diffLo, K<TE>(0), K<TE>(0));
    }

    /// <summary>Reads register <paramref name="index"/> (value unchanged) at <paramref name="ts"/>.</summary>
    [ZkGadget]
    public static void ReadRegister<TB, TE>(TB b, TE multiplicity, TE index, TE lo, TE hi, TE prevTs, TE ts, TE diffLo, TE diffHi)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        Access(b, multiplicity, K<TE>(MachineLayout.RegisterSpace), index, lo, hi, prevTs, lo, hi, ts, diffLo, diffHi);

    /// <summary>Writes (lo, hi) to register <paramref name="index"/> at <paramref name="ts"/>; the caller range-checks the value.</summary>
    [ZkGadget]
    public static void WriteRegister<TB, TE>(TB b, TE multiplicity, TE index, TE prevLo, TE prevHi, TE prevTs, TE lo, TE hi, TE ts, TE diffLo, TE diffHi)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        Access(b, multiplicity, K<TE>(MachineLayout.RegisterSpace), index, prevLo, prevHi, prevTs, lo, hi, ts, diffLo, diffHi);

    /// <summary>
    /// Every column given is 0 where <paramref name="idle"/> is 1: the access columns of an access a row
    /// does not make (rd = x0) are then as bound as the rest, and padding rows stay all zero.
    /// </summary>
    [ZkGadget]
    public static void ZeroWhen<TB, TE>(TB b, TE idle, params ReadOnlySpan<TE> columns)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        foreach (var column in columns) b.AssertZero(idle * column);
    }

    /// <summary>x &lt; 2^16.</summary>
    [ZkGadget]
    public static void RangeU16<TB, TE>(TB b, TE multiplicity, TE x)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Send(MachineBuses.Bytes, multiplicity, K<TE>(ByteOp.U16), x, K<TE>(0), K<TE>(0));

    /// <summary>
    /// (lo, hi) are the limbs of a pc-sized value (at most 0x77FF_FFFF, docs/MACHINE.md §7): lo a u16 and hi at
    /// most <see cref="MachineLayout.MaxPcHi"/>, so lo + 2^16·hi &lt; p is the value's only split, never value + p.
    /// </summary>
    [ZkGadget]
    public static void PcLimbs<TB, TE>(TB b, TE multiplicity, TE lo, TE hi)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        RangeU16(b, multiplicity, lo);
        RangeU16(b, multiplicity, hi);
        RangeU16(b, multiplicity, K<TE>(MachineLayout.MaxPcHi) - hi);
    }

    /// <summary>
    /// The word address of a load or store: base + imm = 4·wordLo + offset + 2^16·(addrHi + 2^16·carry1) mod 2^32
    /// with offset = Σ k·offset_k one-hot where <paramref name="real"/> (all zero on padding), carries boolean,
    /// wordLo &lt; 2^14 (a u16 whose quadruple is a u16) and addrHi a u16: so wordLo, offset and addrHi are the
    /// address's bits, and the word is wordLo + 2^14·addrHi. Both sides of each limb equation stay below 2^18.
    /// </summary>
    [ZkGadget]
    public static void WordAddress<TB, TE>(TB b, TE real, TE baseLo, TE baseHi, TE immLo, TE immHi,
        TE offset0, TE offset1, TE offset2, TE offset3, TE wordLo, TE addrHi, TE carry0, TE carry1)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        b.AssertBool(offset0);
        b.AssertBool(offset1);
        b.AssertBool(offset2);
        b.AssertBool(offset3);
        b.AssertZero(offset0 + offset1 + offset2 + offset3 - real);
        TE offset = offset1 + K<TE>(2) * offset2 + K<TE>(3) * offset3;
        b.AssertBool(carry0);
        b.AssertBool(carry1);
        b.AssertZero(baseLo + immLo - K<TE>(4) * wordLo - offset - K<TE>(1 << 16) * carry0);
        b.AssertZero(baseHi + immHi + carry0 - addrHi - K<TE>(1 << 16) * carry1);
        RangeU16(b, real, wordLo);
        RangeU16(b, real, K<TE>(4) * wordLo);
        RangeU16(b, real, addrHi);
    }

    /// <summary>The witness of <see cref="WordAddress"/> for base + imm = <paramref name="address"/>: the carries of the
    /// limb sums, the word limb, the high limb and the byte offset (whose one-hot column is 1).</summary>
    public static (BabyBear Carry0, BabyBear Carry1, BabyBear WordLo, BabyBear AddrHi, int Offset) WordAddressWitness(uint baseValue, uint imm, uint address)
    {
        uint lo = (baseValue & 0xFFFF) + (imm & 0xFFFF);
        uint hi = (baseValue >> 16) + (imm >> 16) + (lo >> 16);
        return (F(lo >> 16), F(hi >> 16), F((address & 0xFFFF) >> 2), F(address >> 16), (int)(address & 3));
    }

    /// <summary>The 16-bit limb low + 2^8·high of two bytes.</summary>
    [ZkLinear]
    public static TE ByteLimb<TE>(TE low, TE high) where TE : IAirExpression<TE> => low + K<TE>(1 << 8) * high;

    /// <summary>x and y are bytes.</summary>
    [ZkGadget]
    public static void Bytes<TB, TE>(TB b, TE multiplicity, TE x, TE y)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Send(MachineBuses.Bytes, multiplicity, K<TE>(ByteOp.BytePair), x, y, K<TE>(0));

    /// <summary>z = x op y for bytes x, y; <paramref name="op"/> is an expression so one lookup serves several opcodes.</summary>
    [ZkGadget]
    public static void Bitwise<TB, TE>(TB b, TE multiplicity, TE op, TE x, TE y, TE z)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Send(MachineBuses.Bytes, multiplicity, op, x, y, z);
}
