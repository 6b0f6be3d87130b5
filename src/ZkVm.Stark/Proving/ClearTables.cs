using System.Numerics;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Pcs;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Stark.Proving;

/// <summary>
/// A table's main trace sent whole in place of its main and LogUp openings (docs/PROTOCOL.md §8.6): its first
/// <see cref="Rows"/> rows, <see cref="Width"/> wide, row after row; the rows below them are zero.
/// </summary>
public sealed record ClearTrace(int Table, int Rows, int Width, BabyBear[] Values)
{
    /// <summary>The trace of a table of 2^<paramref name="logHeight"/> rows, zero below <see cref="Rows"/>.</summary>
    public RowMajorMatrix Padded(int logHeight)
    {
        var m = new RowMajorMatrix(Width, 1 << logHeight);
        Values.CopyTo(m.Values, 0);
        return m;
    }

    /// <summary>Bits of column <paramref name="column"/>'s largest value: the width every value of it is sent in.</summary>
    public int ColumnBits(int column)
    {
        uint max = 0;
        for (int r = 0; r < Rows; r++) max |= Values[r * Width + column].ToCanonical();
        return 32 - BitOperations.LeadingZeroCount(max);
    }

    /// <summary>Bytes of its encoding (docs/PROTOCOL.md §9): table, rows and width, then per column its bit count and its values packed.</summary>
    public long EncodedBytes()
    {
        long bytes = 12;
        for (int c = 0; c < Width; c++) bytes += 1 + ((long)Rows * ColumnBits(c) + 7) / 8;
        return bytes;
    }
}

/// <summary>Which tables a prover sends in clear (<see cref="ClearTrace"/>); any choice verifies.</summary>
public enum ClearTablePolicy
{
    /// <summary>Every table is opened at its out-of-domain point and at the queries.</summary>
    None,

    /// <summary>A table is sent in clear where its trace encodes in fewer bytes than the main and LogUp openings it replaces.</summary>
    WhereSmaller,
}

/// <summary>
/// Tables sent in clear. The verifier derives from such a table's trace every value the proof leaves out: its LogUp
/// columns (from the challenges), the main and LogUp columns at the table's point z and z·ω, and their LDE rows at the queries, which the
/// Merkle openings then check against the roots. A verifier that computes them itself accepts exactly the proofs
/// that would be accepted with them sent, so sending a trace in clear changes the proof's size, never its soundness.
/// </summary>
internal static class ClearTables
{
    /// <summary>
    /// Bound on the trace cells (main and LogUp, over 2^h rows) of all clear tables of a proof, so that a forged proof
    /// cannot make the verifier extend tall tables; the prover's choice stays below it.
    /// </summary>
    public const long MaxCells = 1 << 22;

    /// <summary>The tables to send in clear under <paramref name="policy"/>, by table (null where opened).</summary>
    public static ClearTrace?[] Choose(IReadOnlyList<TableTrace> tables, LogUpLayout[] layouts, NextColumns[] next, SecurityParameters parameters, ClearTablePolicy policy)
    {
        var chosen = new ClearTrace?[tables.Count];
        if (policy == ClearTablePolicy.None) return chosen;
        long cells = 0;
        for (int i = 0; i < tables.Count; i++)
        {
            var main = tables[i].Main;
            long tableCells = (long)main.Height * (main.Width + 4 * layouts[i].Width);
            if (cells + tableCells > MaxCells) continue;
            var trace = Trimmed(i, main);
            if (trace.EncodedBytes() >= SavedBytes(main.Height, main.Width, layouts[i], next[i], parameters)) continue;
            chosen[i] = trace;
            cells += tableCells;
        }
        return chosen;
    }

    /// <summary>The trace without its zero rows at the end.</summary>
    private static ClearTrace Trimmed(int table, RowMajorMatrix main)
    {
        int rows = main.Height;
        while (rows > 0 && !main.Row(rows - 1).ContainsAnyExcept(BabyBear.Zero)) rows--;
        return new ClearTrace(table, rows, main.Width, main.Values.AsSpan(0, rows * main.Width).ToArray());
    }

    /// <summary>
    /// What the openings a clear table replaces take, in expectation: its main and LogUp values at its points z and z·ω,
    /// and at the distinct LDE rows the queries reach (of L rows, L·(1 − (1 − 1/L)^q)), in 31 bits each.
    /// </summary>
    private static double SavedBytes(int height, int mainWidth, LogUpLayout layout, NextColumns next, SecurityParameters parameters)
    {
        double lde = (double)((long)height << parameters.LogBlowup);
        double rows = lde * (1 - Math.Pow(1 - 1 / lde, parameters.NumQueries));
        int width = mainWidth + 4 * layout.Width;
        return (rows * width + (width + next.Main.Length + next.Aux.Length) * 4) * ProofWriter.FieldBits / 8;
    }

