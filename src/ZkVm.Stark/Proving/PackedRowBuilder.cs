using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Proving;

/// <summary>The rows a packed builder walks: where each row's next row is, and the selectors on each row.</summary>
internal interface IRowDomain
{
    int[] NextRow { get; }
    BabyBear[] First { get; }
    BabyBear[] Last { get; }
    BabyBear[] Transition { get; }
}

/// <summary>The trace's own rows: the next row of the last is the first; selectors are 0 or 1.</summary>
internal sealed class TraceDomain : IRowDomain
{
    public TraceDomain(int height)
    {
        NextRow = [.. Enumerable.Range(0, height).Select(r => (r + 1) % height)];
        First = new BabyBear[height];
        Last = new BabyBear[height];
        Transition = new BabyBear[height];
        First[0] = BabyBear.One;
        Last[height - 1] = BabyBear.One;
        Transition.AsSpan(0, height - 1).Fill(BabyBear.One);
    }

    public int[] NextRow { get; }
    public BabyBear[] First { get; }
    public BabyBear[] Last { get; }
    public BabyBear[] Transition { get; }
}

/// <summary>
/// The prover's builder: evaluates a table's constraints on TP.Width consecutive rows at once, one row
/// per lane. Over the quotient domain g·H₂ₙ (the first 2n rows of the bit-reversed LDEs, where the next
/// row of x is x·ωₙ, row bitrev(bitrev(r) + 2)) it combines them as Σ αᴷ⁻¹⁻ᵏ·cₖ, the value the verifier's
/// Horner folding gives. Over the trace itself, without combination, it collects the bus interactions
/// from which the LogUp columns are built.
/// </summary>
internal sealed class PackedRowBuilder<TP> : ILogUpBuilder<PackedExtension<TP>> where TP : unmanaged, IPackedField<TP>
{
    private readonly IAir air;
    private readonly RowMajorMatrix main;
    private readonly RowMajorMatrix? preprocessed, aux;
    private readonly BabyBear[] publicValues;
    private readonly LogUpLayout? layout;
    private readonly IRowDomain domain;
    private readonly PackedExtension<TP>[] alphaPowers;
    private readonly PackedExtension<TP> logUpAlpha, logUpBeta, cumulativeSum;
    private readonly List<BusEntry<PackedExtension<TP>>> entries = [];
    private readonly int[] rows = new int[TP.Width], nextRows = new int[TP.Width];
    private readonly BabyBear[] lanes = new BabyBear[TP.Width];
    private int first, constraint;
    private PackedExtension<TP> accumulator;

    /// <summary>A builder over the quotient domain that folds every constraint, LogUp's included.</summary>
    public PackedRowBuilder(TableData table, QuotientDomain domain, BabyBearExt4 alpha, int constraintCount, LogUpChallenges challenges, BabyBearExt4 cumulativeSum)
        : this(table.Air, table.MainLde!, table.PreprocessedLde, table.AuxLde, table.PublicValues, table.Layout, domain)
    {
        alphaPowers = new PackedExtension<TP>[constraintCount];
        BabyBearExt4 power = BabyBearExt4.One;
        for (int k = constraintCount - 1; k >= 0; k--)
        {
            alphaPowers[k] = PackedExtension<TP>.Broadcast(power);
            power *= alpha;
        }
        logUpAlpha = PackedExtension<TP>.Broadcast(challenges.Alpha);
        logUpBeta = PackedExtension<TP>.Broadcast(challenges.Beta);
        Shard = challenges.Shard;
        this.cumulativeSum = PackedExtension<TP>.Broadcast(cumulativeSum);
    }

    /// <summary>A builder over the trace that only collects interactions (<see cref="Entries"/>).</summary>
    public PackedRowBuilder(TableTrace trace)
        : this(trace.Air, trace.Main, trace.Preprocessed, null, trace.PublicValues, null, new TraceDomain(trace.Height))
    {
    }

    private PackedRowBuilder(IAir air, RowMajorMatrix main, RowMajorMatrix? preprocessed, RowMajorMatrix? aux, BabyBear[] publicValues, LogUpLayout? layout, IRowDomain domain)
    {
        (this.air, this.main, this.preprocessed, this.aux, this.publicValues, this.layout, this.domain) = (air, main, preprocessed, aux, publicValues, layout, domain);
        alphaPowers = [];
    }

    /// <summary>The interactions of the rows last evaluated, in interaction order, multiplicities signed.</summary>
    public IReadOnlyList<BusEntry<PackedExtension<TP>>> Entries => entries;

