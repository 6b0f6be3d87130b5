using ZkVm.Stark.Proving;

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

    /// <summary>The table's sends to the byte table, counted on every row by the prover's compiled interaction kernel.</summary>
    static void CountInto(TableTrace table, uint[][] total) =>
        InteractionTuples.ForEachBlock(table, bus => bus.Id == MachineBuses.Bytes.Id, () => Enumerable.Range(0, Ops).Select(_ => new uint[Size]).ToArray(),
            (counts, in block) =>
            {
                for (int j = 0; j < block.Count; j++)
                {
                    if (!block.IsSend(j)) continue;
                    ReadOnlySpan<BabyBear> m = block.Multiplicity(j), ops = block.Value(j, 0), xs = block.Value(j, 1), ys = block.Value(j, 2), zs = block.Value(j, 3);
                    for (int r = 0; r < block.Rows; r++)
                    {
                        if (m[r].IsZero) continue;
                        uint op = ops[r].ToCanonical(), x = xs[r].ToCanonical(), y = ys[r].ToCanonical(), z = zs[r].ToCanonical();
                        if (!ByteTable.Holds(op, x, y, z))
                            throw new ZkVmException(MachineErrors.WitnessMismatch, $"table '{table.Air.Name}' row {block.First + r} asks the byte table for ({op}, {x}, {y}, {z}), which it does not hold");
                        counts[op][op == ByteOp.U16 ? x : x << 8 | y] += m[r].ToCanonical();
                    }
                }
            },
            counts =>
            {
                lock (total)
                    for (int op = 0; op < Ops; op++)
                    {
                        var to = total[op];
                        for (int i = 0; i < Size; i++) to[i] += counts[op][i];
                    }
            });
}
