using ZkVm.Field;
using ZkVm.Machine.Tables;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// A forger's local search on one row of a valid witness. It changes one cell (± 1, ± 2^8, ± 2^16, or to 2),
/// then solves, up to <see cref="Depth"/> times, a cell that a failing constraint reads: exactly where the
/// constraint is affine in it, by a step of ± 1 or ± 2 otherwise. A state that exactly one check catches
/// (one constraint, or one interaction whose bus terms a forger cannot absorb; see <see cref="Forgery"/>)
/// shows that check needed: without it, the forged row verifies. A changed memory send that is its cell's last
/// access may be followed by the page-out and the boundary's final value (<see cref="FinalClosure"/>).
/// </summary>
sealed class RowForger
{
    const int Depth = 3;
    const int MaxFailing = 2;

    readonly TableTrace table;
    readonly int row, previous;
    readonly HashSet<string>? rom;
    readonly FinalClosure? closure;
    readonly (HashSet<int> Local, HashSet<int> Next)[] reads;
    readonly string[] names;
    readonly List<BusEntry<ExtensionValue>>[] before;
    readonly RowEvaluator evaluator;
    readonly HashSet<int> silent;
    readonly Dictionary<string, int> explored = [];

    /// <param name="silent">Interactions whose multiplicity is 0 on every row of the valid witness: dropping one
    /// from every row changes no other row's terms, so this row alone judges it.</param>
    public RowForger(TableTrace table, int row, HashSet<string>? rom, FinalClosure? closure, (HashSet<int> Local, HashSet<int> Next)[] reads, HashSet<int> silent)
    {
        this.silent = silent;
        this.table = table;
        this.row = row;
        this.rom = rom;
        this.closure = closure;
        this.reads = reads;
        previous = (row - 1 + table.Height) % table.Height;
        names = Columns.Names(table.Air);
        evaluator = new RowEvaluator(table);
        before = [Entries(previous), Entries(row)];
    }

    /// <summary>Reports each forged state that one check alone catches: ('c' or 'i', its index, the cells changed).</summary>
    public void Search(Action<char, int, string> found, Func<bool> done)
    {
        for (int column = 0; column < table.Air.MainWidth && !done(); column++)
        {
            var original = table.Main[row, column];
            foreach (var seed in Seeds(original))
            {
                table.Main[row, column] = seed;
                Explore([(column, original)], Depth, found);
                table.Main[row, column] = original;
            }
        }
    }

    /// <summary>Judges one forged state worked out by hand (whole cells, as a recipe gives them) the way <see cref="Search"/>
    /// judges its own: reports the check that alone catches it, if one does.</summary>
    /// <returns>What fails in the forged state: the failing constraints, and whether the bus terms catch it.</returns>
    public string Judge(IReadOnlyList<(int Column, BabyBear Value)> cells, Action<char, int, string> found)
    {
        var changed = cells.Where(c => c.Value != table.Main[row, c.Column]).ToList();
        var edits = changed.Select(c => (c.Column, table.Main[row, c.Column])).ToList();
        foreach (var (column, value) in changed) table.Main[row, column] = value;
        try
        {
            Explore(edits, 0, found);
            var failing = Failing(out var after);
            return $"row {row} fails {string.Join(", ", failing.Select(f => $"c{f.Index}" + (f.Row == 0 ? " (previous row)" : "")))}"
                + (BusCaught(after, -1, out _) ? "; its bus terms are caught" : "");
        }
        finally
        {
            foreach (var (column, original) in edits) table.Main[row, column] = original;
        }
    }

    /// <summary>
    /// A forger's mix of flags, the way a one-hot selector is forged: one flag (a column a constraint checks boolean
    /// alone) set to −1 or 2, up to three (two when the row has more than eight flags) other flags flipped (IsX = −1 beside two flags set keeps
    /// their sum and the opcode they encode), then the solving steps of <see cref="Search"/>. Only flags whose
    /// check <paramref name="wanted"/> names are tried.
    /// </summary>
    public void SearchFlags(Func<int, bool> wanted, Action<char, int, string> found)
    {
        var flags = Flags();
        int maxFlips = flags.Count <= 8 ? 3 : 2;
        foreach (var (column, constraint) in flags.Where(f => wanted(f.Constraint)))
        {
            var others = flags.Where(f => f.Column != column).Select(f => f.Column).ToList();
            foreach (var flips in Subsets(others, maxFlips).TakeWhile(_ => wanted(constraint)))
                foreach (var value in new[] { BabyBear.Zero - BabyBear.One, BabyBear.FromCanonical(2) })
                {
                    var edits = new List<(int Column, BabyBear Original)> { (column, table.Main[row, column]) };
                    edits.AddRange(flips.Select(c => (c, table.Main[row, c])));
                    table.Main[row, column] = value;
                    foreach (int c in flips) table.Main[row, c] = BabyBear.One - table.Main[row, c];
                    Explore(edits, Depth, found);
                    foreach (var (c, original) in edits) table.Main[row, c] = original;
                }
        }
    }