    /// <summary>The proof without what the verifier derives from <paramref name="clear"/>: those tables' main and LogUp openings.</summary>
    public static StarkProof Strip(StarkProof proof, ClearTrace?[] clear, IReadOnlyList<IAir> airs, LogUpLayout[] layouts)
    {
        if (clear.All(c => c is null)) return proof;
        var openings = (TableOpenings[])proof.Openings.Clone();
        var main = Rows(proof.Queries.Main);
        var aux = proof.Queries.Aux is null ? null : Rows(proof.Queries.Aux);
        for (int i = 0; i < clear.Length; i++)
        {
            if (clear[i] is null) continue;
            openings[i] = openings[i] with { Main = [], MainNext = [], Aux = [], AuxNext = [] };
            main[MatrixOf(i, t => airs[t].MainWidth > 0)] = [];
            if (layouts[i].Width > 0) aux![MatrixOf(i, t => layouts[t].Width > 0)] = [];
        }
        return proof with
        {
            Openings = openings,
            Queries = proof.Queries with
            {
                Main = proof.Queries.Main with { Rows = main },
                Aux = proof.Queries.Aux is null ? null : proof.Queries.Aux with { Rows = aux! },
            },
            Clear = [.. clear.Where(c => c is not null).Select(c => c!)],
        };
    }

    private static BabyBear[][][] Rows(MerkleBatchOpening opening) => (BabyBear[][][])opening.Rows.Clone();

    /// <summary>Where table <paramref name="table"/> sits among the matrices of a tree that holds the tables <paramref name="inTree"/>.</summary>
    private static int MatrixOf(int table, Func<int, bool> inTree) => Enumerable.Range(0, table).Count(inTree);
}

/// <summary>
/// The verifier's side of <see cref="ClearTables"/>: each clear table's trace, then, once the challenges are drawn, its
/// LogUp columns and both LDEs, from which it fills in the openings the proof leaves out.
/// </summary>
internal sealed class DerivedTables
{
    private readonly StarkStatement statement;
    private readonly StarkProof proof;
    private readonly LogUpLayout[] layouts;
    private readonly NextColumns[] next;
    private readonly ClearTrace?[] byTable;
    /// <summary>Per table in clear, where its main and LogUp columns lie in the LDE of its height's clear columns.</summary>
    private readonly (RowMajorMatrix Lde, int Offset, int Width)?[] mainLdes, auxLdes;

    public DerivedTables(StarkStatement statement, StarkProof proof, LogUpLayout[] layouts, NextColumns[] next)
    {
        this.statement = statement;
        this.proof = proof;
        this.layouts = layouts;
        this.next = next;
        byTable = new ClearTrace?[statement.Airs.Count];
        foreach (var c in proof.Clear) byTable[c.Table] = c;
        mainLdes = new (RowMajorMatrix, int, int)?[byTable.Length];
        auxLdes = new (RowMajorMatrix, int, int)?[byTable.Length];
    }

    public bool IsClear(int table) => byTable[table] is not null;

    /// <summary>
    /// Every count of the clear traces against the statement, before any is used: tables ascending and in range, each
    /// as wide as its AIR, no more rows than its height, all within <see cref="ClearTables.MaxCells"/>.
    /// </summary>
    public static void CheckShape(StarkStatement statement, StarkProof proof, LogUpLayout[] layouts)
    {
        if (proof.Clear is null) throw StarkVerifier.Reject(StarkErrors.Malformed, "no list of tables in clear");
        long cells = 0;
        int previous = -1;
        foreach (var c in proof.Clear)
        {
            if (c is null || c.Values is null || c.Table <= previous || c.Table >= statement.Airs.Count)
                throw StarkVerifier.Reject(StarkErrors.Malformed, $"tables in clear must be distinct tables of the statement in ascending order (table {c?.Table} after {previous})");
            previous = c.Table;
            var air = statement.Airs[c.Table];
            int logHeight = proof.LogHeights[c.Table];
            if (c.Width != air.MainWidth || c.Rows < 0 || c.Rows > 1 << logHeight || (long)c.Rows * c.Width != c.Values.Length)
                throw StarkVerifier.Reject(StarkErrors.Malformed, $"table '{air.Name}' in clear: {c.Rows} rows of {c.Width} columns, the table has 2^{logHeight} rows of {air.MainWidth}");
            cells += (long)(air.MainWidth + 4 * layouts[c.Table].Width) << logHeight;
            if (cells > ClearTables.MaxCells)
                throw StarkVerifier.Reject(StarkErrors.Malformed, $"the tables in clear hold more than {ClearTables.MaxCells} trace cells");
        }
    }

