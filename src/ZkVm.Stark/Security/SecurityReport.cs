using System.Globalization;
using System.Text;

namespace ZkVm.Stark.Security;

/// <summary>Which soundness analysis a figure rests on.</summary>
public enum SecurityRegime
{
    /// <summary>Provable: FRI in the unique decoding regime (list size 1).</summary>
    Proven,

    /// <summary>ethSTARK toy-problem conjecture for FRI; the capacity conjectures behind it were disproved in 2025.</summary>
    Conjectured,
}

/// <summary>The names of the terms in a <see cref="SecurityReport"/>, in table order.</summary>
public static class SecurityTermNames
{
    public const string Ali = "ALI";
    public const string Deep = "DEEP";
    public const string FriBatching = "FRI batching";
    public const string FriCommitPhase = "FRI commit phase";
    public const string FriQueryPhase = "FRI query phase";
    public const string LogUp = "LogUp";
    public const string HashCollision = "Poseidon2 collision";
}

/// <summary>
/// One error term in bits, −log2 of its probability, in both regimes. Bits are exact doubles (not rounded);
/// an error of zero (e.g. no LogUp fractions) is <see cref="double.PositiveInfinity"/>.
/// </summary>
public sealed record SecurityTerm(string Name, double ProvenBits, double ConjecturedBits)
{
    public double Bits(SecurityRegime regime) => regime == SecurityRegime.Proven ? ProvenBits : ConjecturedBits;
}

/// <summary>The bits of every soundness term of one parameter set and circuit shape; a regime's total is the weakest term.</summary>
public sealed class SecurityReport
{
    internal SecurityReport(SecurityParameters parameters, CircuitShape shape, IReadOnlyList<SecurityTerm> terms, UInt128 multiplicityBound)
    {
        Parameters = parameters;
        Shape = shape;
        Terms = terms;
        MultiplicityBound = multiplicityBound;
    }

    public SecurityParameters Parameters { get; }
    public CircuitShape Shape { get; }
    public IReadOnlyList<SecurityTerm> Terms { get; }

    /// <summary>Σ rows × max multiplicity over the bus, checked to be below p.</summary>
    public UInt128 MultiplicityBound { get; }

    public double ProvenBits => Bits(SecurityRegime.Proven);
    public double ConjecturedBits => Bits(SecurityRegime.Conjectured);

    public double Bits(SecurityRegime regime) => Weakest(regime).Bits(regime);

    /// <summary>The term with the fewest bits in <paramref name="regime"/> (the first one on a tie).</summary>
    public SecurityTerm Weakest(SecurityRegime regime) => Terms.MinBy(term => term.Bits(regime))!;

    public SecurityTerm this[string name] => Terms.Single(term => term.Name == name);

    /// <summary>A plain-text bit table (term | proven bits | conjectured bits) for <c>zkvm inspect</c>.</summary>
    public string ToTable()
    {
        const int NameWidth = 22;
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture,
            $"log blowup {Parameters.LogBlowup}, {Parameters.NumQueries} queries, {Parameters.QueryPowBits} PoW bits, ")
            .Append(CultureInfo.InvariantCulture,
            $"log final poly {Parameters.LogFinalPolyLength}, batching {Parameters.Batching}; ")
            .Append(CultureInfo.InvariantCulture,
            $"n = 2^{Shape.LogMaxTraceLength}, {Shape.NumConstraints} constraints of degree <= {Shape.MaxConstraintDegree}, ")
            .Append(CultureInfo.InvariantCulture,
            $"batch {Shape.BatchSize}, LogUp terms per row {Shape.NumLogUpFractions}, multiplicity bound {MultiplicityBound} < p\n");
        table.Append($"{"term",-NameWidth} | {"proven",11} | {"conjectured",11}\n");
        table.Append(new string('-', NameWidth)).Append("-+-").Append(new string('-', 11)).Append("-+-").Append(new string('-', 11)).Append('\n');
        foreach (SecurityTerm term in Terms)
            table.Append($"{term.Name,-NameWidth} | {Format(term.ProvenBits),11} | {Format(term.ConjecturedBits),11}\n");
        table.Append($"{"total (weakest term)",-NameWidth} | {Format(ProvenBits),11} | {Format(ConjecturedBits),11}\n");
        return table.ToString();
    }

    /// <summary>Bits rounded down to 0.01, so that a printed figure never overstates.</summary>
    internal static string Format(double bits) =>
        double.IsPositiveInfinity(bits) ? "inf" : (Math.Floor(bits * 100) / 100).ToString("F2", CultureInfo.InvariantCulture);
}
