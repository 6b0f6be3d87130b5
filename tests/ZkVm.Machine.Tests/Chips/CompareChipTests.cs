using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.CompareChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class CompareChipTests
{
    [Fact]
    public void The_directed_alu_program_fills_a_trace_that_satisfies_every_constraint()
    {
        var (table, steps) = Fill(new CompareChip(), Run(Guests.DirectedElf("alu.S")));
        Assert.Equal(4, steps.Select(s => s.Record.Instruction.Op).Distinct().Count());
        AssertHonest(table, steps);
    }

    [Fact]
    public void The_sort_sample_fills_a_trace_that_satisfies_every_constraint()
    {
        var (table, steps) = Fill(new CompareChip(), Run(Guests.SampleElf("sort"), Guests.SampleInput("sort")));
        AssertHonest(table, steps);
    }

    [Fact]
    public void Every_sign_and_order_combination_is_proven_with_the_emulators_answer()
    {
        // Operands on both sides of 0, 2^15 and 2^31 in either limb, equal, and immediates of both signs.
        var elf = Bare("compare-grid.S", """
                li t0, 0x80000000
                li t1, 0x7fffffff
                li t2, 0xffff8000
                li t3, 0x00008000
                li t4, -1
                li t5, 1
                slt a0, t0, t1
                slt a1, t1, t0
                sltu a2, t0, t1
                sltu a3, t1, t0
                slt a4, t2, t3
                sltu a5, t2, t3
                slt a6, t4, t4
                sltu a7, t4, t5
                slt s2, t5, t4
                slti s3, t0, -1
                slti s4, t4, 0
                sltiu s5, t5, -1
                sltiu s6, t4, -1
                slti s7, t3, 2047
                sltiu s8, x0, 1
            """);
        var (table, steps) = Fill(new CompareChip(), Run(elf));
        Assert.Equal(15, steps.Length);
        AssertHonest(table, steps);
    }


    [Fact]
    public void An_slt_with_a_flipped_sign_is_rejected()
    {
        var elf = Bare("compare-sign.S", """
                li a1, -1
                li a2, 1
                slt a3, a1, a2
                slt a4, a2, a1
                slti a5, a2, -5
            """);
        var (table, steps) = Fill(new CompareChip(), Run(elf));
        Assert.Equal([1u, 0u, 0u], steps.Select(s => s.Record.RdValue));
        for (int row = 0; row < 3; row++)
        {
            foreach (int sign in new[] { C.SignA, C.SignB })
            {
                // Flip the sign and everything that follows from it (the XOR and the result): the
                // row is consistent, and answers as if the operand had the other sign.
                var forged = With(table, m =>
                {
                    m[row, sign] = BabyBear.One - m[row, sign];
                    m[row, C.SignXor] = BabyBear.One - m[row, C.SignXor];
                    m[row, C.Result] = BabyBear.One - m[row, C.Result];
                });
                Assert.False(ConstraintsFail(forged));
                // The top-bit lookup (2·hi − 2^16·sign < 2^16) is what refuses it.
                Assert.NotNull(BadLookup(forged, row));
                Assert.True(Caught(table, forged, row));
            }
        }
    }

    [Fact]
    public void An_unsigned_compare_cannot_use_signs()
    {
        var elf = Bare("compare-unsigned.S", """
                li a1, -1
                li a2, 1
                sltu a3, a1, a2
            """);
        var (table, _) = Fill(new CompareChip(), Run(elf));
        // sltu(0xffffffff, 1) = 0; a sign on an unsigned row would turn it into 1.
        var forged = With(table, m =>
        {
            m[0, C.SignA] = BabyBear.One;
            m[0, C.SignXor] = BabyBear.One;
            m[0, C.Result] = BabyBear.One;
        });
        Assert.True(ConstraintsFail(forged));
    }

    [Fact]
    public void A_wrong_borrow_is_rejected()
    {
        var elf = Bare("compare-borrow.S", """
                li a1, 5
                li a2, 7
                sltu a3, a1, a2
            """);
        var (table, _) = Fill(new CompareChip(), Run(elf));
        Assert.Equal(BabyBear.One, table.Main[0, C.Borrow1]);
        // Claim 5 ≥ 7: drop both borrows and the result; the difference limbs must then be −2,
        // which is not a u16 (and with them unchanged the limb equations break).
        var forged = With(table, m =>
        {
            m[0, C.Borrow0] = BabyBear.Zero;
            m[0, C.Borrow1] = BabyBear.Zero;
            m[0, C.Result] = BabyBear.Zero;
            m[0, C.DiffLo] = BabyBear.Zero - BabyBear.FromCanonical(2);
            m[0, C.DiffHi] = BabyBear.Zero;
        });
        Assert.False(ConstraintsFail(forged));
        Assert.NotNull(BadLookup(forged, 0));
        Assert.True(ConstraintsFail(With(table, m => m[0, C.Borrow1] = BabyBear.Zero)));
    }
}
