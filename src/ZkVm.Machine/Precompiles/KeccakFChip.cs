using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Precompiles;

/// <summary>
/// The Keccak-f[1600] permutation (FIPS 202 §3.3–3.4) as a table: 24 rows per permutation, row r doing round r
/// (θ, ρ, π, χ, ι) (issue 17; docs/MACHINE.md, "Precompile tables").
/// </summary>
/// <remarks>
/// <para>
/// The layout follows Plonky3's keccak-air. χ multiplies two bits of B = π(ρ(θ(A))), so the bits of A' = θ(A) must be
/// columns for χ to stay within degree 3; ρ and π only move bits, so B costs nothing. With A' committed, the round's
/// input A needs no bits: it is 100 16-bit limbs, each stated equal to the limb of A' ⊕ C ⊕ C' composed from bits.
/// C (the column parities of A, 320 bits) and C' = C[x] ⊕ C[x−1] ⊕ rot(C[x+1], 1) (320 bits) are committed; θ is
/// A'[x,y] = A[x,y] ⊕ C[x−1] ⊕ rot(C[x+1], 1) = A[x,y] ⊕ C[x] ⊕ C'[x], so A = A' ⊕ C ⊕ C'. The xor identity
/// ⊕_y A'[x,y,z] = C ⊕ 5·(C ⊕ C') = C'[x,z] is stated as (Σ_y A'[x,y,z] − C'[x,z]) ∈ {0, 2, 4} (degree 3). Together
/// these force C to be A's column parity and A' = θ(A): the parity of A = A' ⊕ C ⊕ C' over y is C' ⊕ C ⊕ C' = C.
/// </para>
/// <para>
/// χ's output A'' = B ⊕ (¬B[x+1] ∧ B[x+2]) has degree 3 in A' bits, so lanes other than (0,0) are committed as
/// limbs, which the next row reads as its A. Lane (0,0) is committed as bits, for ι to xor the round constant into
/// it bit by bit (degree 2), and A''' = ι(A'') of that lane as limbs. Every round constant's set bits lie at
/// positions 2^j − 1 (FIPS 202 Algorithm 6), so 7 fixed columns carry them; two more mark the first and last round.
/// Main columns: 1 (IsReal) + 100 (A) + 320 (C) + 320 (C') + 1600 (A') + 96 (A'' limbs) + 64 (A''[0,0] bits)
/// + 4 (A'''[0,0] limbs) = 2505; fixed columns: 9. Every limb is a sum of bits, so no limb needs a range check.
/// </para>
/// <para>
/// The next row's A is this row's A''' within a permutation: the transition is gated by the fixed last-round column and
/// by the builder's transition selector, because 24·n rows are padded to a power of two with the first rounds of a
/// permutation of zero, so the trace's last row need not be a last round. Padding permutations (whole or cut short)
/// are permutations of the zero state, valid rows with <see cref="IsReal"/> = 0; IsReal is constant within a
/// permutation. The input and output are read through <see cref="InputLimb{TB, TE}"/> (on the first-round row) and
/// <see cref="OutputLimb{TB, TE}"/> (on the last-round row), single columns each.
/// </para>
/// <para>
/// As the syscall <see cref="Call"/> (a0 = 25 lanes, 50 words, 8-byte lanes little-endian as the guest's uint64_t[25] lies in
/// memory), the first row receives (number, ts, a0, a1) from the ECALL row; the input's 100 limbs are carried to the last
/// row, which rewrites word w from the input to the output at ts + 3. Every limb on both sides is a sum of bits.
/// </para>
/// </remarks>
public sealed class KeccakFChip : IPrecompileChip
{
    /// <summary>The syscall's number in a7 (docs/GUEST_ABI.md, "Accelerators").</summary>
    public const uint Number = 0x101;

    public const int Rounds = 24, Lanes = 25;

