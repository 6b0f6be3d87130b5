using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;

namespace ZkVm.Stark.Proving;

internal enum NodeKind : byte
{
    Constant, Main, MainNext, Preprocessed, PreprocessedNext, Public, IsFirstRow, IsLastRow, IsTransition,
    Aux, AuxNext, Alpha, Beta, CumulativeSum, Add, Sub, Mul, Neg,
}

/// <summary>
/// A node of a table's constraints as an AIR states them once (<see cref="ExpressionRecorder"/>): the DAG that
/// <see cref="ConstraintProgram"/> turns into straight-line code over columns. Constants fold as the AIR builds.
/// </summary>
internal sealed class RecordedExpression : IAirExpression<RecordedExpression>
{
    private RecordedExpression(NodeKind kind, RecordedExpression? a, RecordedExpression? b, int index, BabyBear value)
    {
        (Kind, A, B, Index, Value) = (kind, a, b, index, value);
        IsExtension = kind is NodeKind.Aux or NodeKind.AuxNext or NodeKind.Alpha or NodeKind.Beta or NodeKind.CumulativeSum
            || (a?.IsExtension ?? false) || (b?.IsExtension ?? false);
    }

    public NodeKind Kind { get; }
    public RecordedExpression? A { get; }
    public RecordedExpression? B { get; }
    /// <summary>The column or public value a leaf reads.</summary>
    public int Index { get; }
    /// <summary>A constant's value.</summary>
    public BabyBear Value { get; }
    /// <summary>Whether the node's value lies in the extension field (it reads a LogUp column or challenge).</summary>
    public bool IsExtension { get; }

    public static RecordedExpression Leaf(NodeKind kind, int index = 0) => new(kind, null, null, index, default);

    public static RecordedExpression Constant(BabyBear value) => new(NodeKind.Constant, null, null, 0, value);

    private bool Is(BabyBear constant) => Kind == NodeKind.Constant && Value == constant;

    public static RecordedExpression operator +(RecordedExpression a, RecordedExpression b) =>
        a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant ? Constant(a.Value + b.Value)
        : a.Is(BabyBear.Zero) ? b : b.Is(BabyBear.Zero) ? a : new(NodeKind.Add, a, b, 0, default);

    public static RecordedExpression operator -(RecordedExpression a, RecordedExpression b) =>
        a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant ? Constant(a.Value - b.Value)
        : b.Is(BabyBear.Zero) ? a : a.Is(BabyBear.Zero) ? -b : new(NodeKind.Sub, a, b, 0, default);

    public static RecordedExpression operator *(RecordedExpression a, RecordedExpression b) =>
        a.Kind == NodeKind.Constant && b.Kind == NodeKind.Constant ? Constant(a.Value * b.Value)
        : a.Is(BabyBear.Zero) || b.Is(BabyBear.Zero) ? Constant(BabyBear.Zero)
        : a.Is(BabyBear.One) ? b : b.Is(BabyBear.One) ? a : new(NodeKind.Mul, a, b, 0, default);

    public static RecordedExpression operator -(RecordedExpression a) =>
        a.Kind == NodeKind.Constant ? Constant(-a.Value) : new(NodeKind.Neg, a, null, 0, default);
}

/// <summary>
/// Records a table's constraints (its own, then LogUp's for a layout) and its interactions, in the order every other
/// builder sees them, as <see cref="RecordedExpression"/> DAGs.
/// </summary>
internal sealed class ExpressionRecorder : ILogUpBuilder<RecordedExpression>
{
    private readonly List<BusEntry<RecordedExpression>> interactions = [];

    private ExpressionRecorder(uint shard) => Shard = shard;

    public List<RecordedExpression> Constraints { get; } = [];
    public IReadOnlyList<BusEntry<RecordedExpression>> Interactions => interactions;
    /// <summary>Whether each interaction was a send (its multiplicity as given) or a receive (negated).</summary>
    public List<bool> IsSend { get; } = [];

    /// <summary>The table's constraints, LogUp's after them when <paramref name="layout"/> is given, and its interactions.</summary>
    public static ExpressionRecorder Record(IAir air, LogUpLayout? layout, uint shard)
    {
        var recorder = new ExpressionRecorder(shard);
        air.Eval<ExpressionRecorder, RecordedExpression>(recorder);
        if (layout is not null) LogUpConstraints.Eval<ExpressionRecorder, RecordedExpression>(recorder, layout, recorder.interactions);
        return recorder;
    }

    public RecordedExpression Main(int column) => RecordedExpression.Leaf(NodeKind.Main, column);
    public RecordedExpression MainNext(int column) => RecordedExpression.Leaf(NodeKind.MainNext, column);
    public RecordedExpression Preprocessed(int column) => RecordedExpression.Leaf(NodeKind.Preprocessed, column);
    public RecordedExpression PreprocessedNext(int column) => RecordedExpression.Leaf(NodeKind.PreprocessedNext, column);
    public RecordedExpression Public(int index) => RecordedExpression.Leaf(NodeKind.Public, index);
    public RecordedExpression IsFirstRow => RecordedExpression.Leaf(NodeKind.IsFirstRow);
    public RecordedExpression IsLastRow => RecordedExpression.Leaf(NodeKind.IsLastRow);
    public RecordedExpression IsTransition => RecordedExpression.Leaf(NodeKind.IsTransition);
    public RecordedExpression Aux(int column) => RecordedExpression.Leaf(NodeKind.Aux, column);
    public RecordedExpression AuxNext(int column) => RecordedExpression.Leaf(NodeKind.AuxNext, column);
    public RecordedExpression Alpha => RecordedExpression.Leaf(NodeKind.Alpha);
    public RecordedExpression Beta => RecordedExpression.Leaf(NodeKind.Beta);
    public uint Shard { get; }
    public RecordedExpression CumulativeSum => RecordedExpression.Leaf(NodeKind.CumulativeSum);

    public void AssertZero(RecordedExpression constraint, string name = "") => Constraints.Add(constraint);

    public void Send(Bus bus, RecordedExpression multiplicity, params ReadOnlySpan<RecordedExpression> values)
    {
        interactions.Add(new(bus, multiplicity, values.ToArray()));
        IsSend.Add(true);
    }

    public void Receive(Bus bus, RecordedExpression multiplicity, params ReadOnlySpan<RecordedExpression> values)
    {
        interactions.Add(new(bus, -multiplicity, values.ToArray()));
        IsSend.Add(false);
    }
}
