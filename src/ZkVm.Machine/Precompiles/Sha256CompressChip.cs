using System.Buffers.Binary;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Precompiles;

/// <summary>
/// The SHA-256 compression function (FIPS 180-4 §6.2.2) as a table: 64 rows per compression, row t doing round t
/// (issue 17; docs/MACHINE.md, "Precompile tables").
/// </summary>
/// <remarks>
/// <para>
/// A row holds the working variables a, b, c and e, f, g as bits, d and h as 16-bit limbs, the message-schedule window
/// W_t…W_{t+15} as limbs, and the round's new a and e as bits. Σ0, Σ1, Ch and Maj are sums of bit polynomials
/// (x ⊕ y ⊕ z and the majority have degree 3), so each 32-bit addition mod 2^32 is two limb equations whose carries
/// are committed in bits. The next row takes b ← a, c ← b, d ← c, f ← e, g ← f, h ← g, a ← new a, e ← new e, and the
/// window shifted by one with W_{t+16} = σ1(W_{t+14}) + W_{t+9} + σ0(W_{t+1}) + W_t appended; the schedule's words
/// are decomposed into bits where σ0 and σ1 read them, which also range-checks every computed word a round uses.
/// </para>
/// <para>
/// The first row of a compression starts from H_in (carried unchanged through its 64 rows); the last adds the final
/// variables to it into H_out. Fixed columns give each row K_t, its round and whether it is a compression's first or
/// last. Padding compressions are compressions of zero.
/// </para>
/// <para>
/// As the syscall <see cref="Call"/> (a0 = the state, 8 words; a1 = the block, 64 bytes as memory holds them), the first
/// row receives (number, ts, a0, a1) from the ECALL row; rows 0–15 read block word t at ts + 1, split into bytes (which
/// turns memory's little-endian words into FIPS 180-4's big-endian W_t); the last row rewrites state word k from H_in to
/// H_out at ts + 3 and range-checks H_out's limbs. H_in's limbs are memory's, u16 by every writer's checks.
/// </para>
/// </remarks>
public sealed class Sha256CompressChip : IPrecompileChip
{
    public const int Rounds = 64;

    /// <summary>The syscall's number in a7 (docs/GUEST_ABI.md, "Accelerators").</summary>
    public const uint Number = 0x100;