    /// <summary>
    /// The openings with every clear table's main and LogUp values at its points z and z·ω derived from its trace.
    /// </summary>
    /// <param name="points">Each table's out-of-domain point z (docs/PROTOCOL.md §8.3), outside its trace domain.</param>
    public TableOpenings[] Complete(LogUpChallenges challenges, BabyBearExt4[] points)
    {
        if (proof.Clear.Count == 0) return proof.Openings;
        var openings = (TableOpenings[])proof.Openings.Clone();
        int lb = proof.Parameters.LogBlowup;
        // Barycentric weights by height and point (z, z·ω), shared by the clear tables of one height.
        var weights = proof.Clear.GroupBy(c => proof.LogHeights[c.Table]).SelectMany(g => new[] { (g.Key, false, points[g.First().Table]), (g.Key, true, points[g.First().Table]) })
            .ToDictionary(key => (key.Key, key.Item2), key => Domain.BarycentricWeights(key.Item2 ? key.Item3 * BabyBear.TwoAdicGenerator(key.Key) : key.Item3, key.Key));
        var values = new (RowMajorMatrix Main, RowMajorMatrix? Aux)[byTable.Length];
        // Tables one by one on every core: each is small, and the verifier waits on the slowest.
        Parallel.ForEach(proof.Clear, Kernels.Options, clear =>
        {
            int i = clear.Table, logHeight = proof.LogHeights[i];
            var trace = new TableTrace(statement.Airs[i], clear.Padded(logHeight), statement.PublicValues[i]);
            BabyBearExt4[] atZeta = weights[(logHeight, false)], atNext = weights[(logHeight, true)];
            BabyBearExt4[] aux = [], auxNext = [];
            RowMajorMatrix? logUpValues = null;
            if (layouts[i].Width > 0)
            {
                // Its suffix sum need not start at the claimed cumulative sum: LogUp's first-row constraint checks that at z.
                logUpValues = LogUpTrace.Build(trace, layouts[i], challenges).Values;
                aux = Domain.EvaluateOutside(logUpValues, atZeta);
                auxNext = Domain.EvaluateOutside(logUpValues.Columns(next[i].Aux, logUpValues.Height), atNext);
            }
            values[i] = (trace.Main, logUpValues);
            openings[i] = openings[i] with
            {
                Main = Domain.EvaluateOutside(trace.Main, atZeta),
                MainNext = next[i].Main.Length == 0 ? [] : Domain.EvaluateOutside(trace.Main.Columns(next[i].Main, trace.Height), atNext),
                Aux = aux,
                AuxNext = auxNext,
            };
        });
        // One LDE per height of every clear table's main and LogUp columns side by side: a small transform costs mostly
        // its setup, and fibonacci's fifteen clear tables have six heights.
        foreach (var height in proof.Clear.GroupBy(c => proof.LogHeights[c.Table]))
        {
            var parts = height.SelectMany(c => new[] { (c.Table, Aux: false, Matrix: values[c.Table].Main), (c.Table, Aux: true, Matrix: values[c.Table].Aux) })
                .Where(p => p.Matrix is not null).ToArray();
            int width = parts.Sum(p => p.Matrix!.Width), rows = 1 << height.Key, offset = 0;
            var joined = new RowMajorMatrix(width, rows);
            foreach (var (_, _, matrix) in parts)
            {
                for (int r = 0; r < rows; r++) matrix!.Row(r).CopyTo(joined.Row(r)[offset..]);
                offset += matrix!.Width;
            }
            var lde = LowDegreeExtension.FromValuesConsuming(joined, lb);
            offset = 0;
            foreach (var (table, isAux, matrix) in parts)
            {
                (isAux ? auxLdes : mainLdes)[table] = (lde, offset, matrix!.Width);
                offset += matrix.Width;
            }
        }
        return openings;
    }

    /// <summary>The query openings with every clear table's main and LogUp rows at the queries taken from its LDEs (after <see cref="Complete"/>).</summary>
    public QueryOpenings CompleteQueries(QueryOpenings queries, int[] indices, int logMax)
    {
        if (proof.Clear.Count == 0) return queries;
        var main = Fill(queries.Main, mainLdes, t => statement.Airs[t].MainWidth > 0, indices, logMax);
        var aux = queries.Aux is null ? null : Fill(queries.Aux, auxLdes, t => layouts[t].Width > 0, indices, logMax);
        return queries with { Main = main, Aux = aux };
    }

    private MerkleBatchOpening Fill(MerkleBatchOpening opening, (RowMajorMatrix Lde, int Offset, int Width)?[] ldes, Func<int, bool> inTree, int[] indices, int logMax)
    {
        if (opening.Rows is null) return opening;
        var rows = (BabyBear[][][])opening.Rows.Clone();
        int m = 0;
        for (int i = 0; i < byTable.Length; i++)
        {
            if (!inTree(i)) continue;
            if (ldes[i] is var (lde, offset, width) && m < rows.Length)
            {
                if (rows[m] is not { Length: 0 })
                    throw StarkVerifier.Reject(StarkErrors.Malformed, $"table '{statement.Airs[i].Name}' is sent in clear and its rows are opened");
                int shift = logMax - BitOperations.Log2((uint)lde.Height);
                rows[m] = [.. MerkleTree.ReachedRows(indices, shift).Select(row => lde.Row(row).Slice(offset, width).ToArray())];
            }
            m++;
        }
        return opening with { Rows = rows };
    }
}
