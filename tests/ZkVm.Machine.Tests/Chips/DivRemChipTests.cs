using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;

namespace ZkVm.Machine.Tests.Chips;

public class DivRemChipTests
{
    static readonly Opcode[] Ops = [Opcode.Div, Opcode.Divu, Opcode.Rem, Opcode.Remu];
    const uint IntMin = 0x8000_0000, MinusOne = 0xFFFF_FFFF;

    [Theory]
    [InlineData("muldiv.S")]
    [InlineData("c_semantics.c")]
    public void A_real_run_fills_rows_that_pass_and_write_what_the_emulator_wrote(string directed)
    {
        var (table, steps) = Fill(new DivRemChip(), Directed(directed));
        Assert.NotEmpty(steps);
        AssertHonest(table, steps);
        if (directed == "muldiv.S")
        {
            foreach (var op in Ops) Assert.Contains(steps, s => s.Record.Instruction.Op == op);
            // The edge cases are among the rows: division by zero and the signed overflow.
            Assert.Contains(steps, s => s.Record.Rs2Value == 0);
            Assert.Contains(steps, s => s.Record.Rs1Value == IntMin && s.Record.Rs2Value == MinusOne);
        }
    }

    /// <summary>A one-row table for op dividing a by b with the claimed q, r and flags (the other columns follow from them).</summary>
    static TableTrace Forged(Opcode op, uint a, uint b, uint q, uint r, bool signA, bool signB, bool signQ, bool signR, bool overflow, bool zeroB)
    {
        var chip = new DivRemChip();
        var m = ChipTrace.Allocate(chip.MainWidth, 1);
        var row = new DivRemChip.MainRow<BabyBear>(m.Row(0));
        row.IsDiv = F(op == Opcode.Div);
        row.IsDivu = F(op == Opcode.Divu);
        row.IsRem = F(op == Opcode.Rem);
        row.IsRemu = F(op == Opcode.Remu);
        row.Adapter.Pc = BabyBear.FromCanonical(0x1000);
        row.Adapter.Ts = BabyBear.FromCanonical(4);
        row.Adapter.Rd.Index = row.Adapter.Rs1.Index = row.Adapter.Rs2.Index = BabyBear.FromCanonical(5);
        row.Adapter.WritesRd = BabyBear.One;
        DivRemChip.FillDivision(row, a, b, q, r, signA, signB, signQ, signR, overflow, zeroB);
        SolveInTheField(row);
        // Register accesses from timestamp 0: ts − prevTs − 1 at slots 0, 1, 2.
        row.Adapter.Rs1.Access.DiffLo = BabyBear.FromCanonical(3);
        row.Adapter.Rs2.Access.DiffLo = BabyBear.FromCanonical(4);
        row.Adapter.Rd.Access.Time.DiffLo = BabyBear.FromCanonical(5);
        return new TableTrace(chip, m);
    }

    static BabyBear F(bool x) => x ? BabyBear.One : BabyBear.Zero;

    /// <summary>
    /// The strongest forger's carries and comparison limbs: each solves its equation in the field,
    /// so only their range checks can stop a false claim (for true values they equal the honest ones).
    /// </summary>
    static void SolveInTheField(DivRemChip.MainRow<BabyBear> row)
    {
        var ff = BabyBear.FromCanonical(255);
        var inv256 = BabyBear.FromCanonical(256).Inverse();
        BabyBear[] q = new BabyBear[8], b = new BabyBear[8], r = new BabyBear[8];
        for (int k = 0; k < 8; k++)
        {
            q[k] = k < 4 ? row.Q[k] : ff * row.SignQ;
            b[k] = k < 4 ? row.B[k] : ff * row.SignB;
            r[k] = k < 4 ? row.R[k] : ff * row.SignR;
        }
        var carry = BabyBear.Zero;
        for (int k = 0; k < 8; k++)
        {
            var conv = r[k];
            for (int j = 0; j <= k; j++) conv += q[j] * b[k - j];
            var target = k < 4 ? row.A[k] : ff * (row.SignA - row.Overflow);
            carry = (conv + carry - target) * inv256;
            row.Carry[k] = carry;
        }
        var active = BabyBear.One - row.ZeroB;
        row.Diff[0] = BabyBear.FromCanonical(1 << 16) * row.DiffBorrow + active * (row.AbsB[0] - row.AbsR[0] - BabyBear.One);
        row.Diff[1] = active * (row.AbsB[1] - row.AbsR[1] - row.DiffBorrow);
    }

