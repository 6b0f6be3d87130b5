using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The prover's builder: evaluates a table's folded constraints at each point of the quotient domain
/// g·H₂ₙ (the first 2n rows of the bit-reversed LDEs). The next row of x is x·ωₙ, which in bit-reversed
/// order is row bitrev(bitrev(r) + 2).
/// </summary>
internal sealed class QuotientBuilder : FoldingBuilder
{
    private readonly TableData table;
    private readonly LogUpChallenges challenges;
    private readonly BabyBearExt4 cumulativeSum;
    private readonly QuotientDomain domain;
    private int row, next;

    public QuotientBuilder(TableData table, QuotientDomain domain, BabyBearExt4 combination, LogUpChallenges challenges, BabyBearExt4 cumulativeSum)
        : base(combination)
    {
        this.table = table;
        this.domain = domain;
        this.challenges = challenges;
        this.cumulativeSum = cumulativeSum;
    }

    /// <summary>The folded constraints at row r of the quotient domain.</summary>
    public BabyBearExt4 Evaluate(int r)
    {
        row = r;
        next = domain.NextRow[r];
        Accumulator = BabyBearExt4.Zero;
        Evaluate(table.Air, table.Layout);
        return Accumulator;
    }

    public override ExtensionValue Main(int column) => table.MainLde![row, column];
    public override ExtensionValue MainNext(int column) => table.MainLde![next, column];
    public override ExtensionValue Preprocessed(int column) => table.PreprocessedLde![row, column];
    public override ExtensionValue PreprocessedNext(int column) => table.PreprocessedLde![next, column];
    public override ExtensionValue Public(int index) => table.PublicValues[index];
    public override ExtensionValue IsFirstRow => domain.First[row];
    public override ExtensionValue IsLastRow => domain.Last[row];
    public override ExtensionValue IsTransition => domain.Transition[row];
    public override ExtensionValue Aux(int column) => AuxAt(row, column);
    public override ExtensionValue AuxNext(int column) => AuxAt(next, column);
    public override ExtensionValue Alpha => challenges.Alpha;
    public override ExtensionValue Beta => challenges.Beta;
    public override ExtensionValue CumulativeSum => cumulativeSum;

    private BabyBearExt4 AuxAt(int r, int column) =>
        Extension.Combine(table.AuxLde!.Row(r).Slice(4 * column, 4));
}

/// <summary>The quotient domain g·H₂ₙ of a table of height n, bit-reversed, with its selectors and 1/Z_H.</summary>
internal sealed class QuotientDomain
{
    public QuotientDomain(int logN)
    {
        int size = 2 << logN, logSize = logN + 1;
        BabyBear[] points = Domain.BitReversedPoints(logSize);
        NextRow = new int[size];
        for (int r = 0; r < size; r++)
            NextRow[r] = BitReversal.Reverse((BitReversal.Reverse(r, logSize) + 2) & (size - 1), logSize);

        BabyBear last = BabyBear.TwoAdicGenerator(logN).Inverse();
        BabyBear nInverse = BabyBear.FromCanonical(1u << logN).Inverse();
        var toFirst = new BabyBear[size];
        var toLast = new BabyBear[size];
        var vanishing = new BabyBear[size];
        for (int r = 0; r < size; r++)
        {
            toFirst[r] = points[r] - BabyBear.One;
            toLast[r] = points[r] - last;
            vanishing[r] = Domain.Vanishing(points[r], logN);
        }
        var invFirst = new BabyBear[size];
        var invLast = new BabyBear[size];
        InverseVanishing = new BabyBear[size];
        FieldMath.BatchInverse<BabyBear>(toFirst, invFirst);
        FieldMath.BatchInverse<BabyBear>(toLast, invLast);
        FieldMath.BatchInverse<BabyBear>(vanishing, InverseVanishing);
        First = new BabyBear[size];
        Last = new BabyBear[size];
        Transition = toLast;
        for (int r = 0; r < size; r++)
        {
            First[r] = vanishing[r] * invFirst[r] * nInverse;
            Last[r] = vanishing[r] * invLast[r] * (nInverse * last);
        }
    }

    public int[] NextRow { get; }
    public BabyBear[] First { get; }
    public BabyBear[] Last { get; }
    public BabyBear[] Transition { get; }
    public BabyBear[] InverseVanishing { get; }
}
