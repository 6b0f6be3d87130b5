using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Proving;

/// <summary>One block of rows of <see cref="InteractionTuples.ForEachBlock{TState}"/>: each selected interaction's multiplicity and values there.</summary>
public readonly ref struct TupleBlock
{
    private readonly Func<int, Span<BabyBear>> unit;
    private readonly (int Interaction, int Unit)[] tuples;
    private readonly List<bool> isSend;

    internal TupleBlock(int first, int rows, Func<int, Span<BabyBear>> unit, (int, int)[] tuples, List<bool> isSend)
    {
        (First, Rows, this.unit, this.tuples, this.isSend) = (first, rows, unit, tuples, isSend);
    }

    /// <summary>The block's first row in the table.</summary>
    public int First { get; }
    public int Rows { get; }
    /// <summary>How many interactions were selected.</summary>
    public int Count => tuples.Length;
    /// <summary>Whether the AIR sends the tuple or receives it.</summary>
    public bool IsSend(int j) => isSend[tuples[j].Interaction];
    /// <summary>The signed multiplicity on each of the block's rows (<see cref="BusEntry{TE}"/>'s: + sent, − received).</summary>
    public ReadOnlySpan<BabyBear> Multiplicity(int j) => unit(tuples[j].Unit);
    public ReadOnlySpan<BabyBear> Value(int j, int v) => unit(tuples[j].Unit + 1 + v);
}

/// <summary>Per thread, what a <see cref="InteractionTuples.ForEachBlock{TState}"/> caller does with one block.</summary>
public delegate void TupleVisitor<TState>(TState state, in TupleBlock block);

/// <summary>
/// The tuples a table puts on chosen buses, on every row: its interactions compiled once (the prover's kernel,
/// <see cref="ConstraintProgram"/>) and run a block of rows at a time on every core, without its constraints.
/// Witness generation counts lookups with it (the byte table's multiplicities).
/// </summary>
public static class InteractionTuples
{
    public static void ForEachBlock<TState>(TableTrace table, Predicate<Bus> select, Func<TState> init, TupleVisitor<TState> visit, Action<TState> finish)
    {
        var recorded = ExpressionRecorder.Record(table.Air, null, 0);
        var program = ConstraintProgram.ForTuples(recorded, new(table.PublicValues, default, default, default), select);
        if (program.Tuples.Length == 0) return;
        Packing.Run(table.Height >= 16 ? Packing.Best : PackingKind.Scalar, new Operation<TState>(table, recorded, program, init, visit, finish));
    }

    private sealed class Operation<TState>(TableTrace table, ExpressionRecorder recorded, ConstraintProgram program, Func<TState> init, TupleVisitor<TState> visit, Action<TState> finish) : IPackedOperation
    {
        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            var domain = new TraceDomain(table.Height);
            int block = Math.Min(ColumnEvaluator<TP>.MaxBlockRows, table.Height);
            Parallel.For(0, table.Height / block, Kernels.Options, () => (Evaluator: new ColumnEvaluator<TP>(program, table.Main, table.Preprocessed, null, domain, block), State: init()), (b, _, local) =>
            {
                local.Evaluator.Run(b * block);
                visit(local.State, new TupleBlock(b * block, block, local.Evaluator.Unit, program.Tuples, recorded.IsSend));
                return local;
            }, local => finish(local.State));
        }
    }
}