    static bool IsSigned(Opcode op) => op is Opcode.Div or Opcode.Rem;

    static (uint Q, uint R) Truth(Opcode op, uint a, uint b) =>
        IsSigned(op) ? (Alu.Div(a, b), Alu.Rem(a, b)) : (Alu.Divu(a, b), Alu.Remu(a, b));

    /// <summary>Every combination of the six flags the prover chooses (signs, overflow, b = 0).</summary>
    static IEnumerable<bool[]> AllFlags() => Enumerable.Range(0, 64).Select(m => Enumerable.Range(0, 6).Select(i => (m >> i & 1) == 1).ToArray());

    static TableTrace Forged(Opcode op, uint a, uint b, uint q, uint r, bool[] f) => Forged(op, a, b, q, r, f[0], f[1], f[2], f[3], f[4], f[5]);

    static bool[] HonestFlags(Opcode op, uint a, uint b, uint q, uint r)
    {
        bool s = IsSigned(op);
        return [s && (int)a < 0, s && (int)b < 0, s && (int)q < 0, s && (int)r < 0, s && a == IntMin && b == MinusOne, b == 0];
    }

    /// <summary>(q, r) must be rejected for op on (a, b) however the prover sets the flags.</summary>
    static void AssertRejected(Opcode op, uint a, uint b, uint q, uint r)
    {
        Assert.NotEqual(Truth(op, a, b), (q, r));
        foreach (var flags in AllFlags())
            Assert.True(Rejected(Forged(op, a, b, q, r, flags), out _),
                $"{op} {a:x8} / {b:x8} accepted q = {q:x8}, r = {r:x8} with flags {string.Join("", flags.Select(x => x ? 1 : 0))}");
    }

    public static TheoryData<uint, uint> Operands() => new()
    {
        { 20, 6 }, { unchecked((uint)-20), 6 }, { 20, unchecked((uint)-6) }, { unchecked((uint)-20), unchecked((uint)-6) },
        { 20, 0 }, { 0, 0 }, { IntMin, 0 }, { MinusOne, 0 }, { IntMin, MinusOne }, { IntMin, 1 }, { IntMin, IntMin },
        { 7, unchecked((uint)-3) }, { unchecked((uint)-7), 3 }, { MinusOne, 0x10000 }, { 0x7FFFFFFF, MinusOne }, { 0, 2 }, { 1, MinusOne },
        { 0xDEADBEEF, 0x1234 }, { 0x1234, 0xDEADBEEF },
    };

    [Theory]
    [MemberData(nameof(Operands))]
    public void The_true_results_are_accepted_with_exactly_one_setting_of_the_flags(uint a, uint b)
    {
        // The honest witness is unique, so no choice of flags (e.g. q = 2^31 read as unsigned through
        // SignQ = 0, or no overflow flag) gives INT_MIN / −1 or anything else a second reading.
        foreach (var op in Ops)
        {
            var (q, r) = Truth(op, a, b);
            var honest = HonestFlags(op, a, b, q, r);
            foreach (var flags in AllFlags())
            {
                bool accepted = !Rejected(Forged(op, a, b, q, r, flags), out string why);
                Assert.True(accepted == flags.SequenceEqual(honest),
                    $"{op} {a:x8} / {b:x8} flags {string.Join("", flags.Select(x => x ? 1 : 0))}: {(accepted ? "accepted" : why)}");
            }
        }
    }

