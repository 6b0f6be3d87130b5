using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Stark.Proving;

internal enum OpCode : byte
{
    /// <summary>Dst ← matrix A's column B on the block's rows (Flags: next rows); matrix 0 main, 1 preprocessed.</summary>
    Load,
    /// <summary>Dst (extension) ← LogUp column A (Flags: next rows).</summary>
    LoadAux,
    /// <summary>Dst ← selector A: 0 first row, 1 last row, 2 transition.</summary>
    Selector,
    Add, Sub, Mul, Neg,
    /// <summary>The accumulator += (constraint B's power of the combination challenge) · slot A.</summary>
    Accumulate,
    /// <summary>Interaction B's denominator and multiplicity from <see cref="ConstraintProgram.Fractions"/>[B].</summary>
    Fraction,
    /// <summary>Dst ← slot A, a base value kept past the program's end (an interaction's tuple).</summary>
    Copy,
}

/// <summary>Flags of an arithmetic instruction: which operands are extension values (the result is if any is).</summary>
[Flags]
internal enum OperandFlags : byte { None = 0, AExtension = 1, BExtension = 2, Next = 4 }

/// <summary>One step of a <see cref="ConstraintProgram"/>; slots are offsets in units of one block of base values.</summary>
internal readonly record struct Instruction(OpCode Op, int Dst, int A, int B, OperandFlags Flags);

/// <summary>An interaction compiled for the LogUp pass: d = (α + c(bus)) + Σ βⁱ⁺¹·vᵢ over the value slots, and its multiplicity slot.</summary>
internal sealed record CompiledFraction(int Multiplicity, int[] Values, BabyBearExt4 Constant, BabyBearExt4[] BetaPowers);

/// <summary>
/// A table's constraints or interactions compiled once per proof into straight-line code over blocks of rows: the
/// recorded DAG (<see cref="ExpressionRecorder"/>) with common subexpressions shared, values that are the same on
/// every row (constants, public values, challenges) folded, and block-sized slots reused once their last reader
/// has run. <see cref="ColumnEvaluator{TP}"/> runs it a block at a time, each instruction over the whole block with
/// packed arithmetic, so the cost of dispatching a node is paid once per block instead of once per row.
/// </summary>
internal sealed class ConstraintProgram
{
    private ConstraintProgram(Instruction[] code, (int Unit, BabyBearExt4 Value, bool IsExtension)[] constants, CompiledFraction[] fractions,
        int units, int accumulator, int denominators, int multiplicities, int constraintCount)
    {
        (Code, Constants, Fractions, Units, Accumulator, Denominators, Multiplicities, ConstraintCount) =
            (code, constants, fractions, units, accumulator, denominators, multiplicities, constraintCount);
    }

    public Instruction[] Code { get; }
    /// <summary>Slots that hold a row-independent value, filled once per buffer.</summary>
    public (int Unit, BabyBearExt4 Value, bool IsExtension)[] Constants { get; }
    public CompiledFraction[] Fractions { get; }
    /// <summary>Blocks of scratch a buffer needs.</summary>
    public int Units { get; }
    /// <summary>Where the combined constraints accumulate (4 units), for a quotient program.</summary>
    public int Accumulator { get; }
    /// <summary>Where interaction k's denominator (4 units from Denominators + 4k) and multiplicity (Multiplicities + k) land.</summary>
    public int Denominators { get; }
    public int Multiplicities { get; }
    public int ConstraintCount { get; }

    /// <summary>The values every row shares: public values and the LogUp challenges and claimed sum (unused ones may be zero).</summary>
    public readonly record struct Bindings(BabyBear[] PublicValues, BabyBearExt4 Alpha, BabyBearExt4 Beta, BabyBearExt4 CumulativeSum);

