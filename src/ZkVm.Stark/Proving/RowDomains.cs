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
        int size = 2 << logN, n = 1 << logN, logSize = logN + 1;
        BabyBear[] points = Domain.BitReversedPoints(logSize);
        BabyBear last = BabyBear.TwoAdicGenerator(logN).Inverse();
        BabyBear nInverse = BabyBear.FromCanonical(1u << logN).Inverse();
        // xⁿ = gⁿ·ω₂ₙ^(n·i) = ±gⁿ at natural index i: + for even i, the rows of the first half in bit-reversed order.
        BabyBear shiftToN = Domain.Vanishing(Domain.Shift, logN) + BabyBear.One;
        BabyBear[] vanishing = [shiftToN - BabyBear.One, -shiftToN - BabyBear.One];
        NextRow = new int[size];
        var toFirst = new BabyBear[size];
        var toLast = new BabyBear[size];
        ParallelRanges.For(size, 4, (from, to) =>
        {
            for (int r = from; r < to; r++)
            {
                NextRow[r] = BitReversal.Reverse((BitReversal.Reverse(r, logSize) + 2) & (size - 1), logSize);
                toFirst[r] = points[r] - BabyBear.One;
                toLast[r] = points[r] - last;
            }
        });
        var invFirst = new BabyBear[size];
        var invLast = new BabyBear[size];
        FieldMath.BatchInverse<BabyBear>(toFirst, invFirst);
        FieldMath.BatchInverse<BabyBear>(toLast, invLast);
        InverseVanishing = new BabyBear[size];
        InverseVanishing.AsSpan(0, n).Fill(vanishing[0].Inverse());
        InverseVanishing.AsSpan(n).Fill(vanishing[1].Inverse());
        First = new BabyBear[size];
        Last = new BabyBear[size];
        Transition = toLast;
        BabyBear lastFactor = nInverse * last;
        ParallelRanges.For(size, 4, (from, to) =>
        {
            for (int r = from; r < to; r++)
            {
                BabyBear z = vanishing[r < n ? 0 : 1];
                First[r] = z * invFirst[r] * nInverse;
                Last[r] = z * invLast[r] * lastFactor;
            }
        });
    }

    public int[] NextRow { get; }
    public BabyBear[] First { get; }
    public BabyBear[] Last { get; }
    public BabyBear[] Transition { get; }
    public BabyBear[] InverseVanishing { get; }
}
