using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;
using C = ZkVm.Machine.Chips.StoreChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class StoreChipTests
{
    [Theory]
    [MemberData(nameof(ChipHarness.Programs), MemberType = typeof(ChipHarness))]
    public void Real_runs_fill_and_pass(string program)
    {
        var witness = Program(program);
        var table = Table(new StoreChip(), witness, out var rows);
        TraceChecker.CheckConstraints(table);
        AssertLookupsValid(table);
    }

    [Fact]
    public void The_offsets_guest_covers_every_opcode_and_offset()
    {
        var witness = Program(MemOffsetsProgram.Name);
        Table(new StoreChip(), witness, out var rows);
        var seen = rows.Select(s => witness.Steps[s].Record).Select(r => (r.Instruction.Op, r.MemAddress & 3)).ToHashSet();
        foreach (var o in new uint[] { 0, 1, 2, 3 }) Assert.Contains((Opcode.Sb, o), seen);
        foreach (var o in new uint[] { 0, 2 }) Assert.Contains((Opcode.Sh, o), seen);
        Assert.Contains((Opcode.Sw, 0u), seen);
    }

    static (TableTrace Honest, int Row) Pick(Opcode op)
    {
        var witness = Program(MemOffsetsProgram.Name);
        var honest = Table(new StoreChip(), witness, out var rows);
        return (honest, Enumerable.Range(0, rows.Length).First(i => witness.Steps[rows[i]].Record.Instruction.Op == op));
    }

    [Theory]
    [InlineData(Opcode.Sb)]
    [InlineData(Opcode.Sh)]
    public void A_store_cannot_change_a_byte_outside_its_width(Opcode op)
    {
        var (honest, row) = Pick(op);
        int at = Enumerable.Range(0, 4).First(k => honest.Main[row, C.Offset + k] == BabyBear.One);
        int outside = (at + (op == Opcode.Sb ? 1 : 2)) % 4;
        // Flip one bit of a byte the store does not cover in the new word.
        var forged = Copy(honest);
        int limb = outside < 2 ? C.NewLo : C.NewHi;
        forged.Main[row, limb] = forged.Main[row, limb] + F(1u << (8 * (outside % 2)));
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
        // Changing the old byte to match (the word read would differ): the memory bus then disagrees.
        forged.Main[row, C.Old + outside] = forged.Main[row, C.Old + outside] + BabyBear.One;
        Assert.StartsWith("bus memory", Rejects(honest, forged, row) ?? "accepted");
    }

    [Fact]
    public void A_misaligned_SW_is_rejected()
    {
        var (honest, row) = Pick(Opcode.Sw);
        var forged = Copy(honest);
        forged.Main[row, C.ALo] = forged.Main[row, C.ALo] + F(2);
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
        forged.Main[row, C.Offset + 0] = BabyBear.Zero;
        forged.Main[row, C.Offset + 2] = BabyBear.One;
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
    }

    [Fact]
    public void The_stored_byte_must_be_rs2s()
    {
        var (honest, row) = Pick(Opcode.Sb);
        int at = Enumerable.Range(0, 4).First(k => honest.Main[row, C.Offset + k] == BabyBear.One);
        var forged = Copy(honest);
        int limb = at < 2 ? C.NewLo : C.NewHi;
        forged.Main[row, limb] = forged.Main[row, limb] + F(1u << (8 * (at % 2)));
        Verdict.Rejected(AirErrors.ConstraintFailed, () => TraceChecker.CheckConstraints(forged));
    }
}
