using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Chips;

public class UpperChipTests
{
    static (TableTrace Trace, int Row, uint Pc, uint Imm) AuipcRow()
    {
        var (_, witness) = MachineRuns.Directed("upper_jumps.S");
        int[] rows = [.. Enumerable.Range(0, witness.Steps.Length).Where(i => witness.Steps[i].Record.Instruction.Spec.Family == InstructionFamily.UpperImmediate)];
        IInstructionChip chip = new UpperChip();
        var trace = new TableTrace(chip, chip.Fill(witness.Steps, rows));
        int row = Array.FindIndex(rows, i => witness.Steps[i].Record.Instruction.Op == Opcode.Auipc);
        var r = witness.Steps[rows[row]].Record;
        return (trace, row, r.Pc, (uint)r.Instruction.Imm);
    }

    [Fact]
    public void Auipc_rows_of_a_real_run_satisfy_the_constraints()
    {
        var (trace, _, _, _) = AuipcRow();
        TraceChecker.CheckConstraints(trace);
    }

    [Fact]
    public void Auipc_cannot_add_the_limbs_of_pc_plus_p()
    {
        // pc + p also has two 16-bit limbs; every equation holds for them, only hi ≤ MaxPcHi refuses them.
        var (trace, row, pc, imm) = AuipcRow();
        var m = new UpperChip.MainRow<BabyBear>(trace.Main.Row(row));
        uint aliased = pc + BabyBear.P, value = aliased + imm;
        uint lo = (aliased & 0xFFFF) + (imm & 0xFFFF), hi = (aliased >> 16) + (imm >> 16) + (lo >> 16);
        (m.PcLo, m.PcHi) = ChipTrace.Limbs(aliased);
        (m.ValueLo, m.ValueHi) = ChipTrace.Limbs(value);
        m.Carry0 = ChipTrace.F(lo >> 16);
        m.Carry1 = ChipTrace.F(hi >> 16);
        TraceChecker.CheckConstraints(trace);
        var e = Assert.Throws<ZkVmException>(() => ByteLookups.Count([trace]));
        Assert.Equal(MachineErrors.WitnessMismatch, e.Code);
        Assert.Contains($"(0, {BabyBear.P - ((aliased >> 16) - MachineLayout.MaxPcHi)}, 0, 0)", e.Message);
    }
}
