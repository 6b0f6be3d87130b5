using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ZkVm.Field;
using ZkVm.Machine.Precompiles;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Precompiles;

/// <summary>
/// Keccak-f[1600] as a table (issue 17): the Keccak team's known answers, Keccak-256 and SHA3-256 through chained
/// permutations, every column bound, the memory interface's limbs, a proof of the table alone.
/// </summary>
public class KeccakFChipTests
{
    /// <summary>
    /// Keccak-f[1600] applied once and twice to the all-zero state: the Keccak team's KeccakF-1600-IntermediateValues.txt
    /// (XKCP, TestVectors/), lanes in the order x + 5y.
    /// </summary>
    static readonly ulong[] ZeroPermuted =
    [
        0xF1258F7940E1DDE7, 0x84D5CCF933C0478A, 0xD598261EA65AA9EE, 0xBD1547306F80494D, 0x8B284E056253D057,
        0xFF97A42D7F8E6FD4, 0x90FEE5A0A44647C4, 0x8C5BDA0CD6192E76, 0xAD30A6F71B19059C, 0x30935AB7D08FFC64,
        0xEB5AA93F2317D635, 0xA9A6E6260D712103, 0x81A57C16DBCF555F, 0x43B831CD0347C826, 0x01F22F1A11A5569F,
        0x05E5635A21D9AE61, 0x64BEFEF28CC970F2, 0x613670957BC46611, 0xB87C5A554FD00ECB, 0x8C3EE88A1CCF32C8,
        0x940C7922AE3A2614, 0x1841F924A2C509E4, 0x16F53526E70465C2, 0x75F644E97F30A13B, 0xEAF1FF7B5CECA249,
    ];

    static readonly ulong[] ZeroPermutedTwice =
    [
        0x2D5C954DF96ECB3C, 0x6A332CD07057B56D, 0x093D8D1270D76B6C, 0x8A20D9B25569D094, 0x4F9C4F99E5E7F156,
        0xF957B9A2DA65FB38, 0x85773DAE1275AF0D, 0xFAF4F247C3D810F7, 0x1F1B9EE6F79A8759, 0xE4FECC0FEE98B425,
        0x68CE61B6B9CE68A1, 0xDEEA66C4BA8F974F, 0x33C43D836EAFB1F5, 0xE00654042719DBD9, 0x7CF8A9F009831265,
        0xFD5449A6BF174743, 0x97DDAD33D8994B40, 0x48EAD5FC5D0BE774, 0xE3B8C8EE55B7B03C, 0x91A0226E649E42E9,
        0x900E3129E7BADD7B, 0x202A9EC5FAA3CCE8, 0x5B3402464E1C3DB6, 0x609F4E62A44C1059, 0x20D06CD26A8FBF5C,
    ];

    /// <summary>
    /// A sponge of rate 136 bytes, 32-byte digest, through the table: each block xored into the state, then one
    /// permutation per block, each starting from the last one's output. <paramref name="domain"/> is the first padding
    /// byte: 0x01 for Keccak-256 (Ethereum's), 0x06 for FIPS 202's SHA3-256; the rate's last byte gets 0x80.
    /// </summary>
    static (byte[] Digest, TableTrace Trace) Sponge(byte[] message, byte domain)
    {
        const int rate = 136;
        int length = (message.Length / rate + 1) * rate;
        var padded = new byte[length];
        message.CopyTo(padded, 0);
        padded[message.Length] ^= domain;
        padded[length - 1] ^= 0x80;
        var state = new ulong[KeccakFChip.Lanes];
        var inputs = new List<ulong[]>();
        TableTrace trace = null!;
        for (int offset = 0; offset < length; offset += rate)
        {
            state = (ulong[])state.Clone();
            for (int k = 0; k < rate / 8; k++) state[k] ^= BinaryPrimitives.ReadUInt64LittleEndian(padded.AsSpan(offset + 8 * k));
            inputs.Add(state);
            trace = KeccakFChip.Trace(inputs, out var outputs);
            state = outputs[^1];
        }
        var digest = new byte[32];
        for (int k = 0; k < 4; k++) BinaryPrimitives.WriteUInt64LittleEndian(digest.AsSpan(8 * k), state[k]);
        return (digest, trace);
    }

    [Fact]
    public void Permuting_zero_gives_the_Keccak_teams_known_answers()
    {
        var state = new ulong[KeccakFChip.Lanes];
        KeccakFChip.Permute(state);
        Assert.Equal(ZeroPermuted, state);
        KeccakFChip.Permute(state);
        Assert.Equal(ZeroPermutedTwice, state);

        var trace = KeccakFChip.Trace([new ulong[KeccakFChip.Lanes], ZeroPermuted], out var outputs);
        Assert.Equal(ZeroPermuted, outputs[0]);
        Assert.Equal(ZeroPermutedTwice, outputs[1]);
        TraceChecker.CheckConstraints(trace);
    }