    public static readonly uint[] K =
    [
        // FIPS 180-4 §4.2.2.
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    // Fixed columns.
    /// <summary>Fixed columns: K_t's limbs, first and last round, t, t &lt; 16, and one-hot FixedWrite + j on round 60 + j.</summary>
    public const int FixedKLo = 0, FixedKHi = 1, FixedFirst = 2, FixedLast = 3, FixedRound = 4, FixedLoads = 5, FixedWrite = 6;

    // Main columns.
    public const int IsReal = 0;
    public const int A = 1, B = A + 32, C = B + 32, E = C + 32, F = E + 32, G = F + 32;
    public const int DLo = G + 32, DHi = DLo + 1, HLo = DHi + 1, HHi = HLo + 1;
    /// <summary>Window word j (W_{t+j}): its low limb at Window + 2j, its high limb after it.</summary>
    public const int Window = HHi + 1;
    public const int W1Bits = Window + 32, W14Bits = W1Bits + 32;
    public const int NewWLo = W14Bits + 32, NewWHi = NewWLo + 1, NewWCarryLo = NewWHi + 1, NewWCarryHi = NewWCarryLo + 2;
    public const int NewA = NewWCarryHi + 2, NewE = NewA + 32;
    /// <summary>Three carry bits each: new a's low and high limb, new e's low and high limb.</summary>
    public const int CarryALo = NewE + 32, CarryAHi = CarryALo + 3, CarryELo = CarryAHi + 3, CarryEHi = CarryELo + 3;
    /// <summary>H_in word k: limbs at HIn + 2k.</summary>
    public const int HIn = CarryEHi + 3;
    /// <summary>
    /// Round 60 + j writes H_out words 3 − j and 7 − j (<see cref="OutA"/>, <see cref="OutE"/>): the final a, b, c, d are the
    /// new a of rounds 63, 62, 61, 60, and e…h their new e. Each output: H_in's word (lo, hi), the sum's limbs (lo, hi), its two
    /// carry bits, when the word was last touched and the gap's limbs.
    /// </summary>
    public const int OutA = HIn + 16, OutE = OutA + OutWidth, OutWidth = 9;
    public const int OutPrevLo = 0, OutPrevHi = 1, OutLo = 2, OutHi = 3, OutCarryLo = 4, OutCarryHi = 5, OutPrevTs = 6, OutDiffLo = 7, OutDiffHi = 8;
    /// <summary>The call, carried through its compression: the ECALL's ts and the word indices a0/4 and a1/4; a1's limbs on the first row.</summary>
    public const int Ts = OutE + OutWidth, StateWord = Ts + 1, InputWord = StateWord + 1, InputLo = InputWord + 1, InputHi = InputLo + 1;
    /// <summary>Rows 0–15 read block word t: when it was last touched, the gap's limbs, whether it is read-only, its four bytes.</summary>
    public const int BlockPrevTs = InputHi + 1, BlockDiffLo = BlockPrevTs + 1, BlockDiffHi = BlockDiffLo + 1, BlockReadOnly = BlockDiffHi + 1, BlockBytes = BlockReadOnly + 1;
    /// <summary>IsReal times the fixed first, loads and writes columns: the bus multiplicities, which must be columns (degree 1).</summary>
    public const int Receives = BlockBytes + 4, Reads = Receives + 1, Writes = Reads + 1;
    public const int Columns = Writes + 1;

    public static Sha256CompressChip Instance { get; } = new();

    /// <summary>The SHA-256 compression as an ECALL: a0 = 8 state words (H as numbers), a1 = the 64-byte block.</summary>
    public static ExtensionSyscall Call { get; } = new(Number, "sha256_compress", 8, 16, (state, input) =>
    {
        Span<uint> block = stackalloc uint[16];
        for (int i = 0; i < 16; i++) block[i] = BinaryPrimitives.ReverseEndianness(input[i]);
        Compress(state, block);
        return null;
    });

    public ExtensionSyscall Syscall => Call;
    public string Name => "sha256_compress";
    public int MainWidth => Columns;
    public int PreprocessedWidth => 10;

    public RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(PreprocessedWidth, height);
        for (int row = 0; row < height; row++)
        {
            int t = row % Rounds;
            m[row, FixedKLo] = BabyBear.FromCanonical(K[t] & 0xFFFF);
            m[row, FixedKHi] = BabyBear.FromCanonical(K[t] >> 16);
            m[row, FixedFirst] = t == 0 ? BabyBear.One : BabyBear.Zero;
            m[row, FixedLast] = t == Rounds - 1 ? BabyBear.One : BabyBear.Zero;
            m[row, FixedRound] = BabyBear.FromCanonical((uint)t);
            m[row, FixedLoads] = t < 16 ? BabyBear.One : BabyBear.Zero;
            if (t >= Rounds - 4) m[row, FixedWrite + t - (Rounds - 4)] = BabyBear.One;
        }
        return m;
    }

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), limb = TE.From(1 << 16);
        TE first = b.Preprocessed(FixedFirst), last = b.Preprocessed(FixedLast), notLast = one - last;
        Bool<TB, TE>(b, IsReal, 1, "IsReal");
        foreach (var (column, name) in new[] { (A, "a"), (B, "b"), (C, "c"), (E, "e"), (F, "f"), (G, "g"), (W1Bits, "W[t+1]"), (W14Bits, "W[t+14]"), (NewA, "new a"), (NewE, "new e") })
            Bool<TB, TE>(b, column, 32, $"{name} bits");
        Bool<TB, TE>(b, NewWCarryLo, 4, "schedule carries");
        Bool<TB, TE>(b, CarryALo, 12, "round carries");
        Bool<TB, TE>(b, OutA + OutCarryLo, 2, "output a's carries");
        Bool<TB, TE>(b, OutE + OutCarryLo, 2, "output e's carries");

        // The schedule words σ0 and σ1 read, decomposed.
        b.AssertZero(Compose<TB, TE>(b, W1Bits, 0) - b.Main(Window + 2), "W[t+1] low bits");
        b.AssertZero(Compose<TB, TE>(b, W1Bits, 16) - b.Main(Window + 3), "W[t+1] high bits");
        b.AssertZero(Compose<TB, TE>(b, W14Bits, 0) - b.Main(Window + 28), "W[t+14] low bits");
        b.AssertZero(Compose<TB, TE>(b, W14Bits, 16) - b.Main(Window + 29), "W[t+14] high bits");

        // W_{t+16} = σ1(W_{t+14}) + W_{t+9} + σ0(W_{t+1}) + W_t mod 2^32.
        for (int half = 0; half < 2; half++)
        {
            TE sum = Xor3<TB, TE>(b, W14Bits, 17, 19, 10, half, shiftLast: true) + b.Main(Window + 18 + half)
                + Xor3<TB, TE>(b, W1Bits, 7, 18, 3, half, shiftLast: true) + b.Main(Window + half);
            if (half == 1) sum = sum + Carry<TB, TE>(b, NewWCarryLo, 2);
            b.AssertZero(b.Main(NewWLo + half) + limb * Carry<TB, TE>(b, half == 0 ? NewWCarryLo : NewWCarryHi, 2) - sum, $"schedule word, limb {half}");
        }

        // T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t; new a = T1 + Σ0(a) + Maj(a, b, c); new e = d + T1.
        for (int half = 0; half < 2; half++)
        {
            TE t1 = b.Main(HLo + half) + Xor3<TB, TE>(b, E, 6, 11, 25, half, shiftLast: false) + Ch<TB, TE>(b, half)
                + b.Preprocessed(FixedKLo + half) + b.Main(Window + half);
            TE newA = t1 + Xor3<TB, TE>(b, A, 2, 13, 22, half, shiftLast: false) + Maj<TB, TE>(b, half);
            TE newE = t1 + b.Main(DLo + half);
            if (half == 1)
            {
                newA = newA + Carry<TB, TE>(b, CarryALo, 3);
                newE = newE + Carry<TB, TE>(b, CarryELo, 3);
            }
            b.AssertZero(Compose<TB, TE>(b, NewA, 16 * half) + limb * Carry<TB, TE>(b, half == 0 ? CarryALo : CarryAHi, 3) - newA, $"new a, limb {half}");
            b.AssertZero(Compose<TB, TE>(b, NewE, 16 * half) + limb * Carry<TB, TE>(b, half == 0 ? CarryELo : CarryEHi, 3) - newE, $"new e, limb {half}");
        }

        // The next round, within a compression.
        for (int i = 0; i < 32; i++)
        {
            b.AssertZero(notLast * (b.MainNext(A + i) - b.Main(NewA + i)), "a ← new a");
            b.AssertZero(notLast * (b.MainNext(B + i) - b.Main(A + i)), "b ← a");
            b.AssertZero(notLast * (b.MainNext(C + i) - b.Main(B + i)), "c ← b");
            b.AssertZero(notLast * (b.MainNext(E + i) - b.Main(NewE + i)), "e ← new e");
            b.AssertZero(notLast * (b.MainNext(F + i) - b.Main(E + i)), "f ← e");
            b.AssertZero(notLast * (b.MainNext(G + i) - b.Main(F + i)), "g ← f");
        }
        for (int half = 0; half < 2; half++)
        {
            b.AssertZero(notLast * (b.MainNext(DLo + half) - Compose<TB, TE>(b, C, 16 * half)), "d ← c");
            b.AssertZero(notLast * (b.MainNext(HLo + half) - Compose<TB, TE>(b, G, 16 * half)), "h ← g");
            b.AssertZero(notLast * (b.MainNext(Window + 30 + half) - b.Main(NewWLo + half)), "W[t+16] enters the window");
        }
        for (int j = 0; j < 30; j++) b.AssertZero(notLast * (b.MainNext(Window + j) - b.Main(Window + 2 + j)), "the window shifts");
        for (int j = 0; j < 16; j++) b.AssertZero(notLast * (b.MainNext(HIn + j) - b.Main(HIn + j)), "H_in is the compression's");
        b.AssertZero(notLast * (b.MainNext(IsReal) - b.Main(IsReal)), "IsReal is the compression's");

        // The first round starts from H_in.
        int[] bitWords = [A, B, C, -1, E, F, G, -1];
        for (int k = 0; k < 8; k++)
            for (int half = 0; half < 2; half++)
            {
                TE value = bitWords[k] >= 0 ? Compose<TB, TE>(b, bitWords[k], 16 * half) : b.Main((k == 3 ? DLo : HLo) + half);
                b.AssertZero(first * (value - b.Main(HIn + 2 * k + half)), "the first round starts from H_in");
            }

        // Rounds 60–63 add the final variables to H_in, two words each; elsewhere the output columns are zero.
        TE writing = TE.From(0);
        for (int j = 0; j < 4; j++) writing = writing + b.Preprocessed(FixedWrite + j);
        foreach (var (at, bits, word) in new[] { (OutA, NewA, 3), (OutE, NewE, 7) })
        {
            for (int half = 0; half < 2; half++)
            {
                TE prev = b.Main(at + OutPrevLo + half);
                for (int j = 0; j < 4; j++)
                    b.AssertZero(b.Preprocessed(FixedWrite + j) * (prev - b.Main(HIn + 2 * (word - j) + half)), "an output's H_in word is its round's");
                TE sum = prev + Compose<TB, TE>(b, bits, 16 * half);
                if (half == 1) sum = sum + b.Main(at + OutCarryLo);
                b.AssertZero(writing * (b.Main(at + OutLo + half) + limb * b.Main(at + OutCarryLo + half) - sum), "H_out = H_in + final");
            }
            for (int i = 0; i < OutWidth; i++)
                b.AssertZero((one - writing) * b.Main(at + i), "output columns only on rounds 60-63");
        }
        Memory<TB, TE>(b);
    }

    /// <summary>The call: received from its ECALL, its block read and its state rewritten through the memory bus.</summary>
    static void Memory<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), limb = TE.From(1 << 16);
        TE real = b.Main(IsReal), first = b.Preprocessed(FixedFirst), last = b.Preprocessed(FixedLast), loads = b.Preprocessed(FixedLoads);
        TE writing = TE.From(0), aWord = TE.From(0), eWord = TE.From(0);
        for (int j = 0; j < 4; j++)
        {
            TE round = b.Preprocessed(FixedWrite + j);
            writing = writing + round;
            aWord = aWord + TE.From((uint)(3 - j)) * round;
            eWord = eWord + TE.From((uint)(7 - j)) * round;
        }
        TE receives = b.Main(Receives), reads = b.Main(Reads), writes = b.Main(Writes);
        b.AssertZero(receives - real * first, "receives = IsReal·first");
        b.AssertZero(reads - real * loads, "reads = IsReal·loads");
        b.AssertZero(writes - real * writing, "writes = IsReal·(round ≥ 60)");
        TE ts = b.Main(Ts), stateWord = b.Main(StateWord), inputWord = b.Main(InputWord);
        foreach (var (column, name) in new[] { (Ts, "ts"), (StateWord, "state word"), (InputWord, "input word") })
        {
            b.AssertZero((one - last) * (b.MainNext(column) - b.Main(column)), $"the call's {name} is the compression's");
            b.AssertZero((one - real) * b.Main(column), $"a padding compression has no {name}");
        }
        // a1 = 4·(input word) < 2^29: its limbs arrive with the call, and the word index then names the block's first word.
        b.AssertZero(first * (b.Main(InputLo) + limb * b.Main(InputHi) - TE.From(4) * inputWord), "a1 is the block's word index");
        b.AssertZero((one - first + one - real) * b.Main(InputLo), "a1's low limb only on a call's first row");
        b.AssertZero((one - first + one - real) * b.Main(InputHi), "a1's high limb only on a call's first row");
        Gadgets.RangeU16(b, receives, b.Main(InputHi) * TE.From(8));
        b.Receive(MachineBuses.Precompile, receives, TE.From(Number), ts, TE.From(4) * stateWord, b.Main(InputLo), b.Main(InputHi));

        // Rows 0–15: block word t, bytes b0..b3 as memory holds them, is W_t = b0·2^24 + b1·2^16 + b2·2^8 + b3.
        TE b0 = b.Main(BlockBytes), b1 = b.Main(BlockBytes + 1), b2 = b.Main(BlockBytes + 2), b3 = b.Main(BlockBytes + 3);
        b.AssertZero(loads * (b.Main(Window) - Gadgets.ByteLimb(b3, b2)), "W_t's low limb is the block word's high bytes");
        b.AssertZero(loads * (b.Main(Window + 1) - Gadgets.ByteLimb(b1, b0)), "W_t's high limb is the block word's low bytes");
        Gadgets.Bytes(b, reads, b0, b1);
        Gadgets.Bytes(b, reads, b2, b3);
        TE readOnly = b.Main(BlockReadOnly);
        b.AssertZero(readOnly * (readOnly - one), "the block word's read-only flag is boolean");
        TE blockLo = Gadgets.ByteLimb(b0, b1), blockHi = Gadgets.ByteLimb(b2, b3);
        Gadgets.Access(b, reads, TE.From(MachineLayout.MemorySpace) + readOnly, inputWord + b.Preprocessed(FixedRound), blockLo, blockHi,
            b.Main(BlockPrevTs), blockLo, blockHi, ts + TE.From(MachineLayout.SlotPrecompileInput), b.Main(BlockDiffLo), b.Main(BlockDiffHi));
        for (int i = 0; i < 4; i++) b.AssertZero((one - loads) * b.Main(BlockBytes + i), "block bytes only on rows 0-15");
        foreach (int column in new[] { BlockPrevTs, BlockDiffLo, BlockDiffHi, BlockReadOnly })
            b.AssertZero((one - reads) * b.Main(column), "a block read's witness only where a call reads");

        // Rounds 60–63: state words 3 − j and 7 − j go from H_in to H_out, whose limbs are u16 as memory's must be.
        foreach (var (at, word) in new[] { (OutA, aWord), (OutE, eWord) })
        {
            TE outLo = b.Main(at + OutLo), outHi = b.Main(at + OutHi);
            Gadgets.RangeU16(b, writes, outLo);
            Gadgets.RangeU16(b, writes, outHi);
            Gadgets.Access(b, writes, TE.From(MachineLayout.MemorySpace), stateWord + word, b.Main(at + OutPrevLo), b.Main(at + OutPrevHi),
                b.Main(at + OutPrevTs), outLo, outHi, ts + TE.From(MachineLayout.SlotPrecompileState), b.Main(at + OutDiffLo), b.Main(at + OutDiffHi));
            foreach (int column in new[] { OutPrevTs, OutDiffLo, OutDiffHi })
                b.AssertZero((one - real) * b.Main(at + column), "a state write's witness only where a call writes");
        }
    }

    static void Bool<TB, TE>(TB b, int column, int count, string what) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        for (int i = 0; i < count; i++)
        {
            TE x = b.Main(column + i);
            b.AssertZero(x * (x - TE.From(1)), $"{what} are boolean");
        }
    }

    /// <summary>Bits from..from+15 of a 32-bit group, as a 16-bit limb.</summary>
    static TE Compose<TB, TE>(TB b, int column, int from) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE sum = b.Main(column + from);
        for (int i = 1; i < 16; i++) sum = sum + TE.From(1u << i) * b.Main(column + from + i);
        return sum;
    }

    static TE Carry<TB, TE>(TB b, int column, int bits) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE sum = b.Main(column);
        for (int i = 1; i < bits; i++) sum = sum + TE.From(1u << i) * b.Main(column + i);
        return sum;
    }

    /// <summary>
    /// Limb <paramref name="half"/> of rotr(x, r1) ⊕ rotr(x, r2) ⊕ (rotr or shr)(x, r3): Σ0, Σ1 (rotations), σ0, σ1
    /// (the last a shift, whose vacated bits are 0). x ⊕ y ⊕ z = x + y + z − 2(xy + yz + zx) + 4xyz on bits.
    /// </summary>
    static TE Xor3<TB, TE>(TB b, int column, int r1, int r2, int r3, int half, bool shiftLast) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE two = TE.From(2), four = TE.From(4);
        TE sum = TE.From(0);
        for (int i = 16 * half; i < 16 * half + 16; i++)
        {
            TE x = b.Main(column + (i + r1) % 32), y = b.Main(column + (i + r2) % 32);
            TE bit;
            if (shiftLast && i + r3 >= 32) bit = x + y - two * x * y;
            else
            {
                TE z = b.Main(column + (i + r3) % 32);
                bit = x + y + z - two * (x * y + y * z + z * x) + four * x * y * z;
            }
            sum = sum + TE.From(1u << (i - 16 * half)) * bit;
        }
        return sum;
    }

    /// <summary>Limb <paramref name="half"/> of Ch(e, f, g) = (e ∧ f) ⊕ (¬e ∧ g): bitwise e·f + (1 − e)·g.</summary>
    static TE Ch<TB, TE>(TB b, int half) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE sum = TE.From(0);
        for (int i = 16 * half; i < 16 * half + 16; i++)
        {
            TE e = b.Main(E + i), f = b.Main(F + i), g = b.Main(G + i);
            sum = sum + TE.From(1u << (i - 16 * half)) * (e * f + (TE.From(1) - e) * g);
        }
        return sum;
    }

    /// <summary>Limb <paramref name="half"/> of Maj(a, b, c): bitwise ab + ac + bc − 2abc.</summary>
    static TE Maj<TB, TE>(TB b, int half) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE sum = TE.From(0);
        for (int i = 16 * half; i < 16 * half + 16; i++)
        {
            TE x = b.Main(A + i), y = b.Main(B + i), z = b.Main(C + i);
            sum = sum + TE.From(1u << (i - 16 * half)) * (x * y + x * z + y * z - TE.From(2) * x * y * z);
        }
        return sum;
    }

    /// <summary>
    /// The table for <paramref name="inputs"/> (a state of 8 words and a block of 16, big-endian words as FIPS 180-4 reads
    /// them), one compression each as a call of its own (<see cref="PrecompileCall.Standalone"/>), padded with compressions of
    /// zero to a power of two; <paramref name="outputs"/> gets each new state.
    /// </summary>
    public static TableTrace Trace(IReadOnlyList<(uint[] State, uint[] Block)> inputs, out uint[][] outputs)
    {
        outputs = new uint[inputs.Count][];
        var calls = new PrecompileCall[inputs.Count];
        for (int c = 0; c < inputs.Count; c++)
        {
            var (state, block) = inputs[c];
            if (state.Length != 8 || block.Length != 16) throw new ArgumentException($"compression {c} needs 8 state words and 16 block words", nameof(inputs));
            outputs[c] = [.. state];
            Compress(outputs[c], block);
            calls[c] = PrecompileCall.Standalone(Number, c, state, [.. block.Select(BinaryPrimitives.ReverseEndianness)], outputs[c]);
        }
        return new TableTrace(Instance, Instance.Fill(calls));
    }

    public RowMajorMatrix Fill(IReadOnlyList<PrecompileCall> calls)
    {
        int compressions = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(calls.Count, 1));
        var m = new RowMajorMatrix(Columns, Rounds * compressions);
        ChipTrace.ForEachRow(compressions, c =>
        {
            if (c >= calls.Count)
            {
                Fill(m, Rounds * c, new uint[8], new uint[16], real: false);
                return;
            }
            var call = calls[c];
            var block = call.InputWords;
            for (int i = 0; i < 16; i++) block[i] = BinaryPrimitives.ReverseEndianness(block[i]);
            var output = Fill(m, Rounds * c, call.StateIn, block, real: true);
            if (!output.AsSpan().SequenceEqual(call.StateOut))
                throw new ZkVmException(MachineErrors.WitnessMismatch, $"sha256_compress at ts {call.Ts} wrote other words than the compression gives");
            for (int t = 0; t < Rounds; t++)
            {
                var row = m.Row(Rounds * c + t);
                row[Ts] = BabyBear.FromCanonical(call.Ts);
                row[StateWord] = BabyBear.FromCanonical(call.StateAddress >> 2);
                row[InputWord] = BabyBear.FromCanonical(call.InputAddress >> 2);
            }
            var firstRow = m.Row(Rounds * c);
            Limbs(firstRow, InputLo, call.InputAddress);
            for (int t = 0; t < 16; t++)
            {
                var row = m.Row(Rounds * c + t);
                var read = call.Input[t];
                row[BlockPrevTs] = BabyBear.FromCanonical(read.PrevTs);
                row[BlockDiffLo] = BabyBear.FromCanonical(read.DiffLo);
                row[BlockDiffHi] = BabyBear.FromCanonical(read.DiffHi);
                row[BlockReadOnly] = read.ReadOnly ? BabyBear.One : BabyBear.Zero;
            }
            for (int j = 0; j < 4; j++)
            {
                var row = m.Row(Rounds * c + Rounds - 4 + j);
                foreach (var (at, word) in new[] { (OutA, 3 - j), (OutE, 7 - j) })
                {
                    var write = call.State[word];
                    row[at + OutPrevTs] = BabyBear.FromCanonical(write.PrevTs);
                    row[at + OutDiffLo] = BabyBear.FromCanonical(write.DiffLo);
                    row[at + OutDiffHi] = BabyBear.FromCanonical(write.DiffHi);
                }
            }
        });
        return m;
    }

    /// <summary>FIPS 180-4 §6.2.2 on <paramref name="state"/> in place, the scalar reference the table's rows follow.</summary>
    public static void Compress(Span<uint> state, ReadOnlySpan<uint> block)
    {
        Span<uint> w = stackalloc uint[Rounds];
        block.CopyTo(w);
        for (int t = 16; t < Rounds; t++) w[t] = SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];
        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < Rounds; t++)
        {
            uint t1 = h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            (h, g, f, e, d, c, b, a) = (g, f, e, d + t1, c, b, a, t1 + t2);
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d; state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }

    static uint Rotr(uint x, int r) => (x >> r) | (x << (32 - r));

    static uint SmallSigma0(uint x) => Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);

    static uint SmallSigma1(uint x) => Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10);

    /// <summary>The limb sums of <paramref name="terms"/> as the constraints state them: the low limb and its carry, the high limb and its carry.</summary>
    static (uint Lo, uint CarryLo, uint Hi, uint CarryHi) Add(params ReadOnlySpan<uint> terms)
    {
        uint lo = 0, hi = 0;
        foreach (uint t in terms)
        {
            lo += t & 0xFFFF;
            hi += t >> 16;
        }
        uint carryLo = lo >> 16;
        hi += carryLo;
        return (lo & 0xFFFF, carryLo, hi & 0xFFFF, hi >> 16);
    }

    static uint[] Fill(RowMajorMatrix m, int first, uint[] hIn, uint[] block, bool real)
    {
        var w = new uint[Rounds + 16];
        block.CopyTo(w, 0);
        for (int t = 16; t < w.Length; t++) w[t] = SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];
        uint a = hIn[0], b = hIn[1], c = hIn[2], d = hIn[3], e = hIn[4], f = hIn[5], g = hIn[6], h = hIn[7];
        var output = new uint[8];
        for (int t = 0; t < Rounds; t++)
        {
            var row = m.Row(first + t);
            row[IsReal] = real ? BabyBear.One : BabyBear.Zero;
            row[Receives] = real && t == 0 ? BabyBear.One : BabyBear.Zero;
            row[Reads] = real && t < 16 ? BabyBear.One : BabyBear.Zero;
            row[Writes] = real && t >= Rounds - 4 ? BabyBear.One : BabyBear.Zero;
            Bits(row, A, a); Bits(row, B, b); Bits(row, C, c); Bits(row, E, e); Bits(row, F, f); Bits(row, G, g);
            Limbs(row, DLo, d);
            Limbs(row, HLo, h);
            for (int j = 0; j < 16; j++) Limbs(row, Window + 2 * j, w[t + j]);
            if (t < 16)
                for (int i = 0; i < 4; i++) row[BlockBytes + i] = BabyBear.FromCanonical((w[t] >> (24 - 8 * i)) & 0xFF);
            Bits(row, W1Bits, w[t + 1]);
            Bits(row, W14Bits, w[t + 14]);
            var schedule = Add(SmallSigma1(w[t + 14]), w[t + 9], SmallSigma0(w[t + 1]), w[t]);
            Limbs(row, NewWLo, schedule.Lo | schedule.Hi << 16);
            Bits(row, NewWCarryLo, schedule.CarryLo, 2);
            Bits(row, NewWCarryHi, schedule.CarryHi, 2);

            uint bigSigma1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25), ch = (e & f) ^ (~e & g);
            uint bigSigma0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22), maj = (a & b) ^ (a & c) ^ (b & c);
            var newA = Add(h, bigSigma1, ch, K[t], w[t], bigSigma0, maj);
            var newE = Add(h, bigSigma1, ch, K[t], w[t], d);
            uint na = newA.Lo | newA.Hi << 16, ne = newE.Lo | newE.Hi << 16;
            Bits(row, NewA, na);
            Bits(row, NewE, ne);
            Bits(row, CarryALo, newA.CarryLo, 3);
            Bits(row, CarryAHi, newA.CarryHi, 3);
            Bits(row, CarryELo, newE.CarryLo, 3);
            Bits(row, CarryEHi, newE.CarryHi, 3);
            for (int k = 0; k < 8; k++) Limbs(row, HIn + 2 * k, hIn[k]);

            (h, g, f, e, d, c, b, a) = (g, f, e, ne, c, b, a, na);
            if (t >= Rounds - 4)
            {
                int j = t - (Rounds - 4);
                foreach (var (at, word, final) in new[] { (OutA, 3 - j, na), (OutE, 7 - j, ne) })
                {
                    var sum = Add(hIn[word], final);
                    output[word] = sum.Lo | sum.Hi << 16;
                    Limbs(row, at + OutPrevLo, hIn[word]);
                    Limbs(row, at + OutLo, output[word]);
                    row[at + OutCarryLo] = BabyBear.FromCanonical(sum.CarryLo);
                    row[at + OutCarryHi] = BabyBear.FromCanonical(sum.CarryHi);
                }
            }
        }
        return output;
    }

    static void Bits(Span<BabyBear> row, int column, uint value, int count = 32)
    {
        for (int i = 0; i < count; i++) row[column + i] = BabyBear.FromCanonical((value >> i) & 1);
    }

    static void Limbs(Span<BabyBear> row, int column, uint value)
    {
        row[column] = BabyBear.FromCanonical(value & 0xFFFF);
        row[column + 1] = BabyBear.FromCanonical(value >> 16);
    }
}
