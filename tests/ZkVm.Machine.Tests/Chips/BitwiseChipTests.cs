using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.BitwiseChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class BitwiseChipTests
{
    [Theory]
    [InlineData("alu.S")]
    [InlineData("c_semantics.c")]
    public void A_directed_program_fills_a_trace_that_satisfies_every_constraint(string file)
    {
        var (table, steps) = Fill(new BitwiseChip(), Run(Guests.DirectedElf(file)));
        Assert.NotEmpty(steps);
        AssertHonest(table, steps);
    }

    [Fact]
    public void A_wrong_byte_of_a_bitwise_result_is_rejected()
    {
        var elf = Bare("alu-xor.S", """
                li a1, 0xff00ff0f
                li a2, 0x0f0f0f0f
                xor a3, a1, a2
                and a4, a1, a2
                ori a5, a1, 0x0f0
            """);
        var (table, steps) = Fill(new BitwiseChip(), Run(elf));
        foreach (var op in new[] { Opcode.Xor, Opcode.And, Opcode.Ori })
        {
            int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == op);
            // The result limb rd receives is composed from the bytes, so it follows the forged byte: every
            // constraint holds, and only the lookup of that byte can refuse it.
            var forged = With(table, m => m[row, C.ResBytes + 1] = m[row, C.ResBytes + 1] + BabyBear.One);
            Assert.False(ConstraintsFail(forged));
            Assert.NotNull(BadLookup(forged, row));
            Assert.True(Caught(table, forged, row));
        }
    }

    [Fact]
    public void An_immediate_that_is_not_the_operand_is_rejected()
    {
        var elf = Bare("alu-ori.S", """
                li a1, 0xff00ff0f
                ori a5, a1, 0x0f0
            """);
        var (table, steps) = Fill(new BitwiseChip(), Run(elf));
        int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == Opcode.Ori);
        // The operand's byte raised with its result byte (OR of 0x0f and 0xf1 is 0xff either way): the lookup holds, the
        // immediate column (the ROM's limb) no longer equals the operand.
        Assert.True(ConstraintsFail(With(table, m => m[row, C.BBytes] = m[row, C.BBytes] + BabyBear.One)));
    }

    [Fact]
    public void A_bitwise_row_cannot_borrow_the_operation_of_another_opcode()
    {
        var elf = Bare("alu-op.S", """
                li a1, 0xff00ff0f
                li a2, 0x0f0f0f0f
                xor a3, a1, a2
            """);
        var (table, steps) = Fill(new BitwiseChip(), Run(elf));
        int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == Opcode.Xor);
        // Proving OR's result under the XOR selector: the Xor lookups reject the OR bytes.
        uint a = 0xff00ff0f, b = 0x0f0f0f0f, or = a | b;
        var forged = With(table, m =>
        {
            for (int k = 0; k < 4; k++) m[row, C.ResBytes + k] = BabyBear.FromCanonical((or >> (8 * k)) & 0xFF);
        });
        Assert.True(Caught(table, forged, row));
    }
}