    /// <summary>The tables of the chip against FIPS 202's algorithms that define them.</summary>
    [Fact]
    public void Round_constants_and_rotations_follow_FIPS_202()
    {
        // Algorithm 5: rc(t), the output of an LFSR over GF(2) with R = 10000000 and feedback taps at 0, 4, 5, 6.
        static ulong Rc(int t)
        {
            if (t % 255 == 0) return 1;
            uint r = 1; // bit i is R[i]
            for (int i = 1; i <= t % 255; i++)
            {
                r <<= 1;
                uint r8 = (r >> 8) & 1;
                r ^= r8 | r8 << 4 | r8 << 5 | r8 << 6;
                r &= 0xFF;
            }
            return r & 1;
        }
        // Algorithm 6: RC[ir] has bit 2^j − 1 = rc(j + 7·ir) for j = 0..6 and no other bit.
        for (int ir = 0; ir < KeccakFChip.Rounds; ir++)
        {
            ulong rc = 0;
            for (int j = 0; j <= 6; j++) rc |= Rc(j + 7 * ir) << ((1 << j) - 1);
            Assert.Equal(rc, KeccakFChip.RoundConstants[ir]);
        }
        // Algorithm 2: (x, y) from (1, 0), offset (t + 1)(t + 2)/2 mod 64, then (x, y) ← (y, 2x + 3y).
        var offsets = new int[KeccakFChip.Lanes];
        for (int t = 0, x = 1, y = 0; t < 24; t++)
        {
            offsets[x + 5 * y] = (t + 1) * (t + 2) / 2 % 64;
            (x, y) = (y, (2 * x + 3 * y) % 5);
        }
        Assert.Equal(offsets, KeccakFChip.RhoOffsets);
    }

    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    public void Keccak256_hashes_through_the_table(string message, string digest)
    {
        var (actual, trace) = Sponge(Encoding.ASCII.GetBytes(message), 0x01);
        Assert.Equal(digest, Convert.ToHexStringLower(actual));
        TraceChecker.CheckConstraints(trace);
    }

    /// <summary>
    /// Two blocks. .NET has no Keccak-256 (its SHA3_256 pads with 0x06), so the digest was computed with a small
    /// pure-Python Keccak written for this check (FIPS 202's algorithms, round constants and offsets derived by
    /// Algorithms 2 and 5), whose SHA3-256 agrees with Python's hashlib.sha3_256 and whose Keccak-256 gives the two
    /// published digests above.
    /// </summary>
    [Fact]
    public void Keccak256_of_a_200_byte_message_matches_an_independent_implementation()
    {
        var message = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        var (actual, trace) = Sponge(message, 0x01);
        Assert.Equal("bfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890", Convert.ToHexStringLower(actual));
        Assert.Equal(64, trace.Height);
        TraceChecker.CheckConstraints(trace);
    }

    /// <summary>The same permutation under FIPS 202's padding against .NET's SHA3-256, where the platform provides it.</summary>
    [Fact]
    public void Random_messages_hash_as_dotnets_SHA3_256_does()
    {
        if (!SHA3_256.IsSupported) return;
        var random = new Random(202);
        foreach (int length in new[] { 0, 1, 135, 136, 137, 300 })
        {
            var message = new byte[length];
            random.NextBytes(message);
            var (actual, trace) = Sponge(message, 0x06);
            Assert.Equal(SHA3_256.HashData(message), actual);
            TraceChecker.CheckConstraints(trace);
        }
    }

