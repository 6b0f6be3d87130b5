using System.Globalization;
using System.Text;

namespace ZkVm.Stark.Security;

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
/// One error term: its exact probability in both regimes, and its bits, −log2 of it. Bits are exact doubles (not
/// rounded); an error of zero (e.g. no LogUp fractions) is <see cref="double.PositiveInfinity"/>.
/// </summary>
public sealed record SecurityTerm(string Name, Probability ProvenError, Probability ConjecturedError)
{
    public double ProvenBits => ProvenError.Bits;
    public double ConjecturedBits => ConjecturedError.Bits;

    public Probability Error(SecurityRegime regime) => regime == SecurityRegime.Proven ? ProvenError : ConjecturedError;
    public double Bits(SecurityRegime regime) => Error(regime).Bits;
}

/// <summary>
/// The bits of every soundness term of one parameter set and circuit shape. A regime's total error is the sum
/// of its terms' errors (union bound): a prover wins if any one of the events happens.
/// </summary>
public sealed class SecurityReport
{
    internal SecurityReport(SecurityParameters parameters, CircuitShape shape, IReadOnlyList<SecurityTerm> terms, UInt128 multiplicityBound)
    {
        Parameters = parameters;
        Shape = shape;
        Terms = terms;
        MultiplicityBound = multiplicityBound;
        ProvenError = Sum(SecurityRegime.Proven);
        ConjecturedError = Sum(SecurityRegime.Conjectured);
    }

    public SecurityParameters Parameters { get; }
    public CircuitShape Shape { get; }
    public IReadOnlyList<SecurityTerm> Terms { get; }

    /// <summary>Σ rows × max multiplicity over the bus, checked to be below p.</summary>
    public UInt128 MultiplicityBound { get; }

    /// <summary>The total proven soundness error: the sum of every term's.</summary>
    public Probability ProvenError { get; }

    /// <summary>The total conjectured soundness error: the sum of every term's.</summary>
    public Probability ConjecturedError { get; }

    public double ProvenBits => ProvenError.Bits;
    public double ConjecturedBits => ConjecturedError.Bits;

    public Probability Error(SecurityRegime regime) => regime == SecurityRegime.Proven ? ProvenError : ConjecturedError;

    /// <summary>−log2 of the total error; never more than the weakest term's bits.</summary>
    public double Bits(SecurityRegime regime) => Error(regime).Bits;

    /// <summary>The term with the fewest bits in <paramref name="regime"/> (the first one on a tie): the one to improve first.</summary>
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
            $"{Parameters.ChallengePowBits} challenge PoW bits, {Parameters.LogUpPowBits} LogUp PoW bits, ")
            .Append(CultureInfo.InvariantCulture,
            $"log final poly {Parameters.LogFinalPolyLength}, batching {Parameters.Batching}; ")
            .Append(CultureInfo.InvariantCulture,
            $"n = 2^{Shape.LogMaxTraceLength}, {Shape.NumConstraints} constraints of degree <= {Shape.MaxConstraintDegree}, ")
            .Append(CultureInfo.InvariantCulture,
            $"batch {Shape.BatchSize}, LogUp terms per row {Shape.NumLogUpFractions} of arity <= {Shape.MaxTupleArity}, multiplicity bound {MultiplicityBound} < p\n");
        table.Append($"{"term",-NameWidth} | {"proven",11} | {"conjectured",11}\n");
        table.Append(new string('-', NameWidth)).Append("-+-").Append(new string('-', 11)).Append("-+-").Append(new string('-', 11)).Append('\n');
        foreach (SecurityTerm term in Terms)
            table.Append($"{term.Name,-NameWidth} | {Format(term.ProvenBits),11} | {Format(term.ConjecturedBits),11}\n");
        table.Append($"{"total (sum of errors)",-NameWidth} | {Format(ProvenBits),11} | {Format(ConjecturedBits),11}\n");
        return table.ToString();
    }

    private Probability Sum(SecurityRegime regime)
    {
        Probability total = Probability.Zero;
        foreach (SecurityTerm term in Terms) total += term.Error(regime);
        return total;
    }

    /// <summary>Bits rounded down to 0.01, so that a printed figure never overstates.</summary>
    internal static string Format(double bits) =>
        double.IsPositiveInfinity(bits) ? "inf" : (Math.Floor(bits * 100) / 100).ToString("F2", CultureInfo.InvariantCulture);
}