    /// <summary>The row's flags: (column, the constraint that checks it boolean alone), found by evaluating that
    /// constraint with the cell at 0, 1 and 2.</summary>
    List<(int Column, int Constraint)> Flags()
    {
        var flags = new List<(int, int)>();
        for (int c = 0; c < reads.Length; c++)
        {
            if (reads[c].Local.Count != 1 || reads[c].Next.Count != 0) continue;
            int column = reads[c].Local.Single();
            var original = table.Main[row, column];
            bool boolean = true;
            foreach (uint v in new uint[] { 0, 1, 2 })
            {
                table.Main[row, column] = BabyBear.FromCanonical(v);
                boolean &= Value(c, row).IsZero == (v < 2);
            }
            table.Main[row, column] = original;
            if (boolean && (original.IsZero || original == BabyBear.One)) flags.Add((column, c));
        }
        return flags;
    }

    static IEnumerable<List<int>> Subsets(List<int> items, int max)
    {
        yield return [];
        if (max == 0) yield break;
        for (int i = 0; i < items.Count; i++)
            foreach (var rest in Subsets(items[(i + 1)..], max - 1))
                yield return [items[i], .. rest];
    }

    static IEnumerable<BabyBear> Seeds(BabyBear original)
    {
        var seen = new HashSet<BabyBear> { original };
        foreach (uint step in new uint[] { 1, 1 << 8, 1 << 16 })
        {
            var s = BabyBear.FromCanonical(step);
            if (seen.Add(original + s)) yield return original + s;
            if (seen.Add(original - s)) yield return original - s;
        }
        if (seen.Add(BabyBear.FromCanonical(2))) yield return BabyBear.FromCanonical(2);
    }

    List<BusEntry<ExtensionValue>> Entries(int r)
    {
        evaluator.EvaluateRow(r);
        return [.. evaluator.Entries];
    }

    /// <summary>The failing constraints of the two rows a cell of <see cref="row"/> enters: (index, 0 for the previous row, 1 for this one).</summary>
    List<(int Index, int Row)> Failing(out List<BusEntry<ExtensionValue>>[] after)
    {
        var failing = new List<(int, int)>();
        after = new List<BusEntry<ExtensionValue>>[2];
        int[] rows = [previous, row];
        for (int k = 0; k < 2; k++)
        {
            evaluator.EvaluateRow(rows[k]);
            after[k] = [.. evaluator.Entries];
            for (int c = 0; c < evaluator.Constraints.Count; c++)
                if (!evaluator.Constraints[c].Value.IsZero) failing.Add((c, k));
        }
        return failing;
    }

    /// <summary>Whether the bus terms changed beyond what the forger absorbs; <paramref name="closed"/> names the page rows it changed to follow.</summary>
    bool BusCaught(List<BusEntry<ExtensionValue>>[] after, int excluded, out List<int> closed)
    {
        // Only the terms that changed: an unchanged one cancels against itself.
        var delta = new BusDelta();
        for (int r = 0; r < 2; r++)
            for (int k = 0; k < before[r].Count; k++)
                if (k != excluded && !Same(before[r][k], after[r][k]))
                {
                    Forgery.AddTerms(delta, [before[r][k]], -1);
                    Forgery.AddTerms(delta, [after[r][k]], +1);
                }
        closed = closure?.Close(delta) ?? [];
        return Forgery.Unabsorbed(delta, table, rom);
    }