    /// <summary>
    /// ι's round constants RC[0..23]: the Keccak team's reference (keccak.team, "Keccak specifications summary", and
    /// KeccakP-1600-reference.c), equal to FIPS 202 Algorithm 6's rc(t) LFSR output (a test recomputes them).
    /// </summary>
    public static readonly ulong[] RoundConstants =
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    /// <summary>ρ's rotation of lane x + 5y (FIPS 202 Table 2; a test recomputes them with Algorithm 2).</summary>
    public static readonly int[] RhoOffsets =
    [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ];

    /// <summary>π moves lane (x, y) to (y, 2x + 3y): PiSource[X + 5Y] is the lane that lands on (X, Y).</summary>
    static readonly int[] PiSource = BuildPiSource();

    // Fixed columns: round 0, round 23, and bit 2^j − 1 of the round's constant at FixedRc + j.
    public const int FixedFirst = 0, FixedLast = 1, FixedRc = 2, RcBits = 7;

    // Main columns.
    public const int IsReal = 0;
    /// <summary>The round's input: lane k's 16-bit limb l (l = 0 lowest) at A + 4k + l.</summary>
    public const int A = 1;
    /// <summary>C[x] bit z at C + 64x + z; C'[x] bit z at CPrime + 64x + z.</summary>
    public const int C = A + 4 * Lanes, CPrime = C + 320;
    /// <summary>A' = θ(A): lane k bit z at APrime + 64k + z.</summary>
    public const int APrime = CPrime + 320;
    /// <summary>A'' = χ(B) for lanes 1–24: lane k's limb l at APrimePrime + 4(k − 1) + l.</summary>
    public const int APrimePrime = APrime + 64 * Lanes;
    /// <summary>A''[0,0]'s 64 bits, then A'''[0,0] = A''[0,0] ⊕ RC's 4 limbs.</summary>
    public const int APrimePrime00 = APrimePrime + 4 * (Lanes - 1), APrimePrimePrime00 = APrimePrime00 + 64;
    /// <summary>The call, carried through its permutation: the ECALL's ts and a0/4; a1's limbs (unused, but part of the call) on the first row.</summary>
    public const int Ts = APrimePrimePrime00 + 4, StateWord = Ts + 1, A1Lo = StateWord + 1, A1Hi = A1Lo + 1;
    /// <summary>The input's 100 limbs, carried from the first row to the last, which writes the output over them.</summary>
    public const int In = A1Hi + 1;
    /// <summary>Word w's write on the last row: its previous timestamp and the gap's limbs at StateAccess + 3w.</summary>
    public const int StateAccess = In + 4 * Lanes;
    /// <summary>IsReal times the fixed first and last columns: the bus multiplicities, which must be columns (degree 1).</summary>
    public const int Receives = StateAccess + 3 * 2 * Lanes, Writes = Receives + 1;
    public const int Columns = Writes + 1;

    /// <summary>Keccak-f[1600] as an ECALL: a0 = 25 lanes (50 words, each lane low word first), replaced by their permutation.</summary>
    public static ExtensionSyscall Call { get; } = new(Number, "keccakf", 2 * Lanes, 0, (state, _) =>
    {
        Span<ulong> lanes = stackalloc ulong[Lanes];
        for (int k = 0; k < Lanes; k++) lanes[k] = state[2 * k] | (ulong)state[2 * k + 1] << 32;
        Permute(lanes);
        for (int k = 0; k < Lanes; k++) (state[2 * k], state[2 * k + 1]) = ((uint)lanes[k], (uint)(lanes[k] >> 32));
        return null;
    });

    public ExtensionSyscall Syscall => Call;

    public static KeccakFChip Instance { get; } = new();

    public string Name => "keccakf";
    public int MainWidth => Columns;
    public int PreprocessedWidth => FixedRc + RcBits;

