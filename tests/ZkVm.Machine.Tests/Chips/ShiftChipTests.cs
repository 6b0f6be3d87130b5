using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.ShiftChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class ShiftChipTests
{
    [Fact]
    public void The_directed_shifts_program_fills_a_trace_that_satisfies_every_constraint()
    {
        var (table, steps) = Fill(new ShiftChip(), Run(Guests.DirectedElf("shifts.S")));
        Assert.Equal(6, steps.Select(s => s.Record.Instruction.Op).Distinct().Count());
        AssertHonest(table, steps);
    }

    [Fact]
    public void The_sort_sample_fills_a_trace_that_satisfies_every_constraint()
    {
        var (table, steps) = Fill(new ShiftChip(), Run(Guests.SampleElf("sort"), Guests.SampleInput("sort")));
        Assert.NotEmpty(steps);
        AssertHonest(table, steps);
    }

    [Fact]
    public void Every_amount_of_every_shift_is_proven_with_the_emulators_answer()
    {
        // All 32 amounts (and 32..63 through rs2's upper bits) on values with both sign bits.
        var body = new System.Text.StringBuilder();
        body.AppendLine("    li t0, 0x9234abcd");
        body.AppendLine("    li t1, 0x6a5b3c2d");
        for (int s = 0; s < 64; s++)
        {
            body.AppendLine($"    li t2, {s + (s % 3) * 0x1000_0000u}");
            foreach (var op in new[] { "sll", "srl", "sra" })
            {
                body.AppendLine($"    {op} a0, t0, t2");
                body.AppendLine($"    {op} a1, t1, t2");
            }
            if (s < 32)
                foreach (var op in new[] { "slli", "srli", "srai" })
                    body.AppendLine($"    {op} a2, t0, {s}");
        }
        var (table, steps) = Fill(new ShiftChip(), Run(Bare("shift-grid.S", body.ToString())));
        Assert.Equal(64 * 6 + 32 * 3, steps.Length);
        AssertHonest(table, steps);
    }

    static TableTrace OneShift(string op, uint value, uint amount)
    {
        var elf = Bare($"shift-{op}-{amount}.S", $"""
                li a1, {value}
                li a2, {amount}
                {op} a3, a1, a2
            """);
        return Fill(new ShiftChip(), Run(elf)).Table;
    }

    [Theory]
    [InlineData("sll", 0x00000001u, 33u, 0u)]
    [InlineData("sll", 0x00000001u, 32u, 0u)]
    [InlineData("srl", 0x80000000u, 32u, 0u)]
    [InlineData("srl", 0xffffffffu, 40u, 0u)]
    [InlineData("sra", 0x80000000u, 33u, 0xffffffffu)]
    [InlineData("sra", 0x7fffffffu, 33u, 0u)]
    public void A_shift_by_32_or_more_cannot_be_proven_unmasked(string op, uint value, uint amount, uint unmasked)
    {
        var table = OneShift(op, value, amount);
        Assert.NotEqual(unmasked, table.Main[0, C.ResLo].ToCanonical() | table.Main[0, C.ResHi].ToCanonical() << 16);
        var lo = BabyBear.FromCanonical(unmasked & 0xFFFF);
        var hi = BabyBear.FromCanonical(unmasked >> 16);
        // The unmasked result alone.
        Assert.True(Caught(table, With(table, m => { m[0, C.ResLo] = lo; m[0, C.ResHi] = hi; }), 0));
        // With every byte shift cleared, which is the only way the selected bytes vanish.
        Assert.True(Caught(table, With(table, m =>
        {
            m[0, C.ResLo] = lo;
            m[0, C.ResHi] = hi;
            for (int q = 0; q < 4; q++) m[0, C.ByteShift + q] = BabyBear.Zero;
        }), 0));
    }

    [Theory]
    [InlineData("sll")]
    [InlineData("srl")]
    [InlineData("sra")]
    public void The_amount_is_rs2_mod_32_and_no_other_split(string op)
    {
        // Honest rows shifting by every amount c; each is then forged to claim it read rs2 = 33
        // (BLo = 33, BRest = (33 − c)/32 in the field). Every constraint still holds, so only the
        // u16 lookup of BRest stands between rs2 = 33 and a shift by c ≠ 1.
        var body = new System.Text.StringBuilder("    li a1, 0x9234abcd\n");
        for (int c = 0; c < 32; c++) body.AppendLine($"    li a2, {c}\n    {op} a3, a1, a2");
        var (table, steps) = Fill(new ShiftChip(), Run(Bare($"shift-split-{op}.S", body.ToString())));
        Assert.Equal(32, steps.Length);
        for (int c = 0; c < 32; c++)
        {
            int row = c;
            var forged = With(table, m =>
            {
                m[row, C.BLo] = BabyBear.FromCanonical(33);
                m[row, C.BRest] = (BabyBear.FromCanonical(33) - BabyBear.FromCanonical((uint)c)) * BabyBear.FromCanonical(32).Inverse();
            });
            Assert.False(ConstraintsFail(forged));
            if (c == 1) Assert.Null(BadLookup(forged, row));
            else Assert.NotNull(BadLookup(forged, row));
        }
    }

    [Fact]
    public void An_sra_with_the_wrong_sign_is_rejected()
    {
        var elf = Bare("shift-sign.S", """
                li a1, 0x80000000
                li a2, 4
                sra a3, a1, a2
                srai a4, a1, 4
            """);
        var (table, steps) = Fill(new ShiftChip(), Run(elf));
        for (int row = 0; row < 2; row++)
        {
            // Sign 0 and the fill recomputed: the row is the logical shift's and consistent, but the
            // top-bit lookup of A3 − 128·Sign refuses it.
            var forged = With(table, m =>
            {
                m[row, C.Sign] = BabyBear.Zero;
                m[row, C.Top] = m[row, C.High + 3];
                m[row, C.ResHi] = BabyBear.FromCanonical(0x0800);
            });
            Assert.False(ConstraintsFail(forged));
            Assert.NotNull(BadLookup(forged, row));
        }
    }

    [Fact]
    public void A_product_split_into_non_bytes_is_rejected()
    {
        var elf = Bare("shift-split.S", """
                li a1, 0x000000ff
                slli a3, a1, 7
            """);
        var (table, _) = Fill(new ShiftChip(), Run(elf));
        // 0xff·2^7 = 0x7f80 = 0x80 + 256·0x7f; move 256 from the high byte into the low one.
        var forged = With(table, m =>
        {
            m[0, C.Low] = m[0, C.Low] + BabyBear.FromCanonical(256);
            m[0, C.High] = m[0, C.High] - BabyBear.One;
        });
        Assert.True(Caught(table, forged, 0));
    }
}
