using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.JumpChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class JumpChipTests
{
    static uint Next(TableTrace t, int row) => 2 * t.Main[row, C.NextHalf].ToCanonical() + (t.Main[row, C.NextHi].ToCanonical() << 16);

    [Theory]
    [MemberData(nameof(ChipHarness.Programs), MemberType = typeof(ChipHarness))]
    public void Real_runs_fill_and_pass(string program)
    {
        var witness = Program(program);
        var table = Table(new JumpChip(), witness, out var rows);
        TraceChecker.CheckConstraints(table);
        AssertLookupsValid(table);
        for (int i = 0; i < rows.Length; i++)
        {
            var r = witness.Steps[rows[i]].Record;
            Assert.Equal(r.NextPc, Next(table, i));
            Assert.Equal(r.Pc + 4, table.Main[i, C.LinkLo].ToCanonical() + (table.Main[i, C.LinkHi].ToCanonical() << 16));
        }
    }

    [Fact]
    public void Upper_jumps_S_has_both_opcodes_and_a_link_to_x0()
    {
        var witness = Program("upper_jumps.S");
        Table(new JumpChip(), witness, out var rows);
        var ops = rows.Select(s => witness.Steps[s].Record.Instruction).ToList();
        Assert.Contains(ops, i => i.Op == Opcode.Jal);
        Assert.Contains(ops, i => i.Op == Opcode.Jalr);
        Assert.Contains(ops, i => i.Rd == 0);
    }

    [Fact]
    public void JALR_cannot_keep_the_low_bit()
    {
        // upper_jumps.S check 7 jumps to an odd rs1 + imm (the label + 1), which JALR must round down.
        var witness = Program("upper_jumps.S");
        var honest = Table(new JumpChip(), witness, out var rows);
        int row = Enumerable.Range(0, rows.Length).First(i => honest.Main[i, C.DroppedBit] == BabyBear.One);
        uint sum = witness.Steps[rows[row]].Record.Rs1Value + (uint)witness.Steps[rows[row]].Record.Instruction.Imm;
        Assert.Equal(1u, sum & 1);
        // Claiming nothing dropped makes 2·NextHalf the odd low limb: NextHalf is that limb / 2 in the
        // field (about 2^30), every constraint holds, and only its u16 lookup fails.
        var forged = Copy(honest);
        forged.Main[row, C.DroppedBit] = BabyBear.Zero;
        forged.Main[row, C.NextHalf] = F(sum & 0xFFFF) * F(2).Inverse();
        TraceChecker.CheckConstraints(forged);
        Assert.StartsWith("bytes", Rejects(honest, forged, row) ?? "accepted");
        // The forged row really sends the odd target on the execution bus.
        Assert.Equal(sum & 0xFFFF, (F(2) * forged.Main[row, C.NextHalf]).ToCanonical());
    }

    [Fact]
    public void JAL_cannot_drop_a_bit()
    {
        var witness = Program("upper_jumps.S");
        var honest = Table(new JumpChip(), witness, out var rows);
        int row = Enumerable.Range(0, rows.Length).First(i => witness.Steps[rows[i]].Record.Instruction.Op == Opcode.Jal);
        // JAL to target − 2 + 1 dropped: the sum's bits allow it, the JAL rule does not.
        var forged = Copy(honest);
        forged.Main[row, C.NextHalf] = forged.Main[row, C.NextHalf] - BabyBear.One;
        forged.Main[row, C.DroppedBit] = F(2);
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
    }

    [Fact]
    public void The_link_must_be_pc_plus_4()
    {
        var witness = Program("upper_jumps.S");
        var honest = Table(new JumpChip(), witness, out var rows);
        int row = Enumerable.Range(0, rows.Length).First(i => honest.Main[i, Columns.Index(honest.Air, "WritesRd")] == BabyBear.One);
        var forged = Copy(honest);
        forged.Main[row, C.LinkLo] = forged.Main[row, C.LinkLo] + F(4);
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
    }
}
