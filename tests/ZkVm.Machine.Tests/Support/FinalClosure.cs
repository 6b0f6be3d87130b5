using ZkVm.Field;
using ZkVm.Machine.Tables;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// The forger's cross-table repair for a row search: a memory send whose value changed, when it is its cell's
/// last access, is answered by the boundary's final value changed to match (when the boundary still holds).
/// Then a forged result written to a register or word that nothing reads again is a whole consistent witness.
/// </summary>
sealed class FinalClosure
{
    readonly TableTrace boundary;
    public TableTrace Boundary => boundary;
    readonly int finalLo, finalHi;
    /// <summary>Boundary receive tuples (busSpace, index, lo, hi, ts) → boundary row.</summary>
    readonly Dictionary<(BabyBear, BabyBear, BabyBear, BabyBear, BabyBear), int> finals = [];

    public FinalClosure(TableTrace boundary)
    {
        this.boundary = boundary;
        finalLo = Columns.Index(boundary.Air, "FinalLo");
        finalHi = Columns.Index(boundary.Air, "FinalHi");
        var evaluator = new RowEvaluator(boundary);
        for (int row = 0; row < boundary.Height; row++)
        {
            evaluator.EvaluateRow(row);
            foreach (var e in evaluator.Entries)
                if (e.Bus.Id == MachineBuses.Memory.Id && !e.Multiplicity.IsZero && e.Multiplicity.Value.C0 != BabyBear.One)
                    finals[Tuple(e.Values.Select(v => v.Value).ToArray())] = row;
        }
    }

    static (BabyBear, BabyBear, BabyBear, BabyBear, BabyBear) Tuple(BabyBearExt4[] v) => (v[0].C0, v[1].C0, v[2].C0, v[3].C0, v[4].C0);

    /// <summary>Whether a memory tuple is some cell's last access (the boundary receives it).</summary>
    public bool IsFinal(BabyBearExt4[] values) => finals.ContainsKey(Tuple(values));

    /// <summary>
    /// Cancels, in <paramref name="delta"/>, each changed memory send that the boundary's final value can follow:
    /// the old tuple is a final one, the new differs only in its value, and the boundary row stays valid with it.
    /// Returns the boundary rows so changed.
    /// </summary>
    public List<int> Close(BusDelta delta)
    {
        var closed = new List<int>();
        var memory = delta.Where(d => d.Key.Bus == MachineBuses.Memory.Id && !d.Value.Net.IsZero).ToList();
        foreach (var old in memory.Where(d => d.Value.Net == -BabyBearExt4.One))
        {
            var o = old.Value.Values;
            if (!finals.TryGetValue(Tuple(o), out int row)) continue;
            var match = memory.FirstOrDefault(d => d.Value.Net == BabyBearExt4.One
                && d.Value.Values[0] == o[0] && d.Value.Values[1] == o[1] && d.Value.Values[4] == o[4]);
            if (match.Value.Values is null || !StillValid(row, match.Value.Values[2].C0, match.Value.Values[3].C0)) continue;
            delta.Remove(old.Key);
            delta.Remove(match.Key);
            closed.Add(row);
        }
        return closed;
    }

    /// <summary>Whether the boundary row, its final value set to (lo, hi), still satisfies its constraints and
    /// moves no bus term but the memory pair being followed (its byte lookups may change to tuples the table holds).</summary>
    bool StillValid(int row, BabyBear lo, BabyBear hi)
    {
        var (oldLo, oldHi) = (boundary.Main[row, finalLo], boundary.Main[row, finalHi]);
        var evaluator = new RowEvaluator(boundary);
        var delta = new BusDelta();
        evaluator.EvaluateRow(row);
        Forgery.AddTerms(delta, evaluator.Entries, -1);
        boundary.Main[row, finalLo] = lo;
        boundary.Main[row, finalHi] = hi;
        try
        {
            evaluator.EvaluateRow(row);
            Forgery.AddTerms(delta, evaluator.Entries, +1);
            foreach (var key in delta.Keys.Where(k => k.Bus == MachineBuses.Memory.Id).ToList()) delta.Remove(key);
            return !Forgery.FailsConstraint(boundary, row) && !Forgery.FailsConstraint(boundary, (row - 1 + boundary.Height) % boundary.Height)
                && !Forgery.Unabsorbed(delta, boundary, null);
        }
        finally
        {
            boundary.Main[row, finalLo] = oldLo;
            boundary.Main[row, finalHi] = oldHi;
        }
    }
}
