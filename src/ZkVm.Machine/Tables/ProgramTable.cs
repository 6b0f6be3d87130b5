using System.Numerics;

namespace ZkVm.Machine.Tables;

/// <summary>
/// The program ROM: one fixed row per instruction word (decoded by the verifier from the ELF, so the
/// verification key binds it), sent on the program bus as often as the run executed it.
/// </summary>
[ZkAir("program")]
public partial struct ProgramTable
{
    [Col(Fixed = true)] public BabyBear Pc;
    [Col(Fixed = true)] public BabyBear Opcode;
    [Col(Fixed = true)] public BabyBear Rd;
    [Col(Fixed = true)] public BabyBear Rs1;
    [Col(Fixed = true)] public BabyBear Rs2;
    [Col(Fixed = true)] public BabyBear ImmLo;
    [Col(Fixed = true)] public BabyBear ImmHi;
    [Col(Fixed = true)] public BabyBear WritesRd;
    [Col] public BabyBear Multiplicity;

    public ProgramTable(MachineProgram program) => Source = program;

    public MachineProgram Source { get; }

    /// <summary>The ROM's size, padded; rows past the ROM are all zero (opcode 0, which no chip fetches).</summary>
    public readonly int? FixedLogHeight => BitOperations.Log2((uint)Chips.ChipTrace.Height(Source.Rom.Length));

    public readonly RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(PreprocessedWidth, height);
        var rom = Source.Rom;
        for (int i = 0; i < rom.Length; i++)
        {
            var ins = rom[i];
            var row = new PreprocessedRow<BabyBear>(m.Row(i));
            row.Pc = BabyBear.FromCanonical(Source.CodeBase + 4 * (uint)i);
            row.Opcode = BabyBear.FromCanonical((uint)ins.Op);
            row.Rd = BabyBear.FromCanonical(ins.Rd);
            row.Rs1 = BabyBear.FromCanonical(ins.Rs1);
            row.Rs2 = BabyBear.FromCanonical(ins.Rs2);
            row.ImmLo = BabyBear.FromCanonical((uint)ins.Imm & 0xFFFF);
            row.ImmHi = BabyBear.FromCanonical((uint)ins.Imm >> 16);
            row.WritesRd = BabyBear.FromCanonical(ins.WritesRd ? 1u : 0);
        }
        return m;
    }

    /// <summary>The main column: how many times the run executed each ROM word.</summary>
    public readonly RowMajorMatrix Fill(uint[] executions)
    {
        var m = new RowMajorMatrix(MainWidth, 1 << FixedLogHeight!.Value);
        for (int i = 0; i < executions.Length; i++) m[i, 0] = BabyBear.FromCanonical(executions[i]);
        return m;
    }

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.Send(MachineBuses.Program, local.Multiplicity, local.Pc, local.Opcode, local.Rd, local.Rs1, local.Rs2, local.ImmLo, local.ImmHi, local.WritesRd);
}