    /// <summary>The combined constraints at rows [firstRow, firstRow + TP.Width) of the quotient domain.</summary>
    public PackedExtension<TP> Evaluate(int firstRow)
    {
        first = firstRow;
        for (int k = 0; k < TP.Width; k++)
        {
            rows[k] = firstRow + k;
            nextRows[k] = domain.NextRow[firstRow + k];
        }
        accumulator = PackedExtension<TP>.Broadcast(BabyBearExt4.Zero);
        constraint = 0;
        entries.Clear();
        air.Eval<PackedRowBuilder<TP>, PackedExtension<TP>>(this);
        if (layout is null) return accumulator;
        LogUpConstraints.Eval<PackedRowBuilder<TP>, PackedExtension<TP>>(this, layout, entries);
        if (constraint != alphaPowers.Length)
            throw new InvalidOperationException($"table '{air.Name}' produced {constraint} constraints, expected {alphaPowers.Length}");
        return accumulator;
    }

    private TP Gather(RowMajorMatrix m, int[] at, int column)
    {
        for (int k = 0; k < lanes.Length; k++) lanes[k] = m.Values[at[k] * m.Width + column];
        return TP.Load(ref lanes[0]);
    }

    private PackedExtension<TP> GatherExtension(RowMajorMatrix m, int[] at, int column) =>
        new(Gather(m, at, 4 * column), Gather(m, at, 4 * column + 1), Gather(m, at, 4 * column + 2), Gather(m, at, 4 * column + 3));

    private PackedExtension<TP> Contiguous(BabyBear[] values) => new(TP.Load(ref values[first]));

    public PackedExtension<TP> Main(int column) => new(Gather(main, rows, column));
    public PackedExtension<TP> MainNext(int column) => new(Gather(main, nextRows, column));
    public PackedExtension<TP> Preprocessed(int column) => new(Gather(preprocessed!, rows, column));
    public PackedExtension<TP> PreprocessedNext(int column) => new(Gather(preprocessed!, nextRows, column));
    public PackedExtension<TP> Public(int index) => PackedExtension<TP>.Constant(publicValues[index]);
    public PackedExtension<TP> IsFirstRow => Contiguous(domain.First);
    public PackedExtension<TP> IsLastRow => Contiguous(domain.Last);
    public PackedExtension<TP> IsTransition => Contiguous(domain.Transition);
    public PackedExtension<TP> Aux(int column) => GatherExtension(aux!, rows, column);
    public PackedExtension<TP> AuxNext(int column) => GatherExtension(aux!, nextRows, column);
    public PackedExtension<TP> Alpha => logUpAlpha;
    public PackedExtension<TP> Beta => logUpBeta;
    public uint Shard { get; }
    public PackedExtension<TP> CumulativeSum => cumulativeSum;

    public void AssertZero(PackedExtension<TP> c, string name = "")
    {
        if (alphaPowers.Length > 0) accumulator += alphaPowers[constraint++] * c;
    }

    public void Send(Bus bus, PackedExtension<TP> multiplicity, params ReadOnlySpan<PackedExtension<TP>> values) =>
        entries.Add(new(bus, multiplicity, values.ToArray()));

    public void Receive(Bus bus, PackedExtension<TP> multiplicity, params ReadOnlySpan<PackedExtension<TP>> values) =>
        entries.Add(new(bus, -multiplicity, values.ToArray()));
}

/// <summary>The quotient domain g·H₂ₙ of a table of height n, bit-reversed, with its selectors and 1/Z_H.</summary>
internal sealed class QuotientDomain : IRowDomain
{
    public QuotientDomain(int logN)
    {
        int size = 2 << logN, logSize = logN + 1;
        BabyBear[] points = Domain.BitReversedPoints(logSize);
        NextRow = new int[size];
        for (int r = 0; r < size; r++)
            NextRow[r] = BitReversal.Reverse((BitReversal.Reverse(r, logSize) + 2) & (size - 1), logSize);

        BabyBear last = BabyBear.TwoAdicGenerator(logN).Inverse();
        BabyBear nInverse = BabyBear.FromCanonical(1u << logN).Inverse();
        var toFirst = new BabyBear[size];
        var toLast = new BabyBear[size];
        var vanishing = new BabyBear[size];
        for (int r = 0; r < size; r++)
        {
            toFirst[r] = points[r] - BabyBear.One;
            toLast[r] = points[r] - last;
            vanishing[r] = Domain.Vanishing(points[r], logN);
        }
        var invFirst = new BabyBear[size];
        var invLast = new BabyBear[size];
        InverseVanishing = new BabyBear[size];
        FieldMath.BatchInverse<BabyBear>(toFirst, invFirst);
        FieldMath.BatchInverse<BabyBear>(toLast, invLast);
        FieldMath.BatchInverse<BabyBear>(vanishing, InverseVanishing);
        First = new BabyBear[size];
        Last = new BabyBear[size];
        Transition = toLast;
        for (int r = 0; r < size; r++)
        {
            First[r] = vanishing[r] * invFirst[r] * nInverse;
            Last[r] = vanishing[r] * invLast[r] * (nInverse * last);
        }
    }

    public int[] NextRow { get; }
    public BabyBear[] First { get; }
    public BabyBear[] Last { get; }
    public BabyBear[] Transition { get; }
    public BabyBear[] InverseVanishing { get; }
}