    /// <summary>Every constraint, in the order the builders see them, each folded into the accumulator.</summary>
    public static ConstraintProgram ForConstraints(ExpressionRecorder recorded, Bindings bindings)
    {
        var compiler = new Compiler(bindings);
        int accumulator = compiler.Reserve(4);
        var outputs = recorded.Constraints.Select((c, k) => (Output)new ConstraintOutput(c, k)).ToList();
        return compiler.Compile(outputs, accumulator, 0, 0, recorded.Constraints.Count);
    }

    /// <summary>
    /// The signed multiplicity and values of each interaction <paramref name="select"/> takes, in interaction order:
    /// interaction j of <see cref="Tuples"/> lands in 1 + arity units from its Unit, the multiplicity first.
    /// </summary>
    public static ConstraintProgram ForTuples(ExpressionRecorder recorded, Bindings bindings, Predicate<Bus> select)
    {
        var compiler = new Compiler(bindings);
        var tuples = new List<(int Interaction, int Unit)>();
        var outputs = new List<Output>();
        for (int k = 0; k < recorded.Interactions.Count; k++)
        {
            var e = recorded.Interactions[k];
            if (!select(e.Bus)) continue;
            int unit = compiler.Reserve(1 + e.Values.Length);
            tuples.Add((k, unit));
            outputs.Add(new TupleOutput(e, unit));
        }
        var program = compiler.Compile(outputs, 0, 0, 0, 0);
        program.Tuples = [.. tuples];
        return program;
    }

    /// <summary>For a tuple program: each selected interaction's index and first unit.</summary>
    public (int Interaction, int Unit)[] Tuples { get; private set; } = [];

    /// <summary>Every interaction's denominator and signed multiplicity, in interaction order, with the bus constants of the recorded shard.</summary>
    public static ConstraintProgram ForInteractions(ExpressionRecorder recorded, Bindings bindings)
    {
        var compiler = new Compiler(bindings);
        int count = recorded.Interactions.Count;
        int denominators = compiler.Reserve(4 * count), multiplicities = compiler.Reserve(count);
        var outputs = recorded.Interactions.Select((e, k) => (Output)new InteractionOutput(e, k, recorded.Shard)).ToList();
        return compiler.Compile(outputs, 0, denominators, multiplicities, 0);
    }

    private abstract record Output;
    private sealed record ConstraintOutput(RecordedExpression Constraint, int Index) : Output;
    /// <summary>An output that reads an interaction's multiplicity and values.</summary>
    private abstract record EntryOutput(BusEntry<RecordedExpression> Entry) : Output;
    private sealed record InteractionOutput(BusEntry<RecordedExpression> Entry, int Index, uint Shard) : EntryOutput(Entry);
    private sealed record TupleOutput(BusEntry<RecordedExpression> Entry, int Unit) : EntryOutput(Entry);

    private sealed class Compiler(Bindings bindings)
    {
        private readonly Dictionary<RecordedExpression, int> idOf = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<(NodeKind, int, int, int, uint), int> byShape = [];
        private readonly List<Node> nodes = [];
        private readonly List<(int Node, Output? Output)> order = [];
        private int units;

        /// <summary>A distinct node: its kind, operand nodes, leaf index, whether it is an extension value, and its value if it is the same on every row.</summary>
        private sealed record Node(NodeKind Kind, int A, int B, int Index, bool IsExtension, BabyBearExt4? Uniform)
        {
            public int LastUse = -1, Slot = -1;
        }

        public int Reserve(int count)
        {
            int at = units;
            units += count;
            return at;
        }