    [Fact]
    public void Padding_permutations_are_valid_and_not_real()
    {
        var random = new Random(1600);
        var inputs = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, KeccakFChip.Lanes).Select(_ => (ulong)random.NextInt64() ^ (ulong)random.Next() << 63).ToArray()).ToList();
        var trace = KeccakFChip.Trace(inputs, out var outputs);
        // 72 rows of real permutations, then a whole permutation of zero and the first 8 rounds of another.
        Assert.Equal(128, trace.Height);
        for (int p = 0; p < 3; p++)
        {
            var expected = (ulong[])inputs[p].Clone();
            KeccakFChip.Permute(expected);
            Assert.Equal(expected, outputs[p]);
        }
        for (int row = 0; row < trace.Height; row++)
            Assert.Equal(row < 3 * KeccakFChip.Rounds ? BabyBear.One : BabyBear.Zero, trace.Main[row, KeccakFChip.IsReal]);
        foreach (int first in new[] { 72, 96, 120 })
            for (int limb = 0; limb < 4 * KeccakFChip.Lanes; limb++)
                Assert.Equal(BabyBear.Zero, trace.Main[first, KeccakFChip.A + limb]);
        TraceChecker.CheckConstraints(trace);
    }

    [Fact]
    public void The_constraints_have_degree_three()
    {
        Assert.Equal(3, AirShape.ForAir(KeccakFChip.Instance).MaxDegree);
        // The rounds (2505); the call (ts, state word, a1's limbs); the carried input; 50 writes; two bus multiplicities.
        Assert.Equal(2505 + 4 + 100 + 50 * 3 + 2, KeccakFChip.Columns);
        Assert.Equal(9, KeccakFChip.Instance.PreprocessedWidth);
    }

    /// <summary>
    /// A forger's cell: every column, changed alone on the first, a middle and the last round, breaks a constraint.
    /// Only the constraints of the cell's row and of the row before read it (as Main and as MainNext), and every other
    /// row evaluates as in the honest trace, which passes; so those two rows are evaluated, as TraceChecker evaluates
    /// them (all 32 rows per cell would take about a minute). TraceChecker itself then rejects one column of each kind.
    /// a1's limbs on a call's first row are bound by the precompile bus alone (PrecompileMachineTests forges the call).
    /// </summary>
    [Fact]
    public void Every_column_changed_alone_is_caught()
    {
        var (_, trace) = Sponge(Encoding.ASCII.GetBytes("abc"), 0x01);
        TraceChecker.CheckConstraints(trace);
        var forged = new TableTrace(trace.Air, trace.Main.Clone());
        var evaluator = new RowEvaluator(forged);
        int[] rows = [0, 11, KeccakFChip.Rounds - 1];
        foreach (int row in rows)
            for (int column = 0; column < KeccakFChip.Columns; column++)
            {
                if (row == 0 && column is KeccakFChip.A1Lo or KeccakFChip.A1Hi) continue;
                var honest = forged.Main[row, column];
                forged.Main[row, column] = honest + BabyBear.One;
                bool caught = false;
                foreach (int reader in new[] { (row + forged.Height - 1) % forged.Height, row })
                {
                    evaluator.EvaluateRow(reader);
                    caught |= evaluator.Constraints.Exists(c => !c.Value.IsZero);
                }
                Assert.True(caught, $"column {column} changed alone on row {row} breaks no constraint");
                forged.Main[row, column] = honest;
            }

        int[] kinds = [KeccakFChip.IsReal, KeccakFChip.A + 37, KeccakFChip.C + 100, KeccakFChip.CPrime + 200, KeccakFChip.APrime + 1234,
            KeccakFChip.APrimePrime + 50, KeccakFChip.APrimePrime00 + 7, KeccakFChip.APrimePrimePrime00 + 3];
        foreach (int row in rows)
            foreach (int column in kinds)
            {
                var one = new TableTrace(trace.Air, trace.Main.Clone());
                one.Main[row, column] += BabyBear.One;
                var e = Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(one));
                Assert.Equal(AirErrors.ConstraintFailed, e.Code);
            }
    }

    /// <summary>
    /// The xor identity is what ties C to A: a forger who takes a wrong column parity C and completes round 0
    /// consistently (C' from it, A' = A ⊕ C ⊕ C', then ρ, π, χ, ι) satisfies every other constraint of the row, and only
    /// (Σ_y A' − C') ∈ {0, 2, 4} refuses it.
    /// </summary>
    [Fact]
    public void A_theta_from_a_wrong_parity_is_caught_by_the_xor_identity()
    {
        var (_, trace) = Sponge(Encoding.ASCII.GetBytes("abc"), 0x01);
        var m = trace.Main.Clone();
        var a = new ulong[KeccakFChip.Lanes];
        for (int k = 0; k < KeccakFChip.Lanes; k++)
            for (int l = 0; l < 4; l++) a[k] |= (ulong)m[0, KeccakFChip.A + 4 * k + l].ToCanonical() << (16 * l);
        var c = new ulong[5];
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        c[2] ^= 1UL << 5;
        var d = Enumerable.Range(0, 5).Select(x => c[(x + 4) % 5] ^ ulong.RotateLeft(c[(x + 1) % 5], 1)).ToArray();
        var aPrime = Enumerable.Range(0, KeccakFChip.Lanes).Select(k => a[k] ^ d[k % 5]).ToArray();
        var b = new ulong[KeccakFChip.Lanes];
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = ulong.RotateLeft(aPrime[x + 5 * y], KeccakFChip.RhoOffsets[x + 5 * y]);
        var chi = Enumerable.Range(0, KeccakFChip.Lanes).Select(k => b[k] ^ (~b[(k + 1) % 5 + k / 5 * 5] & b[(k + 2) % 5 + k / 5 * 5])).ToArray();

        for (int x = 0; x < 5; x++) { Bits(m, KeccakFChip.C + 64 * x, c[x]); Bits(m, KeccakFChip.CPrime + 64 * x, c[x] ^ d[x]); }
        for (int k = 0; k < KeccakFChip.Lanes; k++) Bits(m, KeccakFChip.APrime + 64 * k, aPrime[k]);
        for (int k = 1; k < KeccakFChip.Lanes; k++) Limbs(m, KeccakFChip.APrimePrime + 4 * (k - 1), chi[k]);
        Bits(m, KeccakFChip.APrimePrime00, chi[0]);
        Limbs(m, KeccakFChip.APrimePrimePrime00, chi[0] ^ KeccakFChip.RoundConstants[0]);

        var e = Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(new TableTrace(trace.Air, m)));
        Assert.Equal(AirErrors.ConstraintFailed, e.Code);
        Assert.Contains("(C' is the parity of A''s column)", e.Message);
        Assert.Contains("at row 0,", e.Message);

        static void Bits(RowMajorMatrix m, int column, ulong value)
        {
            for (int i = 0; i < 64; i++) m[0, column + i] = BabyBear.FromCanonical((uint)(value >> i) & 1);
        }

        static void Limbs(RowMajorMatrix m, int column, ulong value)
        {
            for (int l = 0; l < 4; l++) m[0, column + l] = BabyBear.FromCanonical((uint)(value >> (16 * l)) & 0xFFFF);
        }
    }

    /// <summary>
    /// The memory interface's limbs: word 2k is lane k's low 32 bits; on the first-round row the input's limbs, on the
    /// last-round row the output's, each of degree 1 (a linear combination of the row's columns).
    /// </summary>
    [Fact]
    public void Input_and_output_limbs_are_the_states_words()
    {
        var random = new Random(50);
        var inputs = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, KeccakFChip.Lanes).Select(_ => (ulong)random.NextInt64() ^ (ulong)random.Next() << 63).ToArray()).ToList();
        var trace = KeccakFChip.Trace(inputs, out var outputs);
        var evaluator = new RowEvaluator(trace);
        for (int p = 0; p < inputs.Count; p++)
        {
            foreach (var (row, state, output) in new[] { (KeccakFChip.Rounds * p, inputs[p], false), (KeccakFChip.Rounds * p + KeccakFChip.Rounds - 1, outputs[p], true) })
            {
                evaluator.EvaluateRow(row);
                for (int word = 0; word < 50; word++)
                {
                    uint value = (uint)(state[word / 2] >> (32 * (word % 2)));
                    for (int half = 0; half < 2; half++)
                    {
                        var limb = output
                            ? KeccakFChip.OutputLimb<RowEvaluator, ExtensionValue>(evaluator, word, half)
                            : KeccakFChip.InputLimb<RowEvaluator, ExtensionValue>(evaluator, word, half);
                        Assert.Equal(new ExtensionValue(BabyBear.FromCanonical((value >> (16 * half)) & 0xFFFF)), limb);
                    }
                }
            }
        }

        var probe = new DegreeProbe();
        for (int word = 0; word < 50; word++)
            for (int half = 0; half < 2; half++)
            {
                Assert.Equal(1, KeccakFChip.InputLimb<DegreeProbe, SymbolicExpression>(probe, word, half).Degree);
                Assert.Equal(1, KeccakFChip.OutputLimb<DegreeProbe, SymbolicExpression>(probe, word, half).Degree);
            }
        Assert.Throws<ArgumentOutOfRangeException>(() => KeccakFChip.InputLimb<DegreeProbe, SymbolicExpression>(probe, 50, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeccakFChip.OutputLimb<DegreeProbe, SymbolicExpression>(probe, 0, 2));
    }

    /// <summary>Every column and selector as a degree-1 variable, to read an expression's degree.</summary>
    sealed class DegreeProbe : IAirBuilder<SymbolicExpression>
    {
        public SymbolicExpression Main(int column) => SymbolicExpression.Variable;
        public SymbolicExpression MainNext(int column) => SymbolicExpression.Variable;
        public SymbolicExpression Preprocessed(int column) => SymbolicExpression.Variable;
        public SymbolicExpression PreprocessedNext(int column) => SymbolicExpression.Variable;
        public SymbolicExpression Public(int index) => SymbolicExpression.Variable;
        public SymbolicExpression IsFirstRow => SymbolicExpression.Variable;
        public SymbolicExpression IsLastRow => SymbolicExpression.Variable;
        public SymbolicExpression IsTransition => SymbolicExpression.Variable;
        public void AssertZero(SymbolicExpression constraint, string name = "") { }
        public void Send(Bus bus, SymbolicExpression multiplicity, params ReadOnlySpan<SymbolicExpression> values) { }
        public void Receive(Bus bus, SymbolicExpression multiplicity, params ReadOnlySpan<SymbolicExpression> values) { }
    }
}
