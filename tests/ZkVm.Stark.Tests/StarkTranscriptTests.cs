using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Fri;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

/// <summary>
/// Frozen-heart regressions: for every item docs/PROTOCOL.md §8 absorbs, changing it changes the
/// challenges drawn after it (GHSA-8m24-3cfx-9fjw, GHSA-vrmm-4mm5-38vm, a16z/jolt #981/#1358/#1408).
/// </summary>
public class StarkTranscriptTests
{
    private sealed record Challenges(LogUpChallenges LogUp, BabyBearExt4 Alpha, BabyBearExt4 Zeta, BabyBearExt4 FirstDeep, int[] Queries);

    private static Challenges Derive(StarkStatement statement, StarkProof proof)
    {
        var shapes = statement.Airs.Select(AirShape.ForAir).ToArray();
        var layouts = shapes.Select(LogUpLayout.For).ToArray();
        var next = shapes.Select((s, i) => NextColumns.For(s, layouts[i])).ToArray();
        var (_, _, logUp, alpha, zeta, _, _, deep, transcript, _) = StarkVerifier.Replay(statement, proof, layouts, next);
        int logMax = proof.LogHeights.Max() + proof.Parameters.LogBlowup;
        int[] queries = FriVerifier.DeriveChallenges(StarkProver.FriParametersFor(proof.Parameters), proof.LogHeights.Distinct().Count(), logMax, proof.Fri, transcript).QueryIndices;
        return new(logUp, alpha, zeta, deep[0].FirstMainCoefficient, queries);
    }

    private static readonly TableTrace[] Tables = [.. StarkProverTests.RangeCheck(8, 1), FibonacciAir.Trace(8)];
    private static readonly StarkStatement Statement = StarkStatement.For(Tables);
    // Every table opened, so that every opening can be changed (the tables in clear have a test of their own).
    private static readonly StarkProof Proof = StarkProver.Prove(Tables, StarkSoundnessTests.Light, clear: ClearTablePolicy.None);
    private static readonly Challenges Baseline = Derive(Statement, Proof);

    private static Digest OtherDigest(Digest d)
    {
        var values = new BabyBear[Digest.Length];
        d.CopyTo(values);
        values[3] += BabyBear.One;
        return new Digest(values);
    }

    private static BabyBearExt4[] Bump(BabyBearExt4[] values, int i)
    {
        var copy = (BabyBearExt4[])values.Clone();
        copy[i] += BabyBearExt4.One;
        return copy;
    }

    /// <summary>Asserts that the first challenge after the item, and every later one, changed.</summary>
    private static void AssertChangedFrom(string stage, Challenges c, string item)
    {
        string[] order = ["logup", "alpha", "zeta", "deep", "queries"];
        int from = Array.IndexOf(order, stage);
        bool[] changed = [c.LogUp != Baseline.LogUp, c.Alpha != Baseline.Alpha, c.Zeta != Baseline.Zeta, c.FirstDeep != Baseline.FirstDeep, !c.Queries.SequenceEqual(Baseline.Queries)];
        for (int i = 0; i < order.Length; i++)
            Assert.True(i < from ? !changed[i] : changed[i], $"changing {item}: challenge '{order[i]}' {(changed[i] ? "changed" : "did not change")}");
    }

    public static TheoryData<string> StatementItems() =>
        ["log blowup", "queries", "pow bits", "final polynomial", "batching", "logup pow bits", "challenge pow bits", "table count", "air name", "main width", "fixed width", "height", "public value", "public bus", "verification key"];