    static bool Same(BusEntry<ExtensionValue> a, BusEntry<ExtensionValue> b)
    {
        if (a.Multiplicity.Value != b.Multiplicity.Value) return false;
        for (int i = 0; i < a.Values.Length; i++)
            if (a.Values[i].Value != b.Values[i].Value) return false;
        return true;
    }

    void Explore(List<(int Column, BabyBear Original)> edits, int depth, Action<char, int, string> found)
    {
        // A state reached again (the same cells, set in another order) with no more depth left than before
        // has been judged and searched already.
        string state = string.Join(";", edits.Select(e => e.Column).Order().Select(c => $"{c}={table.Main[row, c]}"));
        if (explored.TryGetValue(state, out int seen) && seen >= depth) return;
        explored[state] = depth;
        var failing = Failing(out var after);
        var distinct = failing.Select(f => f.Index).Distinct().ToList();
        bool bus = BusCaught(after, -1, out var closed);
        if (distinct.Count == 1 && !bus) found('c', distinct[0], Describe(edits, closed));
        if (distinct.Count == 0 && bus)
            for (int k = 0; k < before[1].Count; k++)
                if (Recounted(k) && !BusCaught(after, k, out closed)) found('i', k, Describe(edits, closed));
        if (depth == 0 || distinct.Count == 0 || distinct.Count > MaxFailing) return;

        foreach (var (index, at) in failing)
        {
            var columns = at == 1 ? reads[index].Local : reads[index].Next;
            foreach (int column in columns.Where(c => edits.All(e => e.Column != c)).Order())
            {
                var original = table.Main[row, column];
                foreach (var value in Solutions(index, at == 1 ? row : previous, column))
                {
                    table.Main[row, column] = value;
                    Explore([.. edits, (column, original)], depth - 1, found);
                }
                table.Main[row, column] = original;
            }
        }
    }

    /// <summary>
    /// Whether dropping interaction <paramref name="k"/> from every row is judged by this row alone: for lookups
    /// into a table whose multiplicities the forger recounts (bytes; the program when the ROM is given), and for
    /// an interaction silent on every row of the valid witness. Elsewhere the dropped terms of every other row
    /// unbalance the bus too (docs/MACHINE.md §9).
    /// </summary>
    bool Recounted(int k)
    {
        var bus = before[1][k].Bus;
        return bus.Id == MachineBuses.Bytes.Id && table.Air is not ByteTable || bus.Id == MachineBuses.Program.Id && rom is not null || silent.Contains(k);
    }

    BabyBear Value(int constraint, int at)
    {
        evaluator.EvaluateRow(at);
        return evaluator.Constraints[constraint].Value.Value.C0;
    }

    /// <summary>Values of the cell (<see cref="row"/>, <paramref name="column"/>) that zero the constraint evaluated at row <paramref name="at"/>.</summary>
    IEnumerable<BabyBear> Solutions(int constraint, int at, int column)
    {
        var original = table.Main[row, column];
        var one = BabyBear.One;
        var v0 = Value(constraint, at);
        table.Main[row, column] = original + one;
        var v1 = Value(constraint, at);
        table.Main[row, column] = original + one + one;
        var v2 = Value(constraint, at);
        table.Main[row, column] = original;
        var slope = v1 - v0;
        if (v2 - v1 == slope && !slope.IsZero)
        {
            yield return original - v0 * slope.Inverse();
            yield break;
        }
        if (v1.IsZero) yield return original + one;
        if (v2.IsZero) yield return original + one + one;
        foreach (var step in new[] { BabyBear.Zero - one, BabyBear.Zero - one - one })
        {
            table.Main[row, column] = original + step;
            bool zero = Value(constraint, at).IsZero;
            table.Main[row, column] = original;
            if (zero) yield return original + step;
        }
    }

    string Describe(List<(int Column, BabyBear Original)> edits, List<int> closed) =>
        string.Join(", ", edits.Select(e => $"{names[e.Column]} {Step(table.Main[row, e.Column] - e.Original)}")) + $" in row {row}"
        + (closed.Count == 0 ? "" : $", the page-out and the boundary's final value followed (page row {string.Join(", ", closed)})");

    static string Step(BabyBear delta)
    {
        uint d = delta.ToCanonical();
        return d < 1u << 24 ? $"+{d}" : BabyBear.P - d < 1u << 24 ? $"−{BabyBear.P - d}" : $"+{d} (p − {BabyBear.P - d})";
    }
}
