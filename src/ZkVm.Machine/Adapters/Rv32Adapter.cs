
namespace ZkVm.Machine.Adapters;

/// <summary>The register operands a chip's instructions have; an operand none of them has moves no token and its access columns are 0.</summary>
[Flags]
public enum Rv32Operands
{
    None = 0,
    Rs1 = 1,
    Rs2 = 2,
    Rd = 4,
    All = Rs1 | Rs2 | Rd,
}

/// <summary>
/// What every RV32 instruction row states the same way (docs/MACHINE.md §3): the instruction at pc is
/// in the ROM, control passes from (pc, ts) to (next pc, ts + 4), rs1 and rs2 are read and rd written
/// through the memory bus at their slots, and the columns of an access the row does not make are 0.
/// A chip adds only its own operation: which opcode, the operands' and result's values, the next pc.
/// </summary>
/// <remarks>
/// Soundness: the ROM fixes rd, rs1, rs2 and WritesRd (0 for rd = x0 or a format without rd) on a
/// real row; a padding row (real = 0) may not write, so it moves no token on any bus. Each access's
/// timestamp gap is range-checked (<see cref="Gadgets.Access"/>), so no access reaches back past the
/// cell's last one.
/// </remarks>
[ZkColumns]
public partial struct Rv32Adapter
{
    [Col] public BabyBear Pc, Ts, WritesRd;
    [Col] public RegisterRead Rs1;
    [Col] public RegisterRead Rs2;
    [Col] public RegisterWrite Rd;

    /// <summary>
    /// The adapter's constraints for a chip whose row executes an instruction where <paramref name="real"/>
    /// is 1 (padding rows: 0). The chip gives the ROM's opcode and immediate limbs for the row, the pc it
    /// passes control to, which <paramref name="operands"/> its instructions have, whether each operand is
    /// read on this row and the values read, and the value written to rd (0 for an operand it lacks).
    /// </summary>
    [ZkGadget]
    public static void Eval<TB, TE>(TB b, View<TB, TE> adapter, Rv32Operands operands, TE real, TE opcode, TE immLo, TE immHi, TE nextPc,
        TE readsRs1, TE rs1Lo, TE rs1Hi, TE readsRs2, TE rs2Lo, TE rs2Hi, TE rdLo, TE rdHi)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0);
        b.AssertBool(real);
        // Only a real row may write; the ROM fixes WritesRd (0 for rd = x0) on real rows.
        b.AssertZero(adapter.WritesRd * (one - real));
        Gadgets.Fetch(b, real, adapter.Pc, opcode, adapter.Rd.Index, adapter.Rs1.Index, adapter.Rs2.Index, immLo, immHi, adapter.WritesRd);
        Gadgets.Step(b, real, real, adapter.Pc, adapter.Ts, nextPc);
        // Both reads' gap high bytes go in one byte-pair lookup on every real row (a read not made has 0 there).
        bool paired = operands.HasFlag(Rv32Operands.Rs1 | Rv32Operands.Rs2);
        if (operands.HasFlag(Rv32Operands.Rs1))
            RegisterRead.Eval(b, adapter.Rs1, readsRs1, rs1Lo, rs1Hi, adapter.Ts + TE.From(MachineLayout.SlotRs1), paired);
        else
            ReadAccess.ZeroUnless(b, adapter.Rs1.Access, zero);
        if (operands.HasFlag(Rv32Operands.Rs2))
            RegisterRead.Eval(b, adapter.Rs2, readsRs2, rs2Lo, rs2Hi, adapter.Ts + TE.From(MachineLayout.SlotRs2), paired);
        else
            ReadAccess.ZeroUnless(b, adapter.Rs2.Access, zero);
        if (paired)
            b.Send(MachineBuses.Bytes, real, TE.From(ByteOp.BytePair), adapter.Rs1.Access.DiffHi, adapter.Rs2.Access.DiffHi, zero);
        if (operands.HasFlag(Rv32Operands.Rd))
            RegisterWrite.Eval(b, adapter.Rd, adapter.WritesRd, rdLo, rdHi, adapter.Ts + TE.From(MachineLayout.SlotRd));
        else
            WriteAccess.ZeroUnless(b, adapter.Rd.Access, zero);
    }

    /// <summary>
    /// Σ selectorᵢ·opcodeᵢ: the opcode a row's one-hot selectors stand for, 0 on a padding row. The selectors are
    /// the chip's first columns, in the order of the <paramref name="opcodes"/> by which <see cref="FillTrace"/> sets them.
    /// </summary>
    [ZkLinear]
    public static TE Encode<TE>(ReadOnlySpan<TE> selectors, Opcode[] opcodes) where TE : IAirExpression<TE>
    {
        if (selectors.Length != opcodes.Length) throw new ArgumentException($"{selectors.Length} selectors for {opcodes.Length} opcodes", nameof(selectors));
        TE sum = selectors[0] * TE.From((uint)opcodes[0]);
        for (int i = 1; i < selectors.Length; i++) sum += selectors[i] * TE.From((uint)opcodes[i]);
        return sum;
    }

    /// <summary>Writes the chip's own columns of one step's row; the selector and the adapter's columns are already set.</summary>
    public delegate void CoreFiller(Span<BabyBear> row, in MachineStep step);

    /// <summary>
    /// The trace of a chip on this adapter for the steps <paramref name="rows"/> (indices into
    /// <paramref name="steps"/>, in cycle order): per row, the selector of the step's opcode (the chip's
    /// first columns, one per entry of <paramref name="opcodes"/>), the adapter's columns right after them,
    /// then whatever <paramref name="core"/> writes; then zero padding rows (<see cref="IRv32Chip{TSelf}"/>).
    /// </summary>
    public static RowMajorMatrix FillTrace(int width, Opcode[] opcodes, MachineStep[] steps, int[] rows, CoreFiller core)
    {
        int offset = opcodes.Length;
        var trace = Allocate(width, rows.Length);
        ForEachRow(rows.Length, i =>
        {
            ref readonly var step = ref steps[rows[i]];
            var op = step.Record.Instruction.Op;
            int selector = Array.IndexOf(opcodes, op);
            if (selector < 0) throw new ArgumentException($"{op} is not one of this chip's instructions ({string.Join(", ", opcodes)})", nameof(rows));
            var row = trace.Row(i);
            row[selector] = BabyBear.One;
            Fill(new Row<BabyBear>(row.Slice(offset, Width)), step);
            core(row, step);
        });
        return trace;
    }

    /// <summary>The adapter's columns for one step: pc, ts, the ROM's register fields and each access the step made.</summary>
    static void Fill(Row<BabyBear> row, in MachineStep step)
    {
        var ins = step.Record.Instruction;
        row.Pc = F(step.Record.Pc);
        row.Ts = F(step.Ts);
        row.WritesRd = F(ins.WritesRd ? 1u : 0);
        RegisterRead.Fill(row.Rs1, ins.Rs1, step.Rs1);
        RegisterRead.Fill(row.Rs2, ins.Rs2, step.Rs2);
        RegisterWrite.Fill(row.Rd, ins.Rd, step.Rd);
    }
}