    public RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(PreprocessedWidth, height);
        for (int row = 0; row < height; row++)
        {
            int r = row % Rounds;
            m[row, FixedFirst] = r == 0 ? BabyBear.One : BabyBear.Zero;
            m[row, FixedLast] = r == Rounds - 1 ? BabyBear.One : BabyBear.Zero;
            for (int j = 0; j < RcBits; j++)
                m[row, FixedRc + j] = BabyBear.FromCanonical((uint)(RoundConstants[r] >> ((1 << j) - 1)) & 1);
        }
        return m;
    }

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), two = TE.From(2), four = TE.From(4);
        TE real = b.Main(IsReal);
        b.AssertZero(real * (real - one), "IsReal is boolean");
        // Degree 2: within a permutation, and not the trace's last row (which may end a permutation cut short).
        TE inPermutation = (one - b.Preprocessed(FixedLast)) * b.IsTransition;
        b.AssertZero(inPermutation * (b.MainNext(IsReal) - real), "IsReal is the permutation's");

        Bool<TB, TE>(b, C, 320, "C bits are boolean");
        Bool<TB, TE>(b, CPrime, 320, "C' bits are boolean");
        Bool<TB, TE>(b, APrime, 64 * Lanes, "A' bits are boolean");
        Bool<TB, TE>(b, APrimePrime00, 64, "A''[0,0] bits are boolean");

        // θ, stated through C and C'.
        for (int x = 0; x < 5; x++)
            for (int z = 0; z < 64; z++)
            {
                TE cPrime = b.Main(CPrime + 64 * x + z);
                b.AssertZero(cPrime - Xor3(b.Main(C + 64 * x + z), b.Main(C + 64 * ((x + 4) % 5) + z), b.Main(C + 64 * ((x + 1) % 5) + ((z + 63) & 63))),
                    "C' = C[x] ⊕ C[x−1] ⊕ rot(C[x+1], 1)");
                TE d = -cPrime;
                for (int y = 0; y < 5; y++) d = d + b.Main(APrime + 64 * (x + 5 * y) + z);
                b.AssertZero(d * (d - two) * (d - four), "C' is the parity of A''s column");
            }
        for (int k = 0; k < Lanes; k++)
            for (int l = 0; l < 4; l++)
            {
                TE sum = TE.From(0);
                for (int i = 0; i < 16; i++)
                {
                    int z = 16 * l + i;
                    sum = sum + TE.From(1u << i) * Xor3(b.Main(APrime + 64 * k + z), b.Main(C + 64 * (k % 5) + z), b.Main(CPrime + 64 * (k % 5) + z));
                }
                b.AssertZero(b.Main(A + 4 * k + l) - sum, "A = A' ⊕ C ⊕ C'");
            }

        // χ on B = π(ρ(A')).
        for (int k = 1; k < Lanes; k++)
            for (int l = 0; l < 4; l++)
            {
                TE sum = TE.From(0);
                for (int i = 0; i < 16; i++) sum = sum + TE.From(1u << i) * Chi<TB, TE>(b, k, 16 * l + i);
                b.AssertZero(b.Main(APrimePrime + 4 * (k - 1) + l) - sum, "A'' = χ(B)");
            }
        for (int z = 0; z < 64; z++) b.AssertZero(b.Main(APrimePrime00 + z) - Chi<TB, TE>(b, 0, z), "A''[0,0] = χ(B)[0,0]");

        // ι: x ⊕ rc = x + rc − 2·rc·x where the round constant may have a bit; x elsewhere.
        for (int l = 0; l < 4; l++)
        {
            TE sum = TE.From(0);
            for (int i = 0; i < 16; i++)
            {
                int z = 16 * l + i;
                TE bit = b.Main(APrimePrime00 + z);
                int j = System.Numerics.BitOperations.Log2((uint)z + 1);
                if ((1 << j) - 1 == z)
                {
                    TE rc = b.Preprocessed(FixedRc + j);
                    bit = bit + rc - two * rc * bit;
                }
                sum = sum + TE.From(1u << i) * bit;
            }
            b.AssertZero(b.Main(APrimePrimePrime00 + l) - sum, "A'''[0,0] = A''[0,0] ⊕ RC");
        }

        // The next round starts from A'''.
        for (int k = 0; k < Lanes; k++)
            for (int l = 0; l < 4; l++)
                b.AssertZero(inPermutation * (b.MainNext(A + 4 * k + l) - b.Main(OutputColumn(k, l))), "the next round starts from A'''");

        Memory(b, inPermutation);

        TE Xor3(TE x, TE y, TE z) => x + y + z - two * (x * y + y * z + z * x) + four * x * y * z;
    }

    /// <summary>The call: received from its ECALL on the first row, the input carried down, the state rewritten on the last row.</summary>
    static void Memory<TB, TE>(TB b, TE inPermutation) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), real = b.Main(IsReal), first = b.Preprocessed(FixedFirst), last = b.Preprocessed(FixedLast);
        TE receives = b.Main(Receives), writes = b.Main(Writes), ts = b.Main(Ts), stateWord = b.Main(StateWord);
        b.AssertZero(receives - real * first, "receives = IsReal·first");
        b.AssertZero(writes - real * last, "writes = IsReal·last");
        foreach (var (column, name) in new[] { (Ts, "ts"), (StateWord, "state word") })
        {
            b.AssertZero(inPermutation * (b.MainNext(column) - b.Main(column)), $"the call's {name} is the permutation's");
            b.AssertZero((one - real) * b.Main(column), $"a padding permutation has no {name}");
        }
        b.AssertZero((one - receives) * b.Main(A1Lo), "a1's low limb only on a call's first row");
        b.AssertZero((one - receives) * b.Main(A1Hi), "a1's high limb only on a call's first row");
        b.Receive(MachineBuses.Precompile, receives, TE.From(Number), ts, TE.From(4) * stateWord, b.Main(A1Lo), b.Main(A1Hi));
        for (int word = 0; word < 2 * Lanes; word++)
            for (int half = 0; half < 2; half++)
            {
                TE carried = b.Main(In + 2 * word + half);
                b.AssertZero(first * (carried - InputLimb<TB, TE>(b, word, half)), "the carried input is the first round's");
                b.AssertZero(inPermutation * (b.MainNext(In + 2 * word + half) - carried), "the carried input is the permutation's");
            }
        for (int word = 0; word < 2 * Lanes; word++)
        {
            int at = StateAccess + 3 * word;
            Gadgets.Access(b, writes, TE.From(MachineLayout.MemorySpace), stateWord + TE.From((uint)word), b.Main(In + 2 * word), b.Main(In + 2 * word + 1),
                b.Main(at), OutputLimb<TB, TE>(b, word, 0), OutputLimb<TB, TE>(b, word, 1), ts + TE.From(MachineLayout.SlotPrecompileState), b.Main(at + 1), b.Main(at + 2));
            for (int i = 0; i < 3; i++) b.AssertZero((one - writes) * b.Main(at + i), "a state write's witness only where a call writes");
        }
    }

    /// <summary>
    /// 16-bit limb <paramref name="half"/> (0 low) of u32 word <paramref name="word"/> (0–49; word 2k is lane k's low
    /// half, little-endian) of the permutation's input state, on its first-round row: one column.
    /// </summary>
    public static TE InputLimb<TB, TE>(TB b, int word, int half) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Main(InputColumn(word / 2, LimbOf(word, half)));

    /// <summary>The same limb of the permutation's output (after round 23's ι), on its last-round row: one column.</summary>
    public static TE OutputLimb<TB, TE>(TB b, int word, int half) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Main(OutputColumn(word / 2, LimbOf(word, half)));

    static int LimbOf(int word, int half)
    {
        if ((uint)word >= 2 * Lanes) throw new ArgumentOutOfRangeException(nameof(word), word, "a state has 50 words");
        if ((uint)half >= 2) throw new ArgumentOutOfRangeException(nameof(half), half, "a word has two 16-bit limbs");
        return 2 * (word % 2) + half;
    }

    static int InputColumn(int lane, int limb) => A + 4 * lane + limb;

    /// <summary>Where the round's A''' limb is: lane (0,0) after ι, the others straight from χ.</summary>
    static int OutputColumn(int lane, int limb) => lane == 0 ? APrimePrimePrime00 + limb : APrimePrime + 4 * (lane - 1) + limb;

    static void Bool<TB, TE>(TB b, int column, int count, string what) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        for (int i = 0; i < count; i++)
        {
            TE x = b.Main(column + i);
            b.AssertZero(x * (x - TE.From(1)), what);
        }
    }

    static int[] BuildPiSource()
    {
        var source = new int[Lanes];
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                source[y + 5 * ((2 * x + 3 * y) % 5)] = x + 5 * y;
        return source;
    }

    /// <summary>B's lane <paramref name="lane"/> bit z: A' lane PiSource[lane] rotated left by its ρ offset.</summary>
    static int BColumn(int lane, int z)
    {
        int source = PiSource[lane];
        return APrime + 64 * source + ((z - RhoOffsets[source]) & 63);
    }

    /// <summary>χ's bit z of lane (x, y): B ⊕ (¬B[x+1] ∧ B[x+2]) = u + v − 2uv with v = (1 − B[x+1])·B[x+2] (degree 3).</summary>
    static TE Chi<TB, TE>(TB b, int lane, int z) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        int x = lane % 5, y = lane / 5;
        TE u = b.Main(BColumn(lane, z));
        TE v = (TE.From(1) - b.Main(BColumn((x + 1) % 5 + 5 * y, z))) * b.Main(BColumn((x + 2) % 5 + 5 * y, z));
        return u + v - TE.From(2) * u * v;
    }

    /// <summary>Keccak-f[1600] in place (FIPS 202 Algorithm 7): lane x + 5y of the state at index x + 5y.</summary>
    public static void Permute(Span<ulong> state)
    {
        if (state.Length != Lanes) throw new ArgumentException("Keccak-f[1600] permutes 25 lanes", nameof(state));
        for (int r = 0; r < Rounds; r++) Round(state, r);
    }

    /// <summary>Round <paramref name="round"/> of Keccak-f[1600]: θ, ρ, π, χ, ι (FIPS 202 §3.2).</summary>
    static void Round(Span<ulong> a, int round)
    {
        Span<ulong> d = stackalloc ulong[5], bLanes = stackalloc ulong[Lanes];
        Theta(a, d);
        for (int k = 0; k < Lanes; k++) a[k] ^= d[k % 5];
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                bLanes[y + 5 * ((2 * x + 3 * y) % 5)] = ulong.RotateLeft(a[x + 5 * y], RhoOffsets[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                a[x + 5 * y] = bLanes[x + 5 * y] ^ (~bLanes[(x + 1) % 5 + 5 * y] & bLanes[(x + 2) % 5 + 5 * y]);
        a[0] ^= RoundConstants[round];
    }

    /// <summary>θ's D[x] = C[x−1] ⊕ rot(C[x+1], 1), C[x] the parity of column x.</summary>
    static void Theta(ReadOnlySpan<ulong> a, Span<ulong> d)
    {
        Span<ulong> c = stackalloc ulong[5];
        Parities(a, c);
        for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ ulong.RotateLeft(c[(x + 1) % 5], 1);
    }

    static void Parities(ReadOnlySpan<ulong> a, Span<ulong> c)
    {
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    }

    /// <summary>
    /// The table for <paramref name="inputs"/> (25 lanes each), one permutation of 24 rows each as a call of its own
    /// (<see cref="PrecompileCall.Standalone"/>), padded with rounds of permutations of zero to a power of two;
    /// <paramref name="outputs"/> gets each permuted state.
    /// </summary>
    public static TableTrace Trace(IReadOnlyList<ulong[]> inputs, out ulong[][] outputs)
    {
        outputs = new ulong[inputs.Count][];
        var calls = new PrecompileCall[inputs.Count];
        for (int p = 0; p < inputs.Count; p++)
        {
            if (inputs[p].Length != Lanes) throw new ArgumentException($"permutation {p} needs 25 lanes, not {inputs[p].Length}", nameof(inputs));
            outputs[p] = [.. inputs[p]];
            Permute(outputs[p]);
            calls[p] = PrecompileCall.Standalone(Number, p, Words(inputs[p]), [], Words(outputs[p]));
        }
        return new TableTrace(Instance, Instance.Fill(calls));
    }

    /// <summary>25 lanes as the 50 words memory holds them.</summary>
    static uint[] Words(ulong[] lanes) => [.. lanes.SelectMany(l => new[] { (uint)l, (uint)(l >> 32) })];

    public RowMajorMatrix Fill(IReadOnlyList<PrecompileCall> calls)
    {
        int height = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(Rounds * Math.Max(calls.Count, 1)));
        var m = new RowMajorMatrix(Columns, height);
        int permutations = (height + Rounds - 1) / Rounds;
        ChipTrace.ForEachRow(permutations, p =>
        {
            if (p >= calls.Count)
            {
                Fill(m, Rounds * p, new ulong[Lanes], real: false);
                return;
            }
            var call = calls[p];
            var words = call.StateIn;
            var input = new ulong[Lanes];
            for (int k = 0; k < Lanes; k++) input[k] = words[2 * k] | (ulong)words[2 * k + 1] << 32;
            var output = Fill(m, Rounds * p, input, real: true);
            if (!Words(output).AsSpan().SequenceEqual(call.StateOut))
                throw new ZkVmException(MachineErrors.WitnessMismatch, $"keccakf at ts {call.Ts} wrote other words than the permutation gives");
            for (int r = 0; r < Rounds; r++)
            {
                var row = m.Row(Rounds * p + r);
                row[Ts] = BabyBear.FromCanonical(call.Ts);
                row[StateWord] = BabyBear.FromCanonical(call.StateAddress >> 2);
            }
            var firstRow = m.Row(Rounds * p);
            firstRow[A1Lo] = BabyBear.FromCanonical(call.InputAddress & 0xFFFF);
            firstRow[A1Hi] = BabyBear.FromCanonical(call.InputAddress >> 16);
            var lastRow = m.Row(Rounds * p + Rounds - 1);
            for (int w = 0; w < 2 * Lanes; w++)
            {
                var write = call.State[w];
                lastRow[StateAccess + 3 * w] = BabyBear.FromCanonical(write.PrevTs);
                lastRow[StateAccess + 3 * w + 1] = BabyBear.FromCanonical(write.DiffLo);
                lastRow[StateAccess + 3 * w + 2] = BabyBear.FromCanonical(write.DiffHi);
            }
        });
        return m;
    }

    /// <summary>Fills the rounds of one permutation from row <paramref name="first"/> (fewer where the table ends) and returns its output.</summary>
    static ulong[] Fill(RowMajorMatrix m, int first, ulong[] input, bool real)
    {
        var a = (ulong[])input.Clone();
        Span<ulong> c = stackalloc ulong[5], d = stackalloc ulong[5];
        for (int r = 0; r < Rounds && first + r < m.Height; r++)
        {
            var row = m.Row(first + r);
            row[IsReal] = real ? BabyBear.One : BabyBear.Zero;
            row[Receives] = real && r == 0 ? BabyBear.One : BabyBear.Zero;
            row[Writes] = real && r == Rounds - 1 ? BabyBear.One : BabyBear.Zero;
            for (int k = 0; k < Lanes; k++) Limbs(row, In + 4 * k, input[k]);
            Parities(a, c);
            Theta(a, d);
            for (int k = 0; k < Lanes; k++)
            {
                Limbs(row, A + 4 * k, a[k]);
                Bits(row, APrime + 64 * k, a[k] ^ d[k % 5]);
            }
            for (int x = 0; x < 5; x++)
            {
                Bits(row, C + 64 * x, c[x]);
                Bits(row, CPrime + 64 * x, c[x] ^ d[x]);
            }
            Round(a, r);
            Bits(row, APrimePrime00, a[0] ^ RoundConstants[r]);
            Limbs(row, APrimePrimePrime00, a[0]);
            for (int k = 1; k < Lanes; k++) Limbs(row, APrimePrime + 4 * (k - 1), a[k]);
        }
        return a;
    }

    static void Bits(Span<BabyBear> row, int column, ulong value)
    {
        for (int i = 0; i < 64; i++) row[column + i] = BabyBear.FromCanonical((uint)(value >> i) & 1);
    }

    static void Limbs(Span<BabyBear> row, int column, ulong value)
    {
        for (int l = 0; l < 4; l++) row[column + l] = BabyBear.FromCanonical((uint)(value >> (16 * l)) & 0xFFFF);
    }
}
