using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// A table with one of its constraints or one of its interactions dropped, for the prover and the verifier
/// alike (both evaluate the same <see cref="IAir"/>): the test-only way to show a check is needed, by a
/// forged witness that verifies without it and is rejected with it. Indices count in evaluation order, as
/// <see cref="RowEvaluator"/> lists them.
/// </summary>
sealed class KnockoutAir(IAir inner, int constraint = -1, int interaction = -1) : IAir
{
    public IAir Inner => inner;
    public string Name => inner.Name;
    public int MainWidth => inner.MainWidth;
    public int PreprocessedWidth => inner.PreprocessedWidth;
    public int PublicValueCount => inner.PublicValueCount;
    public int? FixedLogHeight => inner.FixedLogHeight;
    public RowMajorMatrix? Preprocessed(int height) => inner.Preprocessed(height);

    public void Eval<TB, TE>(TB builder) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        inner.Eval<Builder<TB, TE>, TE>(new Builder<TB, TE>(builder, constraint, interaction));

    /// <summary>The constraint names and interaction buses of a table, in evaluation order.</summary>
    public static (List<string> Constraints, List<string> Interactions) List(TableTrace table)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(0);
        return ([.. evaluator.Constraints.Select(c => c.Name)], [.. evaluator.Entries.Select(e => e.Bus.Name)]);
    }

    /// <summary>The index of the first interaction of <paramref name="row"/> that matches.</summary>
    public static int InteractionIndex(TableTrace table, int row, Func<BusEntry<ExtensionValue>, bool> match)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        int index = evaluator.Entries.FindIndex(e => match(e));
        Assert.True(index >= 0, $"no such interaction in table '{table.Air.Name}' row {row}");
        return index;
    }

    sealed class Builder<TB, TE>(TB inner, int constraint, int interaction) : IAirBuilder<TE>
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TB inner = inner;
        int constraints, interactions;

        public TE Main(int column) => inner.Main(column);
        public TE MainNext(int column) => inner.MainNext(column);
        public TE Preprocessed(int column) => inner.Preprocessed(column);
        public TE PreprocessedNext(int column) => inner.PreprocessedNext(column);
        public TE Public(int index) => inner.Public(index);
        public TE IsFirstRow => inner.IsFirstRow;
        public TE IsLastRow => inner.IsLastRow;
        public TE IsTransition => inner.IsTransition;

        public void AssertZero(TE c, string name = "")
        {
            if (constraints++ != constraint) inner.AssertZero(c, name);
        }

        public void Send(Bus bus, TE multiplicity, params ReadOnlySpan<TE> values)
        {
            if (interactions++ != interaction) inner.Send(bus, multiplicity, values);
        }

        public void Receive(Bus bus, TE multiplicity, params ReadOnlySpan<TE> values)
        {
            if (interactions++ != interaction) inner.Receive(bus, multiplicity, values);
        }
    }
}