    [Theory]
    [InlineData(20u)]
    [InlineData(0u)]
    [InlineData(IntMin)]
    [InlineData(0xFFFFFFECu)]
    [InlineData(MinusOne)]
    public void Division_by_zero_has_one_answer(uint a)
    {
        // q·0 + r = a holds for every q; only q = all ones, r = a is the spec's.
        foreach (var op in Ops)
            foreach (var (q, r) in new (uint, uint)[] { (0, a), (1, a), (5, a), (0x7FFFFFFF, a), (0xFFFFFFFE, a), (IntMin, a),
                         (MinusOne, a + 1), (MinusOne, 0), (0, 0), (MinusOne, a ^ IntMin) })
                if ((q, r) != Truth(op, a, 0)) AssertRejected(op, a, 0, q, r);
    }

    [Fact]
    public void INT_MIN_by_minus_one_has_one_answer()
    {
        foreach (var op in new[] { Opcode.Div, Opcode.Rem })
            foreach (var (q, r) in new (uint, uint)[] { (IntMin, 1), (IntMin, MinusOne), (IntMin, IntMin), (0, IntMin), (0x7FFFFFFF, MinusOne),
                         (0x7FFFFFFF, 0), (MinusOne, 0), (1, 0), (0, 0) })
                AssertRejected(op, IntMin, MinusOne, q, r);
        // Unsigned, 0x80000000 / 0xFFFFFFFF is plainly q = 0, r = a. (1, 0x80000001) solves q·b + r = a + 2^32,
        // what the overflow flag's target would be on an unsigned row.
        foreach (var op in new[] { Opcode.Divu, Opcode.Remu })
            foreach (var (q, r) in new (uint, uint)[] { (IntMin, 0), (1, 1), (MinusOne, 0), (1, 0x80000001) })
                AssertRejected(op, IntMin, MinusOne, q, r);
    }

    [Fact]
    public void A_remainder_not_below_the_divisor_or_of_the_wrong_sign_is_rejected()
    {
        uint N(int x) => unchecked((uint)x);
        // (q − 1, r + b) and further, for each sign combination, and remainders of the wrong sign.
        foreach (var op in Ops)
        {
            AssertRejected(op, 20, 6, 2, 8);
            AssertRejected(op, 20, 6, 1, 14);
            AssertRejected(op, 20, 6, 0, 20);
            AssertRejected(op, 20, 6, 4, N(-4));
            AssertRejected(op, 0xFFFFFFFF, 0x10000, 0xFFFE, 0x1FFFF);
            AssertRejected(op, 0xDEADBEEF, 0x1234, Truth(op, 0xDEADBEEF, 0x1234).Q - 1, Truth(op, 0xDEADBEEF, 0x1234).R + 0x1234);
            AssertRejected(op, 6, 6, 0, 6);
        }
        foreach (var op in new[] { Opcode.Div, Opcode.Rem })
        {
            AssertRejected(op, N(-20), 6, N(-2), N(-8));
            AssertRejected(op, 20, N(-6), N(-2), 8);
            AssertRejected(op, N(-20), N(-6), 2, N(-8));
            AssertRejected(op, N(-7), 3, N(-3), 2);   // r = 2 has the divisor's sign, not the dividend's
            AssertRejected(op, 7, N(-3), N(-3), N(-2));
            AssertRejected(op, 7, 3, 3, N(-2));
            AssertRejected(op, N(-7), N(-3), 3, 2);
            AssertRejected(op, N(-6), 6, 0, N(-6));
        }
    }

    [Fact]
    public void A_product_that_wraps_mod_2_to_the_32_is_rejected()
    {
        // q·b + r = a mod 2^32 but not over 64 bits: 0 = 2^31·2 + 0, −2^31·2 + 0, and a = (2^32 − 1)·2 + 1 + 2^32·k.
        foreach (var op in Ops)
        {
            AssertRejected(op, 0, 2, IntMin, 0);
            AssertRejected(op, 1, 2, IntMin, 1);
            AssertRejected(op, 0xFFFFFFFF, 2, 0xFFFFFFFF, 1);
            AssertRejected(op, 0, 0x10000, 0x10000, 0);
        }
    }
}
