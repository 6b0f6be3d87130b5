using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.LoadChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class LoadChipTests
{
    [Theory]
    [MemberData(nameof(ChipHarness.Programs), MemberType = typeof(ChipHarness))]
    public void Real_runs_fill_and_pass(string program)
    {
        var witness = Program(program);
        var table = Table(new LoadChip(), witness, out var rows);
        TraceChecker.CheckConstraints(table);
        AssertLookupsValid(table);
        for (int i = 0; i < rows.Length; i++)
        {
            var r = witness.Steps[rows[i]].Record;
            if (r.Instruction.Rd != 0)
                Assert.Equal(r.RdValue, table.Main[i, C.ValueLo].ToCanonical() + (table.Main[i, C.ValueHi].ToCanonical() << 16));
        }
    }

    [Fact]
    public void The_offsets_guest_covers_every_opcode_and_offset()
    {
        var witness = Program(MemOffsetsProgram.Name);
        Table(new LoadChip(), witness, out var rows);
        var seen = rows.Select(s => witness.Steps[s].Record).Select(r => (r.Instruction.Op, r.MemAddress & 3)).ToHashSet();
        foreach (var o in new uint[] { 0, 1, 2, 3 })
        {
            Assert.Contains((Opcode.Lb, o), seen);
            Assert.Contains((Opcode.Lbu, o), seen);
        }
        foreach (var o in new uint[] { 0, 2 })
        {
            Assert.Contains((Opcode.Lh, o), seen);
            Assert.Contains((Opcode.Lhu, o), seen);
        }
        Assert.Contains((Opcode.Lw, 0u), seen);
    }

    static int Row(Func<Riscv.Trace.ExecutionRecord, bool> pick, out Machine.Witness.MachineWitness witness, out TableTrace honest, out int[] rows)
    {
        witness = Program(MemOffsetsProgram.Name);
        honest = Table(new LoadChip(), witness, out rows);
        var w = witness;
        var rs = rows;
        return Enumerable.Range(0, rows.Length).First(i => pick(w.Steps[rs[i]].Record));
    }

    [Fact]
    public void A_misaligned_LW_is_rejected()
    {
        int row = Row(r => r.Instruction.Op == Opcode.Lw, out _, out var honest, out _);
        // rs1 claimed 2 higher (address 2 mod 4), offset still claimed 0: the address equation fails.
        var forged = Copy(honest);
        forged.Main[row, C.ALo] = forged.Main[row, C.ALo] + F(2);
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
        // The same address with its true offset 2: the LW alignment rule fails.
        forged.Main[row, C.Offset + 0] = BabyBear.Zero;
        forged.Main[row, C.Offset + 2] = BabyBear.One;
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
        // Offset 0 kept by pushing the 2 into the word's low bits: WordLo gains 1/2, whose lookup fails.
        forged.Main[row, C.Offset + 0] = BabyBear.One;
        forged.Main[row, C.Offset + 2] = BabyBear.Zero;
        forged.Main[row, C.WordLo] = forged.Main[row, C.WordLo] + F(2) * F(4).Inverse();
        TraceChecker.CheckConstraints(forged);
        Assert.StartsWith("bytes", Rejects(honest, forged, row) ?? "accepted");
    }

    [Fact]
    public void A_misaligned_LH_is_rejected()
    {
        int row = Row(r => r.Instruction.Op == Opcode.Lh, out _, out var honest, out _);
        var forged = Copy(honest);
        forged.Main[row, C.ALo] = forged.Main[row, C.ALo] + F(1);
        int at = Enumerable.Range(0, 4).First(k => honest.Main[row, C.Offset + k] == BabyBear.One);
        forged.Main[row, C.Offset + at] = BabyBear.Zero;
        forged.Main[row, C.Offset + at + 1] = BabyBear.One;
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
    }

    [Fact]
    public void A_load_cannot_return_another_byte()
    {
        int row = Row(r => r.Instruction.Op == Opcode.Lbu && r.Instruction.Rd != 0, out _, out var honest, out _);
        var other = F(honest.Main[row, C.SelByte].ToCanonical() ^ 0x5A);
        // rd changed alone, then with the selected byte too: both break an equation.
        var forged = Copy(honest);
        forged.Main[row, C.ValueLo] = other;
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
        forged.Main[row, C.SelByte] = other;
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
    }

    [Fact]
    public void Sign_extension_cannot_be_skipped()
    {
        // memory.S loads negative bytes with LB; claiming sign 0 leaves top − 0 = a byte ≥ 128, doubled ≥ 256.
        int row = Row(r => r.Instruction.Op == Opcode.Lb && (int)r.RdValue < 0 && r.Instruction.Rd != 0, out _, out var honest, out _);
        var forged = Copy(honest);
        forged.Main[row, C.Sign] = BabyBear.Zero;
        forged.Main[row, C.ValueLo] = forged.Main[row, C.SelByte];
        forged.Main[row, C.ValueHi] = BabyBear.Zero;
        TraceChecker.CheckConstraints(forged);
        Assert.StartsWith("bytes", Rejects(honest, forged, row) ?? "accepted");
    }
}