    [Theory]
    [MemberData(nameof(StatementItems))]
    public void Parameters_and_statement_items_bind_every_challenge(string item)
    {
        StarkStatement statement = Statement;
        StarkProof proof = Proof;
        var p = proof.Parameters;
        switch (item)
        {
            case "log blowup": proof = proof with { Parameters = p with { LogBlowup = 2 } }; break;
            case "queries": proof = proof with { Parameters = p with { NumQueries = p.NumQueries + 1 } }; break;
            case "pow bits": proof = proof with { Parameters = p with { QueryPowBits = 1 } }; break;
            case "final polynomial": proof = proof with { Parameters = p with { LogFinalPolyLength = 0 } }; break;
            case "batching": proof = proof with { Parameters = p with { Batching = BatchingMode.Powers } }; break;
            case "logup pow bits": proof = proof with { Parameters = p with { LogUpPowBits = 1 } }; break;
            case "challenge pow bits": proof = proof with { Parameters = p with { ChallengePowBits = 1 } }; break;
            case "table count": statement = statement with { Airs = [.. statement.Airs, new FibonacciAir()], PublicValues = [.. statement.PublicValues, [BabyBear.Zero, BabyBear.One, BabyBear.One]] }; proof = proof with { LogHeights = [.. proof.LogHeights, 1] }; break;
            case "air name": statement = statement with { Airs = [statement.Airs[0], statement.Airs[1], new RenamedAir(statement.Airs[2])] }; break;
            case "main width": statement = statement with { Airs = [statement.Airs[0], statement.Airs[1], new WiderAir(statement.Airs[2])] }; break;
            case "fixed width": statement = statement with { Airs = [statement.Airs[0], statement.Airs[1], new WithFixedColumnAir(statement.Airs[2])] }; break;
            case "height": proof = proof with { LogHeights = [proof.LogHeights[0], proof.LogHeights[1], proof.LogHeights[2] + 1] }; break;
            case "public value": statement = statement with { PublicValues = [[], [], [BabyBear.Zero, BabyBear.One, BabyBear.FromCanonical(22)]] }; break;
            case "public bus": statement = statement with { PublicBus = [new PublicBusEntry(Buses.Byte, BabyBear.One, [BabyBear.One])] }; break;
            case "verification key": statement = statement with { Airs = [statement.Airs[0], new ShiftedByteTableAir(), statement.Airs[2]] }; break;
        }
        AssertChangedFrom("logup", Derive(statement, proof), item);
    }

    /// <summary>
    /// The public bus is bound through the Merkle root of its encoding, zero-padded: every part of every term, the
    /// terms' order and count, and a trailing zero value (which the padding alone would hide) must each move the
    /// challenges.
    /// </summary>
    [Fact]
    public void Every_part_of_every_public_bus_term_binds_the_challenges()
    {
        PublicBusEntry[] terms =
        [
            new(Buses.Byte, BabyBear.One, [BabyBear.FromCanonical(5), BabyBear.FromCanonical(6)]),
            new(Buses.Byte with { PerShard = true }, BabyBear.Zero - BabyBear.One, [BabyBear.FromCanonical(7)]),
        ];
        var baseline = Derive(Statement with { PublicBus = terms }, Proof);
        var variants = new List<(string, PublicBusEntry[])>
        {
            ("order", [terms[1], terms[0]]),
            ("a term dropped", [terms[0]]),
            ("a zero term added", [.. terms, new(Buses.Byte, BabyBear.Zero, [])]),
            ("a trailing zero value", [terms[0], terms[1] with { Values = [.. terms[1].Values, BabyBear.Zero] }]),
        };
        for (int t = 0; t < terms.Length; t++)
        {
            PublicBusEntry[] With(PublicBusEntry changed) { var copy = (PublicBusEntry[])terms.Clone(); copy[t] = changed; return copy; }
            variants.Add(($"term {t} bus", With(terms[t] with { Bus = Buses.Permutation })));
            if (terms[t].Bus.PerShard) variants.Add(($"term {t} shard", With(terms[t] with { Shard = 1 })));
            variants.Add(($"term {t} multiplicity", With(terms[t] with { Multiplicity = terms[t].Multiplicity + BabyBear.One })));
            for (int v = 0; v < terms[t].Values.Length; v++)
            {
                var values = (BabyBear[])terms[t].Values.Clone();
                values[v] += BabyBear.One;
                variants.Add(($"term {t} value {v}", With(terms[t] with { Values = values })));
            }
        }
        foreach (var (name, bus) in variants)
            Assert.True(Derive(Statement with { PublicBus = bus }, Proof).LogUp != baseline.LogUp, name);
    }

