using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Proving;

/// <summary>The verifier's builder: a table's folded constraints at its out-of-domain point from the claimed openings.</summary>
internal sealed class OodBuilder : FoldingBuilder
{
    private readonly TableOpenings o;
    private readonly NextColumns next;
    private readonly BabyBear[] publicValues;
    private readonly (BabyBearExt4 First, BabyBearExt4 Last, BabyBearExt4 Transition) selectors;
    private readonly LogUpChallenges challenges;
    private readonly BabyBearExt4 cumulativeSum;

    public OodBuilder(TableOpenings openings, NextColumns next, BabyBear[] publicValues, BabyBearExt4 zeta, int logHeight,
        BabyBearExt4 combination, LogUpChallenges challenges, BabyBearExt4 cumulativeSum) : base(combination)
    {
        o = openings;
        this.next = next;
        this.publicValues = publicValues;
        selectors = Domain.Selectors(zeta, logHeight);
        this.challenges = challenges;
        this.cumulativeSum = cumulativeSum;
    }

    public BabyBearExt4 Fold(IAir air, LogUpLayout layout)
    {
        Accumulator = BabyBearExt4.Zero;
        Count = 0;
        Evaluate(air, layout);
        return Accumulator;
    }

    public override ExtensionValue Main(int column) => o.Main[column];
    public override ExtensionValue MainNext(int column) => o.MainNext[NextColumns.Position(next.Main, column, "main")];
    public override ExtensionValue Preprocessed(int column) => o.Preprocessed[column];
    public override ExtensionValue PreprocessedNext(int column) => o.PreprocessedNext[NextColumns.Position(next.Preprocessed, column, "fixed")];
    public override ExtensionValue Public(int index) => publicValues[index];
    public override ExtensionValue IsFirstRow => selectors.First;
    public override ExtensionValue IsLastRow => selectors.Last;
    public override ExtensionValue IsTransition => selectors.Transition;
    public override ExtensionValue Aux(int column) => Extension.Combine(o.Aux.AsSpan(4 * column, 4));
    public override ExtensionValue AuxNext(int column) => Extension.Combine(o.AuxNext.AsSpan(NextColumns.Position(next.Aux, 4 * column, "LogUp"), 4));
    public override ExtensionValue Alpha => challenges.Alpha;
    public override ExtensionValue Beta => challenges.Beta;
    public override uint Shard => challenges.Shard;
    public override ExtensionValue CumulativeSum => cumulativeSum;
}
