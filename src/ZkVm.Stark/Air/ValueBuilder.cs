using ZkVm.Field;
using ZkVm.Stark.LogUp;

namespace ZkVm.Stark.Air;

/// <summary>
/// Common ground of the builders that compute with concrete extension-field values (debug rows,
/// prover quotient rows, verifier openings): they differ only in where column values, selectors and
/// LogUp data come from and in what they do with each constraint.
/// </summary>
public abstract class ValueBuilder : ILogUpBuilder<ExtensionValue>
{
    public List<BusEntry<ExtensionValue>> Entries { get; } = [];

    /// <summary>Evaluates the table's constraints, then (given a layout) its LogUp constraints.</summary>
    protected void Evaluate(IAir air, LogUpLayout? logUp)
    {
        Entries.Clear();
        air.Eval<ValueBuilder, ExtensionValue>(this);
        if (logUp is not null) LogUpConstraints.Eval<ValueBuilder, ExtensionValue>(this, logUp, Entries);
    }

    public abstract ExtensionValue Main(int column);
    public abstract ExtensionValue MainNext(int column);
    public abstract ExtensionValue Preprocessed(int column);
    public abstract ExtensionValue PreprocessedNext(int column);
    public abstract ExtensionValue Public(int index);
    public abstract ExtensionValue IsFirstRow { get; }
    public abstract ExtensionValue IsLastRow { get; }
    public abstract ExtensionValue IsTransition { get; }
    public abstract ExtensionValue Aux(int column);
    public abstract ExtensionValue AuxNext(int column);
    public abstract ExtensionValue Alpha { get; }
    public abstract uint Shard { get; }
    public abstract ExtensionValue Beta { get; }
    public abstract ExtensionValue CumulativeSum { get; }
    public abstract void AssertZero(ExtensionValue constraint, string name = "");

    public void Send(Bus bus, ExtensionValue multiplicity, params ReadOnlySpan<ExtensionValue> values) =>
        Entries.Add(new(bus, multiplicity, values.ToArray()));

    public void Receive(Bus bus, ExtensionValue multiplicity, params ReadOnlySpan<ExtensionValue> values) =>
        Entries.Add(new(bus, -multiplicity, values.ToArray()));
}

/// <summary>Folds every constraint into one value with powers of a challenge: acc ← acc·α + c.</summary>
public abstract class FoldingBuilder(BabyBearExt4 combination) : ValueBuilder
{
    public BabyBearExt4 Accumulator { get; protected set; }

    /// <summary>How many constraints were folded into <see cref="Accumulator"/>.</summary>
    public int Count { get; protected set; }

    public override void AssertZero(ExtensionValue constraint, string name = "")
    {
        Accumulator = Accumulator * combination + constraint.Value;
        Count++;
    }
}