    [Fact]
    public void Commitments_sums_openings_and_fri_items_bind_the_challenges_after_them()
    {
        AssertChangedFrom("logup", Derive(Statement, Proof with { MainRoot = OtherDigest(Proof.MainRoot) }), "main commitment");
        AssertChangedFrom("logup", Derive(Statement, Proof with { LogUpPowWitness = Proof.LogUpPowWitness + BabyBear.One }), "LogUp proof-of-work witness");
        AssertChangedFrom("alpha", Derive(Statement, Proof with { AuxRoot = OtherDigest(Proof.AuxRoot!.Value) }), "LogUp commitment");
        for (int t = 0; t < Proof.CumulativeSums.Length; t++)
            AssertChangedFrom("alpha", Derive(Statement, Proof with { CumulativeSums = Bump(Proof.CumulativeSums, t) }), $"cumulative sum {t}");
        AssertChangedFrom("zeta", Derive(Statement, Proof with { QuotientRoot = OtherDigest(Proof.QuotientRoot) }), "quotient commitment");
        AssertChangedFrom("zeta", Derive(Statement, Proof with { DeepPowWitness = Proof.DeepPowWitness + BabyBear.One }), "proof-of-work witness before ζ");
        AssertChangedFrom("deep", Derive(Statement, Proof with { BatchingPowWitness = Proof.BatchingPowWitness + BabyBear.One }), "proof-of-work witness before the DEEP coefficients");
        Assert.Contains(Proof.Openings, o => o.MainNext.Length > 0);
        Assert.Contains(Proof.Openings, o => o.AuxNext.Length > 0);
        for (int t = 0; t < Proof.Openings.Length; t++)
        {
            var o = Proof.Openings[t];
            // Only the columns read on the next row are opened at ζω (NextColumns).
            var variants = new (string, TableOpenings)[]
            {
                ("main at ζ", o with { Main = Bump(o.Main, 0) }),
            };
            // The one quotient's parts at ζ go with the first tallest table.
            if (o.Quotient.Length > 0) variants = [.. variants, ("quotient at ζ", o with { Quotient = Bump(o.Quotient, 7) })];
            if (o.MainNext.Length > 0) variants = [.. variants, ("main at ζω", o with { MainNext = Bump(o.MainNext, o.MainNext.Length - 1) })];
            var extra = o.Preprocessed.Length > 0 ? new[] { ("fixed at ζ", o with { Preprocessed = Bump(o.Preprocessed, 0) }) } : [];
            if (o.PreprocessedNext.Length > 0) extra = [.. extra, ("fixed at ζω", o with { PreprocessedNext = Bump(o.PreprocessedNext, 0) })];
            var aux = o.Aux.Length > 0 ? new[] { ("LogUp at ζ", o with { Aux = Bump(o.Aux, 1) }), ("LogUp at ζω", o with { AuxNext = Bump(o.AuxNext, 2) }) } : [];
            foreach (var (name, changed) in variants.Concat(extra).Concat(aux))
            {
                var openings = (TableOpenings[])Proof.Openings.Clone();
                openings[t] = changed;
                AssertChangedFrom("deep", Derive(Statement, Proof with { Openings = openings }), $"table {t} {name}");
            }
        }
        var fri = Proof.Fri;
        AssertChangedFrom("queries", Derive(Statement, Proof with { Fri = fri with { Commitments = [OtherDigest(fri.Commitments[0]), .. fri.Commitments[1..]] } }), "FRI layer commitment");
        AssertChangedFrom("queries", Derive(Statement, Proof with { Fri = fri with { FinalPolynomial = Bump(fri.FinalPolynomial, 0) } }), "FRI final polynomial");
        AssertChangedFrom("queries", Derive(Statement, Proof with { Fri = fri with { PowWitness = fri.PowWitness + BabyBear.One } }), "proof-of-work witness");
        AssertChangedFrom("queries", Derive(Statement, Proof with { Fri = fri with { CommitPowWitnesses = [fri.CommitPowWitnesses[0] + BabyBear.One, .. fri.CommitPowWitnesses[1..]] } }), "FRI layer proof-of-work witness");
    }

    private sealed class RenamedAir(IAir inner) : IAir
    {
        public string Name => inner.Name + "'";
        public int MainWidth => inner.MainWidth;
        public int PublicValueCount => inner.PublicValueCount;
        public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => inner.Eval<TB, TE>(b);
    }

    private sealed class WiderAir(IAir inner) : IAir
    {
        public string Name => inner.Name;
        public int MainWidth => inner.MainWidth + 1;
        public int PublicValueCount => inner.PublicValueCount;
        public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => inner.Eval<TB, TE>(b);
    }

    private sealed class WithFixedColumnAir(IAir inner) : IAir
    {
        public string Name => inner.Name;
        public int MainWidth => inner.MainWidth;
        public int PreprocessedWidth => 1;
        public int PublicValueCount => inner.PublicValueCount;
        public RowMajorMatrix? Preprocessed(int height) => new(1, height);
        public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => inner.Eval<TB, TE>(b);
    }

    private sealed class ShiftedByteTableAir : IAir
    {
        private readonly ByteTableAir inner = new();
        public string Name => inner.Name;
        public int MainWidth => 1;
        public int PreprocessedWidth => 1;
        public RowMajorMatrix? Preprocessed(int height)
        {
            var m = inner.Preprocessed(height)!;
            m[0, 0] = BabyBear.FromCanonical(256);
            return m;
        }
        public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => inner.Eval<TB, TE>(b);
    }
}