        public ConstraintProgram Compile(List<Output> outputs, int accumulator, int denominators, int multiplicities, int constraintCount)
        {
            // Linear order: each output's operands depth-first, then the output.
            foreach (var output in outputs)
            {
                switch (output)
                {
                    case ConstraintOutput c: order.Add((Visit(c.Constraint), output)); break;
                    case EntryOutput { Entry: var entry }:
                        if (entry.Multiplicity.IsExtension || entry.Values.Any(v => v.IsExtension))
                            throw new InvalidOperationException("an interaction reads an extension value");
                        Visit(entry.Multiplicity);
                        foreach (var v in entry.Values) Visit(v);
                        order.Add((-1, output));
                        break;
                }
            }
            for (int p = 0; p < order.Count; p++)
                foreach (int used in Operands(order[p]))
                    nodes[used].LastUse = p;

            var code = new List<Instruction>();
            var constants = new List<(int, BabyBearExt4, bool)>();
            var fractions = new List<CompiledFraction>();
            var free = new Dictionary<int, Stack<int>> { [1] = new(), [4] = new() };
            int Allocate(int size) => free[size].Count > 0 ? free[size].Pop() : Reserve(size);
            for (int p = 0; p < order.Count; p++)
            {
                var (id, output) = order[p];
                if (output is null)
                {
                    var node = nodes[id];
                    if (node.Uniform is { } value)
                    {
                        node.Slot = Reserve(node.IsExtension ? 4 : 1);
                        constants.Add((node.Slot, value, node.IsExtension));
                        continue;
                    }
                    // Operands whose last reader this is give their slots back first: an elementwise step may write in place.
                    Release(p, free);
                    node.Slot = Allocate(node.IsExtension ? 4 : 1);
                    code.Add(Emit(node));
                    continue;
                }
                switch (output)
                {
                    case ConstraintOutput c:
                        code.Add(new(OpCode.Accumulate, accumulator, nodes[id].Slot, c.Index, nodes[id].IsExtension ? OperandFlags.AExtension : OperandFlags.None));
                        break;
                    case InteractionOutput i:
                        var e = i.Entry;
                        BabyBearExt4[] powers = new BabyBearExt4[e.Values.Length];
                        BabyBearExt4 power = bindings.Beta;
                        for (int v = 0; v < powers.Length; v++, power *= bindings.Beta) powers[v] = power;
                        fractions.Add(new(nodes[idOf[e.Multiplicity]].Slot, [.. e.Values.Select(v => nodes[idOf[v]].Slot)],
                            bindings.Alpha + BabyBear.FromCanonical(e.Bus.Constant(i.Shard)), powers));
                        code.Add(new(OpCode.Fraction, 0, 0, i.Index, OperandFlags.None));
                        break;
                    case TupleOutput t:
                        code.Add(new(OpCode.Copy, t.Unit, nodes[idOf[t.Entry.Multiplicity]].Slot, -1, OperandFlags.None));
                        for (int v = 0; v < t.Entry.Values.Length; v++)
                            code.Add(new(OpCode.Copy, t.Unit + 1 + v, nodes[idOf[t.Entry.Values[v]]].Slot, -1, OperandFlags.None));
                        break;
                }
                Release(p, free);
            }
            return new ConstraintProgram([.. code], [.. constants], [.. fractions], units, accumulator, denominators, multiplicities, constraintCount);
        }

        private void Release(int position, Dictionary<int, Stack<int>> free)
        {
            foreach (int used in Operands(order[position]).Distinct())
            {
                var n = nodes[used];
                if (n.LastUse == position && n.Uniform is null && n.Slot >= 0)
                {
                    free[n.IsExtension ? 4 : 1].Push(n.Slot);
                    n.Slot = -2 - n.Slot; // released; Emit reads it through SlotOf
                }
            }
        }

        private int SlotOf(int id) => nodes[id].Slot >= 0 ? nodes[id].Slot : -2 - nodes[id].Slot;

        private IEnumerable<int> Operands((int Node, Output? Output) step)
        {
            switch (step.Output)
            {
                case null:
                    var n = nodes[step.Node];
                    if (n.A >= 0) yield return n.A;
                    if (n.B >= 0) yield return n.B;
                    break;
                case ConstraintOutput:
                    yield return step.Node;
                    break;
                case EntryOutput { Entry: var entry }:
                    yield return idOf[entry.Multiplicity];
                    foreach (var v in entry.Values) yield return idOf[v];
                    break;
            }
        }

