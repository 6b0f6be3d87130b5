using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;

namespace ZkVm.Machine.Tests.Chips;

public class MultiplyChipTests
{
    static readonly Opcode[] Ops = [Opcode.Mul, Opcode.Mulh, Opcode.Mulhsu, Opcode.Mulhu];

    [Theory]
    [InlineData("muldiv.S")]
    [InlineData("c_semantics.c")]
    public void A_real_run_fills_rows_that_pass_and_write_what_the_emulator_wrote(string directed)
    {
        var (table, steps) = Fill(new MultiplyChip(), Directed(directed));
        Assert.NotEmpty(steps);
        AssertHonest(table, steps);
        if (directed == "muldiv.S")
            foreach (var op in Ops) Assert.Contains(steps, s => s.Record.Instruction.Op == op);
    }

    /// <summary>A one-row table for op on (a, b) whose product bytes are <paramref name="product"/>, with the given signs and the carries that follow.</summary>
    static TableTrace Forged(Opcode op, uint a, uint b, ulong product, bool signA, bool signB)
    {
        var chip = new MultiplyChip();
        var m = ChipTrace.Allocate(chip.MainWidth, 1);
        var row = new MultiplyChip.MainRow<BabyBear>(m.Row(0));
        row.IsMul = F(op == Opcode.Mul);
        row.IsMulh = F(op == Opcode.Mulh);
        row.IsMulhsu = F(op == Opcode.Mulhsu);
        row.IsMulhu = F(op == Opcode.Mulhu);
        row.Adapter.Pc = BabyBear.FromCanonical(0x1000);
        row.Adapter.Ts = BabyBear.FromCanonical(4);
        row.Adapter.Rd.Index = row.Adapter.Rs1.Index = row.Adapter.Rs2.Index = BabyBear.FromCanonical(5);
        row.Adapter.WritesRd = BabyBear.One;
        var ea = new long[8];
        var eb = new long[8];
        for (int k = 0; k < 8; k++)
        {
            ea[k] = k < 4 ? (a >> (8 * k)) & 0xFF : signA ? 0xFF : 0;
            eb[k] = k < 4 ? (b >> (8 * k)) & 0xFF : signB ? 0xFF : 0;
            if (k < 4)
            {
                row.A[k] = BabyBear.FromCanonical((uint)ea[k]);
                row.B[k] = BabyBear.FromCanonical((uint)eb[k]);
            }
        }
        row.SignA = F(signA);
        row.SignB = F(signB);
        // The carries solve each byte's equation in the field, as the strongest forger would: only
        // their range checks then stand between a wrong product and acceptance.
        var inv256 = BabyBear.FromCanonical(256).Inverse();
        var carry = BabyBear.Zero;
        for (int k = 0; k < 8; k++)
        {
            long p = (long)((product >> (8 * k)) & 0xFF);
            long conv = 0;
            for (int j = 0; j <= k; j++) conv += ea[j] * eb[k - j];
            carry = (BabyBear.FromInt64(conv - p) + carry) * inv256;
            row.P[k] = BabyBear.FromCanonical((uint)p);
            row.Carry[k] = carry;
        }
        // The rd write's previous state, any consistent one: only the value written matters here.
        row.Adapter.Rd.Access.Time.PrevTs = BabyBear.Zero;
        row.Adapter.Rd.Access.Time.DiffLo = BabyBear.FromCanonical(5);
        row.Adapter.Rs1.Access.PrevTs = row.Adapter.Rs2.Access.PrevTs = BabyBear.Zero;
        row.Adapter.Rs1.Access.DiffLo = BabyBear.FromCanonical(3);
        row.Adapter.Rs2.Access.DiffLo = BabyBear.FromCanonical(4);
        return new TableTrace(chip, m);
    }

    static BabyBear F(bool x) => x ? BabyBear.One : BabyBear.Zero;

    static ulong TrueProduct(Opcode op, uint a, uint b) => op switch
    {
        Opcode.Mulh => (ulong)((long)(int)a * (int)b),
        Opcode.Mulhsu => (ulong)((long)(int)a * (long)b),
        _ => (ulong)a * b,
    };

    [Theory]
    [InlineData(0xFFFFFFFFu, 1u)]
    [InlineData(0x80000000u, 0x80000000u)]
    [InlineData(0x80000000u, 0x7FFFFFFFu)]
    [InlineData(5u, 0xFFFFFFFDu)]
    public void The_forging_helper_accepts_the_true_products(uint a, uint b)
    {
        // The attack tests below are only meaningful if the same helper builds accepted rows from true values.
        foreach (var op in Ops)
        {
            bool sa = op is Opcode.Mulh or Opcode.Mulhsu && (int)a < 0, sb = op == Opcode.Mulh && (int)b < 0;
            Assert.False(Rejected(Forged(op, a, b, TrueProduct(op, a, b), sa, sb), out string why), $"{op}: {why}");
        }
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, 1u)]
    [InlineData(0x80000000u, 0x80000000u)]
    [InlineData(0x80000000u, 0x7FFFFFFFu)]
    [InlineData(5u, 0xFFFFFFFDu)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu)]
    public void MULH_with_the_unsigned_or_mixed_product_is_rejected_whatever_signs_are_claimed(uint a, uint b)
    {
        foreach (var (op, product) in new[] { (Opcode.Mulh, TrueProduct(Opcode.Mulhu, a, b)), (Opcode.Mulh, TrueProduct(Opcode.Mulhsu, a, b)),
                     (Opcode.Mulhsu, TrueProduct(Opcode.Mulhu, a, b)), (Opcode.Mulhu, TrueProduct(Opcode.Mulh, a, b)) })
        {
            if (product == TrueProduct(op, a, b)) continue;
            foreach (bool sa in new[] { false, true })
                foreach (bool sb in new[] { false, true })
                    Assert.True(Rejected(Forged(op, a, b, product, sa, sb), out _), $"{op} {a:x8}·{b:x8} = {product:x16} with signs {sa},{sb} was accepted");
        }
    }

    [Fact]
    public void A_product_off_by_one_in_any_byte_is_rejected_though_the_field_carries_fit()
    {
        uint a = 0x12345678, b = 0x9ABCDEF0;
        foreach (var op in Ops)
            for (int k = 0; k < 8; k++)
            {
                ulong forged = TrueProduct(op, a, b) ^ (1UL << (8 * k));
                bool sa = op is Opcode.Mulh or Opcode.Mulhsu && (int)a < 0, sb = op == Opcode.Mulh && (int)b < 0;
                Assert.True(Rejected(Forged(op, a, b, forged, sa, sb), out _), $"{op} byte {k}");
            }
    }
}
