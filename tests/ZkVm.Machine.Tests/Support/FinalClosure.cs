using ZkVm.Field;
using ZkVm.Machine.Tables;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// The forger's cross-table repair for a row search: a memory send whose value changed, when it is its cell's
/// last access in the shard, is answered by the page table's page-out value changed to match, and the boundary's
/// final value with it (the page bus between them), when both rows still hold. Then a forged result written to a
/// register or word that nothing reads again is a whole consistent witness.
/// </summary>
sealed class FinalClosure
{
    readonly TableTrace page, boundary;
    public TableTrace Page => page;
    public TableTrace Boundary => boundary;
    readonly int outLo, outHi, finalLo, finalHi;
    /// <summary>Page-table memory receive tuples (busSpace, index, lo, hi, ts) → (page row, boundary row).</summary>
    readonly Dictionary<(BabyBear, BabyBear, BabyBear, BabyBear, BabyBear), (int Page, int Boundary)> finals = [];

    public FinalClosure(TableTrace[] traces)
    {
        page = traces.Single(t => t.Air is PageTable);
        boundary = traces.Single(t => t.Air is BoundaryTable);
        (outLo, outHi) = (Columns.Index(page.Air, "OutLo"), Columns.Index(page.Air, "OutHi"));
        (finalLo, finalHi) = (Columns.Index(boundary.Air, "FinalLo"), Columns.Index(boundary.Air, "FinalHi"));
        // The boundary row that receives each cell's page-out: (busSpace, index) → row.
        var closes = new Dictionary<(BabyBear, BabyBear), int>();
        var evaluator = new RowEvaluator(boundary);
        for (int row = 0; row < boundary.Height; row++)
        {
            evaluator.EvaluateRow(row);
            foreach (var e in evaluator.Entries)
                if (e.Bus.Id == MachineBuses.Page.Id && !e.Multiplicity.IsZero && e.Multiplicity.Value.C0 != BabyBear.One)
                    closes[(e.Values[0].Value.C0, e.Values[1].Value.C0)] = row;
        }
        evaluator = new RowEvaluator(page);
        for (int row = 0; row < page.Height; row++)
        {
            evaluator.EvaluateRow(row);
            foreach (var e in evaluator.Entries)
                if (e.Bus.Id == MachineBuses.Memory.Id && !e.Multiplicity.IsZero && e.Multiplicity.Value.C0 != BabyBear.One
                    && closes.TryGetValue((e.Values[0].Value.C0, e.Values[1].Value.C0), out int close))
                    finals[Tuple(e.Values.Select(v => v.Value).ToArray())] = (row, close);
        }
    }

    static (BabyBear, BabyBear, BabyBear, BabyBear, BabyBear) Tuple(BabyBearExt4[] v) => (v[0].C0, v[1].C0, v[2].C0, v[3].C0, v[4].C0);

    /// <summary>Whether a memory tuple is some cell's last access in the shard (the page table receives it).</summary>
    public bool IsFinal(BabyBearExt4[] values) => finals.ContainsKey(Tuple(values));

    /// <summary>
    /// Cancels, in <paramref name="delta"/>, each changed memory send that the page-out (and boundary) value can follow:
    /// the old tuple is a final one, the new differs only in its value, and both rows stay valid with it.
    /// Returns the page rows so changed.
    /// </summary>
    public List<int> Close(BusDelta delta)
    {
        var closed = new List<int>();
        var memory = delta.Where(d => d.Key.Bus == MachineBuses.Memory.Id && !d.Value.Net.IsZero).ToList();
        foreach (var old in memory.Where(d => d.Value.Net == -BabyBearExt4.One))
        {
            var o = old.Value.Values;
            if (!finals.TryGetValue(Tuple(o), out var rows)) continue;
            var match = memory.FirstOrDefault(d => d.Value.Net == BabyBearExt4.One
                && d.Value.Values[0] == o[0] && d.Value.Values[1] == o[1] && d.Value.Values[4] == o[4]);
            if (match.Value.Values is null || !StillValid(rows, match.Value.Values[2].C0, match.Value.Values[3].C0)) continue;
            delta.Remove(old.Key);
            delta.Remove(match.Key);
            closed.Add(rows.Page);
        }
        return closed;
    }

    /// <summary>Whether the page and boundary rows, their final value set to (lo, hi), still satisfy their constraints and
    /// move no bus term but the memory pair being followed (the page-bus pair between them moves together; byte lookups
    /// may change to tuples the table holds).</summary>
    bool StillValid((int Page, int Boundary) rows, BabyBear lo, BabyBear hi)
    {
        var saved = (page.Main[rows.Page, outLo], page.Main[rows.Page, outHi], boundary.Main[rows.Boundary, finalLo], boundary.Main[rows.Boundary, finalHi]);
        var delta = new BusDelta();
        void Terms(int sign)
        {
            foreach (var (table, row) in new[] { (page, rows.Page), (boundary, rows.Boundary) })
            {
                var evaluator = new RowEvaluator(table);
                evaluator.EvaluateRow(row);
                Forgery.AddTerms(delta, evaluator.Entries, sign);
            }
        }
        Terms(-1);
        (page.Main[rows.Page, outLo], page.Main[rows.Page, outHi]) = (lo, hi);
        (boundary.Main[rows.Boundary, finalLo], boundary.Main[rows.Boundary, finalHi]) = (lo, hi);
        try
        {
            Terms(+1);
            foreach (var key in delta.Keys.Where(k => k.Bus == MachineBuses.Memory.Id).ToList()) delta.Remove(key);
            static bool Fails(TableTrace t, int r) => Forgery.FailsConstraint(t, r) || Forgery.FailsConstraint(t, (r - 1 + t.Height) % t.Height);
            return !Fails(page, rows.Page) && !Fails(boundary, rows.Boundary) && !Forgery.Unabsorbed(delta, boundary, null);
        }
        finally
        {
            (page.Main[rows.Page, outLo], page.Main[rows.Page, outHi], boundary.Main[rows.Boundary, finalLo], boundary.Main[rows.Boundary, finalHi]) = saved;
        }
    }
}
