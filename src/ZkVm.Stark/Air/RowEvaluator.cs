using ZkVm.Field;
using ZkVm.Stark.LogUp;

namespace ZkVm.Stark.Air;

/// <summary>A tuple sent or received on a bus, with its signed multiplicity (+ send, − receive).</summary>
public readonly record struct BusEntry<TE>(Bus Bus, TE Multiplicity, TE[] Values);

/// <summary>
/// Evaluates a table's constraints and interactions on one concrete row of its trace (the next row
/// of the last is the first, as on the cyclic domain; selectors keep constraints from using it).
/// Used to check a witness and to build the LogUp columns from it; given the LogUp columns too, it
/// also evaluates the LogUp constraints after the table's own.
/// </summary>
public sealed class RowEvaluator : ValueBuilder
{
    private readonly TableTrace table;
    private readonly (LogUpLayout Layout, LogUpTrace Trace, LogUpChallenges Challenges, BabyBearExt4 ClaimedSum)? logUp;
    private int row, next;

    public RowEvaluator(TableTrace table) => this.table = table;

    public RowEvaluator(TableTrace table, LogUpLayout layout, LogUpTrace trace, LogUpChallenges challenges, BabyBearExt4 claimedSum)
    {
        this.table = table;
        logUp = (layout, trace, challenges, claimedSum);
    }

    public List<(string Name, ExtensionValue Value)> Constraints { get; } = [];

    /// <summary>Evaluates every constraint and interaction of the table at <paramref name="rowIndex"/>.</summary>
    public void EvaluateRow(int rowIndex)
    {
        row = rowIndex;
        next = (rowIndex + 1) % table.Height;
        Constraints.Clear();
        Evaluate(table.Air, logUp?.Layout);
    }

    public override ExtensionValue Main(int column) => table.Main[row, column];
    public override ExtensionValue MainNext(int column) => table.Main[next, column];
    public override ExtensionValue Preprocessed(int column) => table.Preprocessed![row, column];
    public override ExtensionValue PreprocessedNext(int column) => table.Preprocessed![next, column];
    public override ExtensionValue Public(int index) => table.PublicValues[index];
    public override ExtensionValue IsFirstRow => row == 0 ? BabyBear.One : BabyBear.Zero;
    public override ExtensionValue IsLastRow => row == table.Height - 1 ? BabyBear.One : BabyBear.Zero;
    public override ExtensionValue IsTransition => row != table.Height - 1 ? BabyBear.One : BabyBear.Zero;

    public override ExtensionValue Aux(int column) => logUp!.Value.Trace[row, column];
    public override ExtensionValue AuxNext(int column) => logUp!.Value.Trace[next, column];
    public override ExtensionValue Alpha => logUp!.Value.Challenges.Alpha;
    public override ExtensionValue Beta => logUp!.Value.Challenges.Beta;
    public override uint Shard => logUp!.Value.Challenges.Shard;
    public override ExtensionValue CumulativeSum => logUp!.Value.ClaimedSum;

    public override void AssertZero(ExtensionValue constraint, string name = "") => Constraints.Add((name, constraint));
}
