using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.BranchChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class BranchChipTests
{
    [Theory]
    [MemberData(nameof(ChipHarness.Programs), MemberType = typeof(ChipHarness))]
    public void Real_runs_fill_and_pass(string program)
    {
        var witness = Program(program);
        var table = Table(new BranchChip(), witness, out var rows);
        TraceChecker.CheckConstraints(table);
        AssertLookupsValid(table);
        // The row's next pc is the emulator's.
        for (int i = 0; i < rows.Length; i++)
        {
            uint next = table.Main[i, C.NextLo].ToCanonical() + (table.Main[i, C.NextHi].ToCanonical() << 16);
            Assert.Equal(witness.Steps[rows[i]].Record.NextPc, next);
        }
    }

    [Fact]
    public void Branches_S_takes_every_opcode_both_ways()
    {
        var witness = Program("branches.S");
        var table = Table(new BranchChip(), witness, out var rows);
        var seen = rows.Select((s, i) => (witness.Steps[s].Record.Instruction.Op, table.Main[i, C.Taken] == BabyBear.One)).ToHashSet();
        foreach (var op in new[] { Opcode.Beq, Opcode.Bne, Opcode.Blt, Opcode.Bge, Opcode.Bltu, Opcode.Bgeu })
        {
            Assert.Contains((op, true), seen);
            Assert.Contains((op, false), seen);
        }
    }

    [Fact]
    public void A_taken_branch_cannot_fall_through()
    {
        var witness = Program("branches.S");
        var honest = Table(new BranchChip(), witness, out var rows);
        int row = Enumerable.Range(0, rows.Length).First(i => honest.Main[i, C.Taken] == BabyBear.One
            && witness.Steps[rows[i]].Record.Instruction.Imm != 4);
        uint pc = witness.Steps[rows[row]].Record.Pc, next = pc + 4;
        // The forger sends pc + 4 with consistent carries, and claims the branch not taken.
        var forged = Copy(honest);
        forged.Main[row, C.NextLo] = F(next & 0xFFFF);
        forged.Main[row, C.NextHi] = F(next >> 16);
        forged.Main[row, C.Carry0] = F(((pc & 0xFFFF) + 4) >> 16);
        forged.Main[row, C.Carry1] = BabyBear.Zero;
        forged.Main[row, C.Taken] = BabyBear.Zero;
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
        // Keeping Taken = 1 while sending pc + 4 fails the next-pc equation instead.
        forged.Main[row, C.Taken] = BabyBear.One;
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
    }

    [Theory]
    [InlineData(Opcode.Beq)]
    [InlineData(Opcode.Bne)]
    public void Equality_cannot_be_flipped(Opcode op)
    {
        var witness = Program("branches.S");
        var honest = Table(new BranchChip(), witness, out var rows);
        foreach (bool equal in new[] { true, false })
        {
            int row = Enumerable.Range(0, rows.Length).First(i => witness.Steps[rows[i]].Record.Instruction.Op == op
                && (witness.Steps[rows[i]].Record.Rs1Value == witness.Steps[rows[i]].Record.Rs2Value) == equal);
            uint pc = witness.Steps[rows[row]].Record.Pc, imm = (uint)witness.Steps[rows[row]].Record.Instruction.Imm;
            bool taken = honest.Main[row, C.Taken] == BabyBear.One;
            uint next = taken ? pc + 4 : pc + imm;
            // Equal flipped, inverses cleared, the other way taken with consistent next-pc limbs.
            var forged = Copy(honest);
            forged.Main[row, C.Equal] = equal ? BabyBear.Zero : BabyBear.One;
            forged.Main[row, C.InvLo] = BabyBear.Zero;
            forged.Main[row, C.InvHi] = BabyBear.Zero;
            forged.Main[row, C.NonZeroLo] = BabyBear.Zero;
            forged.Main[row, C.NonZeroHi] = BabyBear.Zero;
            forged.Main[row, C.Taken] = taken ? BabyBear.Zero : BabyBear.One;
            uint add = taken ? 4 : imm;
            uint lo = (pc & 0xFFFF) + (add & 0xFFFF);
            forged.Main[row, C.NextLo] = F(next & 0xFFFF);
            forged.Main[row, C.NextHi] = F(next >> 16);
            forged.Main[row, C.Carry0] = F(lo >> 16);
            forged.Main[row, C.Carry1] = F(((pc >> 16) + (add >> 16) + (lo >> 16)) >> 16);
            Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
        }
    }

    [Fact]
    public void The_signed_order_cannot_be_flipped()
    {
        // blt 0x80000000, 0x7fffffff is taken (check 8); claiming rs1 ≥ rs2 needs a different sign bit.
        var witness = Program("branches.S");
        var honest = Table(new BranchChip(), witness, out var rows);
        int row = Enumerable.Range(0, rows.Length).First(i => witness.Steps[rows[i]].Record.Instruction.Op == Opcode.Blt
            && witness.Steps[rows[i]].Record.Rs1Value == 0x80000000);
        uint pc = witness.Steps[rows[row]].Record.Pc, next = pc + 4;
        // Every constraint holds after the forgery (not taken, pc + 4 sent): only the sign check's lookup fails.
        var forged = Copy(honest);
        forged.Main[row, C.SignA] = BabyBear.Zero;
        forged.Main[row, C.LessSigned] = BabyBear.Zero;
        forged.Main[row, C.Taken] = BabyBear.Zero;
        forged.Main[row, C.NextLo] = F(next & 0xFFFF);
        forged.Main[row, C.NextHi] = F(next >> 16);
        forged.Main[row, C.Carry0] = F(((pc & 0xFFFF) + 4) >> 16);
        forged.Main[row, C.Carry1] = BabyBear.Zero;
        Assert.StartsWith("bytes", Rejects(honest, forged, row) ?? "accepted");
    }

    [Fact]
    public void Padding_rows_are_zero()
    {
        var witness = Program("upper_jumps.S");
        var table = Table(new BranchChip(), witness, out var rows);
        Assert.True(table.Height > rows.Length || rows.Length >= 4);
        for (int r = rows.Length; r < table.Height; r++)
            for (int c = 0; c < table.Main.Width; c++)
                Assert.Equal(BabyBear.Zero, table.Main[r, c]);
    }
}