        private Instruction Emit(Node n)
        {
            OperandFlags Ext(int id, OperandFlags flag) => id >= 0 && nodes[id].IsExtension ? flag : OperandFlags.None;
            var flags = Ext(n.A, OperandFlags.AExtension) | Ext(n.B, OperandFlags.BExtension);
            int a = n.A >= 0 ? SlotOf(n.A) : -1, b = n.B >= 0 ? SlotOf(n.B) : -1;
            int slot = n.Slot;
            return n.Kind switch
            {
                NodeKind.Main => new(OpCode.Load, slot, 0, n.Index, OperandFlags.None),
                NodeKind.MainNext => new(OpCode.Load, slot, 0, n.Index, OperandFlags.Next),
                NodeKind.Preprocessed => new(OpCode.Load, slot, 1, n.Index, OperandFlags.None),
                NodeKind.PreprocessedNext => new(OpCode.Load, slot, 1, n.Index, OperandFlags.Next),
                NodeKind.Aux => new(OpCode.LoadAux, slot, n.Index, 0, OperandFlags.None),
                NodeKind.AuxNext => new(OpCode.LoadAux, slot, n.Index, 0, OperandFlags.Next),
                NodeKind.IsFirstRow => new(OpCode.Selector, slot, 0, 0, OperandFlags.None),
                NodeKind.IsLastRow => new(OpCode.Selector, slot, 1, 0, OperandFlags.None),
                NodeKind.IsTransition => new(OpCode.Selector, slot, 2, 0, OperandFlags.None),
                NodeKind.Add => new(OpCode.Add, slot, a, b, flags),
                NodeKind.Sub => new(OpCode.Sub, slot, a, b, flags),
                NodeKind.Mul => new(OpCode.Mul, slot, a, b, flags),
                NodeKind.Neg => new(OpCode.Neg, slot, a, -1, flags),
                _ => throw new InvalidOperationException($"no instruction for {n.Kind}"),
            };
        }

        /// <summary>The node's id, adding it (and its operands) to the linear order the first time its shape is seen.</summary>
        private int Visit(RecordedExpression e)
        {
            if (idOf.TryGetValue(e, out int known)) return known;
            int a = e.A is null ? -1 : Visit(e.A), b = e.B is null ? -1 : Visit(e.B);
            // Addition and multiplication commute: one shape for both operand orders.
            if (e.Kind is NodeKind.Add or NodeKind.Mul && a > b) (a, b) = (b, a);
            var shape = (e.Kind, a, b, e.Index, e.Kind == NodeKind.Constant ? e.Value.ToCanonical() : 0u);
            if (!byShape.TryGetValue(shape, out int id))
            {
                id = nodes.Count;
                nodes.Add(new Node(e.Kind, a, b, e.Index, e.IsExtension, Uniform(e.Kind, a, b, e)));
                byShape[shape] = id;
                order.Add((id, null));
            }
            idOf[e] = id;
            return id;
        }

        private BabyBearExt4? Uniform(NodeKind kind, int a, int b, RecordedExpression e) => kind switch
        {
            NodeKind.Constant => (BabyBearExt4)e.Value,
            NodeKind.Public => (BabyBearExt4)bindings.PublicValues[e.Index],
            NodeKind.Alpha => bindings.Alpha,
            NodeKind.Beta => bindings.Beta,
            NodeKind.CumulativeSum => bindings.CumulativeSum,
            NodeKind.Add when nodes[a].Uniform is { } x && nodes[b].Uniform is { } y => x + y,
            NodeKind.Sub when nodes[a].Uniform is { } x && nodes[b].Uniform is { } y => x - y,
            NodeKind.Mul when nodes[a].Uniform is { } x && nodes[b].Uniform is { } y => x * y,
            NodeKind.Neg when nodes[a].Uniform is { } x => -x,
            _ => null,
        };
    }
}
