using ZkVm.Field;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Proving;

/// <summary>The rows a constraint program runs over: where each row's next row is, and the selectors on each row.</summary>
internal interface IRowDomain
{
    int[] NextRow { get; }
    BabyBear[] First { get; }
    BabyBear[] Last { get; }
    BabyBear[] Transition { get; }
}

/// <summary>The trace's own rows: the next row of the last is the first; selectors are 0 or 1.</summary>
internal sealed class TraceDomain : IRowDomain
{
    public TraceDomain(int height)
    {
        NextRow = [.. Enumerable.Range(0, height).Select(r => (r + 1) % height)];
        First = new BabyBear[height];
        Last = new BabyBear[height];
        Transition = new BabyBear[height];
        First[0] = BabyBear.One;
        Last[height - 1] = BabyBear.One;
        Transition.AsSpan(0, height - 1).Fill(BabyBear.One);
    }

    public int[] NextRow { get; }
    public BabyBear[] First { get; }
    public BabyBear[] Last { get; }
    public BabyBear[] Transition { get; }
}

/// <summary>The quotient domain g·H₂ₙ of a table of height n, bit-reversed, with its selectors and 1/Z_H.</summary>
internal sealed class QuotientDomain : IRowDomain
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
