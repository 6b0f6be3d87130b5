namespace ZkVm.Machine.Tables;

/// <summary>
/// Counts what every table asks of the byte table by evaluating each row's interactions in the base
/// field, so the byte table's multiplicities follow the chips' own [Constraints] rather than a second
/// copy of them in each chip's trace filling.
/// </summary>
public static class ByteLookups
{
    const int Ops = 5, Size = 1 << 16;

    /// <summary>Multiplicities [op][a·256 + b] (for U16, [U16][x]) over all rows of <paramref name="tables"/>.</summary>
    public static uint[][] Count(IEnumerable<TableTrace> tables)
    {
        var total = new uint[Ops][];
        for (int op = 0; op < Ops; op++) total[op] = new uint[Size];
        try
        {
            foreach (var table in tables) CountInto(table, total);
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<ZkVmException>().FirstOrDefault() is { } typed)
        {
            throw typed; // a row the byte table cannot answer keeps its typed error
        }
        return total;
    }

    static void CountInto(TableTrace table, uint[][] total)
    {
        const int Chunk = 2048;
        Parallel.For(0, (table.Height + Chunk - 1) / Chunk, () => new Counter(table), (c, _, counter) =>
        {
            for (int row = c * Chunk, end = Math.Min(table.Height, row + Chunk); row < end; row++)
                counter.Run(row);
            return counter;
        }, counter =>
        {
            lock (total)
                for (int op = 0; op < Ops; op++)
                {
                    var from = counter.Counts[op];
                    var to = total[op];
                    for (int i = 0; i < Size; i++) to[i] += from[i];
                }
        });
    }

    /// <summary>A value of the base field as a constraint expression.</summary>
    readonly record struct Value(BabyBear V) : IAirExpression<Value>
    {
        public static Value Constant(BabyBear value) => new(value);
        public static Value operator +(Value a, Value b) => new(a.V + b.V);
        public static Value operator -(Value a, Value b) => new(a.V - b.V);
        public static Value operator -(Value a) => new(-a.V);
        public static Value operator *(Value a, Value b) => new(a.V * b.V);
    }

    sealed class Counter(TableTrace table) : IAirBuilder<Value>
    {
        int row, next;

        public uint[][] Counts { get; } = Enumerable.Range(0, Ops).Select(_ => new uint[Size]).ToArray();

        public void Run(int r)
        {
            row = r;
            next = (r + 1) % table.Height;
            table.Air.Eval<Counter, Value>(this);
        }

        public Value Main(int column) => new(table.Main[row, column]);
        public Value MainNext(int column) => new(table.Main[next, column]);
        public Value Preprocessed(int column) => new(table.Preprocessed![row, column]);
        public Value PreprocessedNext(int column) => new(table.Preprocessed![next, column]);
        public Value Public(int index) => new(table.PublicValues[index]);
        public Value IsFirstRow => new(row == 0 ? BabyBear.One : BabyBear.Zero);
        public Value IsLastRow => new(row == table.Height - 1 ? BabyBear.One : BabyBear.Zero);
        public Value IsTransition => new(row != table.Height - 1 ? BabyBear.One : BabyBear.Zero);

        public void AssertZero(Value constraint, string name = "") { }

        public void Receive(Bus bus, Value multiplicity, params ReadOnlySpan<Value> values) { }

        public void Send(Bus bus, Value multiplicity, params ReadOnlySpan<Value> values)
        {
            if (bus.Id != MachineBuses.Bytes.Id || multiplicity.V.IsZero) return;
            uint op = values[0].V.ToCanonical(), x = values[1].V.ToCanonical(), y = values[2].V.ToCanonical(), z = values[3].V.ToCanonical();
            if (!ByteTable.Holds(op, x, y, z))
                throw new ZkVmException(MachineErrors.WitnessMismatch, $"table '{table.Air.Name}' row {row} asks the byte table for ({op}, {x}, {y}, {z}), which it does not hold");
            uint index = op == ByteOp.U16 ? x : x << 8 | y;
            Counts[op][index] += multiplicity.V.ToCanonical();
        }
    }
}
