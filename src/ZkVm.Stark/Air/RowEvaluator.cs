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
public sealed class RowEvaluator : ILogUpBuilder<ExtensionValue>
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
    public List<BusEntry<ExtensionValue>> Entries { get; } = [];

    /// <summary>Evaluates every constraint and interaction of the table at <paramref name="rowIndex"/>.</summary>
    public void EvaluateRow(int rowIndex)
    {
        row = rowIndex;
        next = (rowIndex + 1) % table.Height;
        Constraints.Clear();
        Entries.Clear();
        table.Air.Eval<RowEvaluator, ExtensionValue>(this);
        if (logUp is { } l) LogUpConstraints.Eval<RowEvaluator, ExtensionValue>(this, l.Layout, Entries);
    }

    public ExtensionValue Main(int column) => table.Main[row, column];
    public ExtensionValue MainNext(int column) => table.Main[next, column];
    public ExtensionValue Preprocessed(int column) => table.Preprocessed![row, column];
    public ExtensionValue PreprocessedNext(int column) => table.Preprocessed![next, column];
    public ExtensionValue Public(int index) => table.PublicValues[index];
    public ExtensionValue IsFirstRow => row == 0 ? BabyBear.One : BabyBear.Zero;
    public ExtensionValue IsLastRow => row == table.Height - 1 ? BabyBear.One : BabyBear.Zero;
    public ExtensionValue IsTransition => row != table.Height - 1 ? BabyBear.One : BabyBear.Zero;

    public ExtensionValue Aux(int column) => logUp!.Value.Trace[row, column];
    public ExtensionValue AuxNext(int column) => logUp!.Value.Trace[next, column];
    public ExtensionValue Alpha => logUp!.Value.Challenges.Alpha;
    public ExtensionValue Beta => logUp!.Value.Challenges.Beta;
    public ExtensionValue CumulativeSum => logUp!.Value.ClaimedSum;

    public void AssertZero(ExtensionValue constraint, string name = "") => Constraints.Add((name, constraint));

    public void Send(Bus bus, ExtensionValue multiplicity, params ReadOnlySpan<ExtensionValue> values) =>
        Entries.Add(new(bus, multiplicity, values.ToArray()));

    public void Receive(Bus bus, ExtensionValue multiplicity, params ReadOnlySpan<ExtensionValue> values) =>
        Entries.Add(new(bus, -multiplicity, values.ToArray()));
}
