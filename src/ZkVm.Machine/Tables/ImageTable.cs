using System.Numerics;

namespace ZkVm.Machine.Tables;

/// <summary>
/// The initial image's nonzero cells as fixed rows, each sent exactly once on the image bus (the
/// multiplicity is the fixed Present column), so the boundary must open every one of them with its value.
/// </summary>
[ZkAir("image")]
public partial struct ImageTable
{
    [Col(Fixed = true)] public BabyBear Space;
    [Col(Fixed = true)] public BabyBear Index;
    [Col(Fixed = true)] public BabyBear Lo;
    [Col(Fixed = true)] public BabyBear Hi;
    [Col(Fixed = true)] public BabyBear Present;
    [Col] public BabyBear Multiplicity;

    public ImageTable(MachineProgram program) => Source = program;

    public MachineProgram Source { get; }

    public readonly int? FixedLogHeight => BitOperations.Log2((uint)Chips.ChipTrace.Height(Source.Image.Count));

    public readonly RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(PreprocessedWidth, height);
        for (int i = 0; i < Source.Image.Count; i++)
        {
            var word = Source.Image[i];
            var row = new PreprocessedRow<BabyBear>(m.Row(i));
            row.Space = BabyBear.FromCanonical(word.Space);
            row.Index = BabyBear.FromCanonical(word.Index);
            row.Lo = BabyBear.FromCanonical(word.Value & 0xFFFF);
            row.Hi = BabyBear.FromCanonical(word.Value >> 16);
            row.Present = BabyBear.One;
        }
        return m;
    }

    /// <summary>The main column just mirrors Present: the engine has no tables without main columns.</summary>
    public readonly RowMajorMatrix Fill()
    {
        var m = new RowMajorMatrix(MainWidth, 1 << FixedLogHeight!.Value);
        for (int i = 0; i < Source.Image.Count; i++) m[i, 0] = BabyBear.One;
        return m;
    }

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        b.AssertZero(local.Multiplicity - local.Present);
        b.Send(MachineBuses.Image, local.Present, local.Space, local.Index, local.Lo, local.Hi);
    }
}
