using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>The committed values of one table at one LDE point, tree by tree.</summary>
internal readonly ref struct DeepRow(ReadOnlySpan<BabyBear> preprocessed, ReadOnlySpan<BabyBear> main, ReadOnlySpan<BabyBear> aux, ReadOnlySpan<BabyBear> quotient)
{
    public ReadOnlySpan<BabyBear> Preprocessed { get; } = preprocessed;
    public ReadOnlySpan<BabyBear> Main { get; } = main;
    public ReadOnlySpan<BabyBear> Aux { get; } = aux;
    public ReadOnlySpan<BabyBear> Quotient { get; } = quotient;
}

/// <summary>
/// Draws the DEEP batching coefficients, one per (column, point) term in the order of the openings
/// (preprocessed, main and LogUp columns at ζ and at ζ·ω, then quotient parts at ζ), independently or
/// as powers of one challenge as the parameters say, and serves them table by table.
/// </summary>
internal sealed class DeepComposition(SecurityParameters parameters, Transcript transcript)
{
    private BabyBearExt4? powerBase;
    private BabyBearExt4 nextPower = BabyBearExt4.One;

    private BabyBearExt4 Next()
    {
        if (parameters.Batching == BatchingMode.IndependentCoefficients) return transcript.SampleExt();
        powerBase ??= transcript.SampleExt();
        BabyBearExt4 current = nextPower;
        nextPower *= powerBase.Value;
        return current;
    }

    private BabyBearExt4[] Draw(int count)
    {
        var values = new BabyBearExt4[count];
        for (int i = 0; i < count; i++) values[i] = Next();
        return values;
    }

    public DeepCoefficients Coefficients(TableOpenings o, NextColumns next) => new(
        Draw(o.Preprocessed.Length), Draw(o.PreprocessedNext.Length),
        Draw(o.Main.Length), Draw(o.MainNext.Length),
        Draw(o.Aux.Length), Draw(o.AuxNext.Length),
        Draw(o.Quotient.Length), o, next);
}

/// <summary>One table's DEEP coefficients with the constant parts Σγ·f(z) already summed; the ζω terms are those of <see cref="Next"/>.</summary>
internal sealed class DeepCoefficients
{
    private readonly BabyBearExt4[] pre, preNext, main, mainNext, aux, auxNext, quotient;
    private readonly BabyBearExt4 atZeta, atNext;

    public DeepCoefficients(BabyBearExt4[] pre, BabyBearExt4[] preNext, BabyBearExt4[] main, BabyBearExt4[] mainNext,
        BabyBearExt4[] aux, BabyBearExt4[] auxNext, BabyBearExt4[] quotient, TableOpenings o, NextColumns next)
    {
        (this.pre, this.preNext, this.main, this.mainNext, this.aux, this.auxNext, this.quotient) = (pre, preNext, main, mainNext, aux, auxNext, quotient);
        Next = next;
        atZeta = Dot(pre, o.Preprocessed) + Dot(main, o.Main) + Dot(aux, o.Aux) + Dot(quotient, o.Quotient);
        atNext = Dot(preNext, o.PreprocessedNext) + Dot(mainNext, o.MainNext) + Dot(auxNext, o.AuxNext);
    }

    /// <summary>The columns with a ζω term, per tree.</summary>
    internal NextColumns Next { get; }

    /// <summary>The coefficient of the first main column at ζ (what the transcript tests compare).</summary>
    internal BabyBearExt4 FirstMainCoefficient => main[0];

    /// <summary>The coefficients of the ζ terms, tree by tree (fixed, main, LogUp, quotient), and of the ζω terms (no quotient).</summary>
    internal (BabyBearExt4[] Pre, BabyBearExt4[] Main, BabyBearExt4[] Aux, BabyBearExt4[] Quotient) AtZetaCoefficients => (pre, main, aux, quotient);
    internal (BabyBearExt4[] Pre, BabyBearExt4[] Main, BabyBearExt4[] Aux) AtNextCoefficients => (preNext, mainNext, auxNext);

    /// <summary>Σ γ·f(ζ) and Σ γ'·f(ζω): the constant parts of the two sums.</summary>
    internal (BabyBearExt4 AtZeta, BabyBearExt4 AtNext) Constants => (atZeta, atNext);

    private static BabyBearExt4 Dot(BabyBearExt4[] a, BabyBearExt4[] b)
    {
        BabyBearExt4 sum = BabyBearExt4.Zero;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Σ a[i]·b[columns[i]].</summary>
    private static BabyBearExt4 Dot(BabyBearExt4[] a, int[] columns, ReadOnlySpan<BabyBear> b)
    {
        BabyBearExt4 sum = BabyBearExt4.Zero;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[columns[i]];
        return sum;
    }

    private static BabyBearExt4 Dot(BabyBearExt4[] a, ReadOnlySpan<BabyBear> b)
    {
        BabyBearExt4 sum = BabyBearExt4.Zero;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Σ γ·(f(x) − f(ζ))/(x − ζ) + Σ γ'·(f(x) − f(ζω))/(x − ζω) at one point x, given the two inverses.</summary>
    public BabyBearExt4 Evaluate(DeepRow row, BabyBearExt4 inverseToZeta, BabyBearExt4 inverseToNext)
    {
        BabyBearExt4 zetaTerms = Dot(pre, row.Preprocessed) + Dot(main, row.Main) + Dot(aux, row.Aux) + Dot(quotient, row.Quotient);
        BabyBearExt4 nextTerms = Dot(preNext, Next.Preprocessed, row.Preprocessed) + Dot(mainNext, Next.Main, row.Main) + Dot(auxNext, Next.Aux, row.Aux);
        return (zetaTerms - atZeta) * inverseToZeta + (nextTerms - atNext) * inverseToNext;
    }
}
