using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.AluChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class AluChipTests
{
    [Theory]
    [InlineData("alu.S")]
    [InlineData("shifts.S")]
    public void A_directed_program_fills_a_trace_that_satisfies_every_constraint(string file)
    {
        var (table, steps) = Fill(new AluChip(), Run(Guests.DirectedElf(file)));
        Assert.NotEmpty(steps);
        AssertHonest(table, steps);
    }

    [Fact]
    public void The_sort_sample_fills_a_trace_that_satisfies_every_constraint()
    {
        var (table, steps) = Fill(new AluChip(), Run(Guests.SampleElf("sort"), Guests.SampleInput("sort")));
        Assert.Contains(steps, s => s.Record.Instruction.Op == Opcode.Addi);
        AssertHonest(table, steps);
    }

    static (TableTrace Table, int Row) Carrying()
    {
        var elf = Bare("alu-carry.S", """
                li a1, 0x1234ffff
                li a2, 0x00000001
                add a3, a1, a2
            """);
        var (table, steps) = Fill(new AluChip(), Run(elf));
        int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == Opcode.Add);
        Assert.Equal(BabyBear.One, table.Main[row, C.Carry0]);
        return (table, row);
    }

    [Fact]
    public void An_add_that_drops_its_carry_is_rejected()
    {
        var (table, row) = Carrying();
        // Only the carry: the limb equations break.
        Assert.True(ConstraintsFail(With(table, m => m[row, C.Carry0] = BabyBear.Zero)));
        // Carry dropped and the limbs recomputed to match (lo = 0x10000, hi without the carry):
        // every constraint holds, but lo is not a u16 and the byte table refuses it.
        var forged = With(table, m =>
        {
            m[row, C.Carry0] = BabyBear.Zero;
            m[row, C.ResLo] = BabyBear.FromCanonical(0x10000);
            m[row, C.ResHi] = BabyBear.FromCanonical(0x1234);
        });
        Assert.False(ConstraintsFail(forged));
        Assert.NotNull(BadLookup(forged, row));
        Assert.True(Caught(table, forged, row));
    }

    [Fact]
    public void A_carry_out_of_the_word_must_be_boolean()
    {
        var elf = Bare("alu-wrap.S", """
                li a1, -1
                li a2, 1
                add a3, a1, a2
            """);
        var (table, steps) = Fill(new AluChip(), Run(elf));
        int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == Opcode.Add);
        Assert.Equal(BabyBear.One, table.Main[row, C.Carry1]);
        // A top carry of 2 balances the limb equation with hi − 2^16; the boolean check refuses it.
        var forged = With(table, m =>
        {
            m[row, C.Carry1] = BabyBear.FromCanonical(2);
            m[row, C.ResHi] = m[row, C.ResHi] - BabyBear.FromCanonical(1 << 16);
        });
        Assert.True(ConstraintsFail(forged));
    }
}
