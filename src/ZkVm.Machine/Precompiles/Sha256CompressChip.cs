using ZkVm.Field;
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
/// variables to it into H_out. Fixed columns give each row K_t and whether it is a compression's first or last. The
/// inputs (H_in and the block, as limbs) are the sender's to range-check, as memory's values are; H_out's limbs
/// follow from their carries and are the receiver's to range-check. Padding compressions are compressions of zero.
/// </para>
/// </remarks>
public sealed class Sha256CompressChip : IAir
{
    public const int Rounds = 64;

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
    public const int FixedKLo = 0, FixedKHi = 1, FixedFirst = 2, FixedLast = 3;

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
    /// <summary>H_in word k: limbs at HIn + 2k; H_out likewise; each output word's two carries (low, high) at OutCarry + 2k.</summary>
    public const int HIn = CarryEHi + 3, HOut = HIn + 16, OutCarry = HOut + 16;
    public const int Columns = OutCarry + 16;

    public static Sha256CompressChip Instance { get; } = new();

    public string Name => "sha256_compress";
    public int MainWidth => Columns;
    public int PreprocessedWidth => 4;

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
        Bool<TB, TE>(b, OutCarry, 16, "output carries");

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

        // The last round adds the final variables to H_in; elsewhere the output columns are zero.
        int[] finalBits = [NewA, A, B, C, NewE, E, F, G];
        for (int k = 0; k < 8; k++)
        {
            for (int half = 0; half < 2; half++)
            {
                TE sum = b.Main(HIn + 2 * k + half) + Compose<TB, TE>(b, finalBits[k], 16 * half);
                if (half == 1) sum = sum + b.Main(OutCarry + 2 * k);
                b.AssertZero(last * (b.Main(HOut + 2 * k + half) + limb * b.Main(OutCarry + 2 * k + half) - sum), "H_out = H_in + final");
                b.AssertZero(notLast * b.Main(HOut + 2 * k + half), "H_out only on the last round");
                b.AssertZero(notLast * b.Main(OutCarry + 2 * k + half), "output carries only on the last round");
            }
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
    /// them), one compression each, padded with compressions of zero to a power of two; <paramref name="outputs"/> gets each new state.
    /// </summary>
    public static TableTrace Trace(IReadOnlyList<(uint[] State, uint[] Block)> inputs, out uint[][] outputs)
    {
        int compressions = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(inputs.Count, 1));
        var m = new RowMajorMatrix(Columns, Rounds * compressions);
        outputs = new uint[inputs.Count][];
        for (int c = 0; c < compressions; c++)
        {
            var (state, block) = c < inputs.Count ? inputs[c] : (new uint[8], new uint[16]);
            if (state.Length != 8 || block.Length != 16) throw new ArgumentException($"compression {c} needs 8 state words and 16 block words", nameof(inputs));
            var output = Fill(m, Rounds * c, state, block, c < inputs.Count);
            if (c < inputs.Count) outputs[c] = output;
        }
        return new TableTrace(Instance, m);
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
            Bits(row, A, a); Bits(row, B, b); Bits(row, C, c); Bits(row, E, e); Bits(row, F, f); Bits(row, G, g);
            Limbs(row, DLo, d);
            Limbs(row, HLo, h);
            for (int j = 0; j < 16; j++) Limbs(row, Window + 2 * j, w[t + j]);
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
            if (t == Rounds - 1)
            {
                uint[] final = [a, b, c, d, e, f, g, h];
                for (int k = 0; k < 8; k++)
                {
                    var sum = Add(hIn[k], final[k]);
                    output[k] = sum.Lo | sum.Hi << 16;
                    Limbs(row, HOut + 2 * k, output[k]);
                    row[OutCarry + 2 * k] = BabyBear.FromCanonical(sum.CarryLo);
                    row[OutCarry + 2 * k + 1] = BabyBear.FromCanonical(sum.CarryHi);
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
