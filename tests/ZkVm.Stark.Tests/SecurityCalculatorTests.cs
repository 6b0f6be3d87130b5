using ZkVm.Stark.Security;

namespace ZkVm.Stark.Tests;

/// <summary>
/// Expected bits are literals computed independently with exact rationals and 50-digit mpmath, not with this
/// calculator. Throughout: p = 2013265921, |F| = p^4, log2 |F| = 4·log2 p = 123.627562385.
/// </summary>
public class SecurityCalculatorTests
{
    private const double Tolerance = 1e-6;
    private const double FieldBits = 123.627562385;

    // Set A: log blowup 1, 203 queries, 16 PoW, log final poly 0, n = 2^20 (one table), 100 constraints of degree 3,
    // m = 2, batch 200 with powers, ℓ = 8 of arity ≤ 4. D = 2^21, ρ = 1/2.
    //   ALI      100/|F|                                → 123.627562385 − log2 100       = 116.983706196
    //   DEEP     (3·(2^20 + 1) + 2^20 − 1)/(|F| − 2^20 − 2^21) = (2^22 + 2)/…             → 101.627561697
    //   batching (200 − 1)·2^21/|F| (one height)         → 123.627562385 − 21 − log2 199  = 94.990937765
    //   commit   rounds of arity 8 fold 2^21 → 2^18 → … → 2^3, then arity 4 to 2^1, so degrees 7 and 3:
    //            (7·(2^21 + 2^18 + 2^15 + 2^12 + 2^9 + 2^6) + 3·2^3)/|F|                 → 99.627565825
    //   query    203·(−log2 0.75) + 16 = 203·0.415037499 + 16                             = 100.252612354
    //   LogUp    8·4·(2^20 − 1)/(|F| − 2^20)                                             → 98.627563761
    //   hash     1/|F|                                                                    = 123.627562385
    //   total    the sum of the seven errors                                              → 94.780898625
    //   conjectured: query 203·1 + 16 = 219, batching and commit 1/|F|; total            → 98.457634594
    [Fact]
    public void Set_A_matches_the_hand_computation()
    {
        SecurityReport report = SecurityCalculator.Compute(
            new SecurityParameters(1, 203, 16, 0, BatchingMode.Powers),
            new CircuitShape(20, 100, 3, 2, 200, 8, 1L << 22, 1, 4, 1L << 20));

        AssertBits(report, SecurityTermNames.Ali, 116.983706196, 116.983706196);
        AssertBits(report, SecurityTermNames.Deep, 101.627561697, 101.627561697);
        AssertBits(report, SecurityTermNames.FriBatching, 94.990937765, FieldBits);
        AssertBits(report, SecurityTermNames.FriCommitPhase, 99.627565825, FieldBits);
        AssertBits(report, SecurityTermNames.FriQueryPhase, 100.252612354, 219);
        AssertBits(report, SecurityTermNames.LogUp, 98.627563761, 98.627563761);
        AssertBits(report, SecurityTermNames.HashCollision, FieldBits, FieldBits);
        Assert.Equal(94.780898625, report.ProvenBits, Tolerance);
        Assert.Equal(SecurityTermNames.FriBatching, report.Weakest(SecurityRegime.Proven).Name);
        Assert.Equal(98.457634594, report.ConjecturedBits, Tolerance);
        Assert.Equal(SecurityTermNames.LogUp, report.Weakest(SecurityRegime.Conjectured).Name);
        Assert.Equal((UInt128)(1L << 22), report.MultiplicityBound);
    }

    // Set B: log blowup 2, 124 queries, 16 PoW, log final poly 3, tables of 2^16, 2^15 and 2^12 rows, 500
    // constraints of degree 2, m = 2, batch 64 with independent coefficients, ℓ = 4 of arity ≤ 2. D = 2^18, ρ = 1/4.
    //   ALI      500/|F|                                 → 123.627562385 − log2 500      = 114.661778101
    //   DEEP     three heights share the quotient: ((2 + 2)·(2^16 + 1) + 2^16 − 1)/(|F| − 3·(2^16 + 2^18))  → 105.305621082
    //   batching (2^18 + 2^17 + 2^14)/|F|, one batch per height (independent: no factor 63), and 2^18/|F| for lifting
    //            the lower heights into the tallest: (2^19 + 2^17 + 2^14)/|F|               → 104.270010381
    //   commit   rounds fold 2^18 → 2^15 → 2^12 → 2^9 → 2^6 (arity 8, degree 7, whatever the lower tables), then
    //            2^6 → 2^5 (arity 2, degree 1): (7·(2^18 + 2^15 + 2^12 + 2^9) + 2^6)/|F|       → 102.627870611
    //   query    124·(−log2 0.625) + 16 = 124·0.678071905 + 16                            = 100.080916234
    //   LogUp    4·2·(2^16 − 1)/(|F| − 2^16)                                             → 104.627584399
    //   total                                                                             → 99.707396840
    //   conjectured: query 124·2 + 16 = 264; total                                       → 103.926279616
    [Fact]
    public void Set_B_matches_the_hand_computation()
    {
        SecurityReport report = SecurityCalculator.Compute(
            new SecurityParameters(2, 124, 16, 3, BatchingMode.IndependentCoefficients),
            new CircuitShape(16, 500, 2, 2, 64, 4, 1L << 20, 16, 2, CircuitShape.HeightsOf([16, 15, 12])));

        AssertBits(report, SecurityTermNames.Ali, 114.661778101, 114.661778101);
        AssertBits(report, SecurityTermNames.Deep, 105.305621082, 105.305621082);
        AssertBits(report, SecurityTermNames.FriBatching, 104.270010381, FieldBits);
        AssertBits(report, SecurityTermNames.FriCommitPhase, 102.627870611, FieldBits);
        AssertBits(report, SecurityTermNames.FriQueryPhase, 100.080916234, 264);
        AssertBits(report, SecurityTermNames.LogUp, 104.627584399, 104.627584399);
        Assert.Equal(99.707396840, report.ProvenBits, Tolerance);
        Assert.Equal(SecurityTermNames.FriQueryPhase, report.Weakest(SecurityRegime.Proven).Name);
        Assert.Equal(103.926279616, report.ConjecturedBits, Tolerance);
    }

    // Set C (conjectured regime check): log blowup 3, 40 queries, 0 PoW, log final poly 2, n = 2^10 (one table),
    // 10 constraints of degree 3, batch 16 with powers, ℓ = 2 of arity 0 (a fingerprint α + bus, degree 1).
    // D = 2^13, ρ = 1/8.
    //   conjectured query (ethSTARK toy): 40·3 + 0 = 120 < 123.63 field bits, so the toy figure is 120;
    //   proven query: 40·(−log2 0.5625) = 40·0.830074999                                 = 33.202999942
    //   ALI      10/|F|                                  → 123.627562385 − log2 10       = 120.305634290
    //   DEEP     (3·(2^10 + 1) + 2^10 − 1)/(|F| − 2^10 − 2^13) = (2^12 + 2)/…              → 111.626858116
    //   batching 15·2^13/|F|                             → 123.627562385 − 13 − log2 15  = 106.720671790
    //   commit   2^13 → 2^10 → 2^7 (arity 8, degree 7), then 2^7 → 2^5 (arity 4, degree 3):
    //            (7·2^13 + 7·2^10 + 3·2^7)/|F|                                          → 107.641720448
    //   LogUp    2·(2^10 − 1)/(|F| − 2^10)                                               → 112.628971956
    //   conjectured total: the sum, led by DEEP and the query term                       → 111.036657356
    [Fact]
    public void Set_C_matches_the_hand_computation_in_both_regimes()
    {
        SecurityReport report = SecurityCalculator.Compute(
            new SecurityParameters(3, 40, 0, 2, BatchingMode.Powers),
            new CircuitShape(10, 10, 3, 2, 16, 2, 1L << 12, 3, 0, 1L << 10));

        AssertBits(report, SecurityTermNames.FriQueryPhase, 33.202999942, 120);
        AssertBits(report, SecurityTermNames.Ali, 120.305634290, 120.305634290);
        AssertBits(report, SecurityTermNames.Deep, 111.626858116, 111.626858116);
        AssertBits(report, SecurityTermNames.FriBatching, 106.720671790, FieldBits);
        AssertBits(report, SecurityTermNames.FriCommitPhase, 107.641720448, FieldBits);
        AssertBits(report, SecurityTermNames.LogUp, 112.628971956, 112.628971956);
        Assert.Equal(33.202999942, report.ProvenBits, Tolerance);
        Assert.Equal(111.036657356, report.ConjecturedBits, Tolerance);
        Assert.Equal(SecurityTermNames.Deep, report.Weakest(SecurityRegime.Conjectured).Name);
    }

    // Proven100 recomputed here from the formulas of docs/SECURITY.md, in doubles, for one machine-like shape:
    // tables of 2^20, 2^19 and 2^17 rows, 3000 constraints of degree 3, batch 900, ℓ = 300 of arity ≤ 8.
    [Fact]
    public void Proven100_bits_recomputed_by_hand()
    {
        SecurityParameters p = SecurityPresets.Parameters(SecurityPreset.Proven100);
        var shape = new CircuitShape(20, 3000, 3, 2, 900, 300, 0, 0, 8, CircuitShape.HeightsOf([20, 19, 17]));
        SecurityReport report = SecurityCalculator.Compute(p, shape);

        double field = 4 * Math.Log2(2013265921); // log2 |F|
        double n = Math.Pow(2, 20), lde = n * Math.Pow(2, p.LogBlowup);
        double grind = Math.Pow(2, -p.ChallengePowBits);
        double ali = 3000 * Math.Pow(2, -field);
        // Three heights share the quotient: the identity in ζ has three vanishing polynomials of degree n as denominators.
        double deep = ((3 + 3 - 1) * (n + 1) + (n - 1)) / (Math.Pow(2, field) - 3 * (n + lde)) * grind;
        // One batch per height 2^20, 2^19, 2^17, each with its own LDE domain, independent coefficients; then the
        // lifting of the two lower ones into the tallest, one more on its LDE domain.
        double batching = (lde + lde / 2 + lde / 8 + lde) * Math.Pow(2, -field) * grind;
        // Rounds fold by 8 (degree 7) from lde down to the final domain lde/2^12 = 2^(1 + 8).
        Assert.Equal(8, p.LogFinalPolyLength);
        double commit = 7 * (lde + lde / 8 + lde / 64 + lde / 512);
        commit *= Math.Pow(2, -field) * grind;
        double rho = Math.Pow(2, -p.LogBlowup);
        double query = Math.Pow((1 + rho) / 2, p.NumQueries) * Math.Pow(2, -p.QueryPowBits);
        double logUp = 300.0 * 8 * (n - 1) / (Math.Pow(2, field) - n) * Math.Pow(2, -p.LogUpPowBits);
        double hash = Math.Pow(2, -field);

        Assert.Equal(-Math.Log2(ali), report[SecurityTermNames.Ali].ProvenBits, 1e-9);
        Assert.Equal(-Math.Log2(deep), report[SecurityTermNames.Deep].ProvenBits, 1e-9);
        Assert.Equal(-Math.Log2(batching), report[SecurityTermNames.FriBatching].ProvenBits, 1e-9);
        Assert.Equal(-Math.Log2(commit), report[SecurityTermNames.FriCommitPhase].ProvenBits, 1e-9);
        Assert.Equal(-Math.Log2(query), report[SecurityTermNames.FriQueryPhase].ProvenBits, 1e-9);
        Assert.Equal(-Math.Log2(logUp), report[SecurityTermNames.LogUp].ProvenBits, 1e-9);
        Assert.Equal(-Math.Log2(ali + deep + batching + commit + query + logUp + hash), report.ProvenBits, 1e-9);
        Assert.True(report.ProvenBits >= 100, report.ToTable());
    }

    // Two terms of about 100 bits: the total is their sum, about 2·2^−100, one bit less than either.
    [Fact]
    public void The_total_is_the_sum_of_the_errors_not_the_weakest_term()
    {
        // No LogUp grinding and ℓ = 11000 at 2^10 rows: LogUp 123.63 − log2(11000·1023) ≈ 100.20 bits, next to the
        // query phase's 100.25; every other term is above 110 bits.
        SecurityParameters p = SecurityPresets.Parameters(SecurityPreset.Proven100) with { LogUpPowBits = 0 };
        var shape = new CircuitShape(10, 1, 1, 2, 1, 11000, 0, 0, 1, 1L << 10);
        SecurityReport report = SecurityCalculator.Compute(p, shape);
        double logUp = report[SecurityTermNames.LogUp].ProvenBits, query = report[SecurityTermNames.FriQueryPhase].ProvenBits;

        Assert.InRange(logUp, 100, 100.5);
        Assert.InRange(query, 100, 100.5);
        Assert.Equal(-Math.Log2(report.Terms.Sum(t => Math.Pow(2, -t.ProvenBits))), report.ProvenBits, 1e-9);
        Assert.True(report.ProvenBits < Math.Min(logUp, query) - 0.9, report.ToTable());
        Assert.True(report.ProvenBits < 100);
        Assert.Equal(SecurityErrors.BelowMinimum,
            Assert.Throws<ZkVmException>(() => SecurityPolicy.EnsureAtLeast(report, 100, SecurityRegime.Proven)).Code);
    }

    [Fact]
    public void Commit_phase_error_grows_with_the_number_of_rounds_not_with_lower_tables()
    {
        SecurityParameters p = SecurityPresets.Parameters(SecurityPreset.Proven100);
        var single = new CircuitShape(20, 1, 1, 2, 1, 0, 0, 0, 0, 1L << 20);
        double previous = double.PositiveInfinity;
        // A shorter final polynomial means more folding rounds, each adding its domain's error.
        for (int logFinal = 19; logFinal >= 0; logFinal--)
        {
            double bits = SecurityCalculator.Compute(p with { LogFinalPolyLength = logFinal }, single)[SecurityTermNames.FriCommitPhase].ProvenBits;
            Assert.True(bits < previous, $"log final {logFinal}: {bits} ≥ {previous}");
            previous = bits;
        }
        // One round: 2^21/|F| plus the 8 bits of grinding, with or without a 2^19 table lifted into the 2^20 one.
        double oneRound = SecurityCalculator.Compute(p with { LogFinalPolyLength = 19 }, single)[SecurityTermNames.FriCommitPhase].ProvenBits;
        Assert.Equal(FieldBits - 21 + p.ChallengePowBits, oneRound, Tolerance);
        var twoHeights = single with { TableLogHeights = CircuitShape.HeightsOf([20, 19]) };
        Assert.Equal(oneRound, SecurityCalculator.Compute(p with { LogFinalPolyLength = 19 }, twoHeights)[SecurityTermNames.FriCommitPhase].ProvenBits, Tolerance);
        Assert.Equal([(21, 1)], SecurityCalculator.FriRounds(p with { LogFinalPolyLength = 19 }, twoHeights));
        // The lifting costs the batching term one more LDE domain of the tallest: (2^21 + 2^20 + 2^21)/|F| against 2^21/|F|.
        double alone = SecurityCalculator.Compute(p, single)[SecurityTermNames.FriBatching].ProvenBits;
        double lifted = SecurityCalculator.Compute(p, twoHeights)[SecurityTermNames.FriBatching].ProvenBits;
        Assert.Equal(alone - Math.Log2(2.5), lifted, Tolerance);
    }

    [Fact]
    public void Fri_rounds_fold_by_eight_from_the_tallest_table_whatever_the_lower_heights()
    {
        SecurityParameters p = SecurityPresets.Parameters(SecurityPreset.Proven100) with { LogFinalPolyLength = 3 }; // the final domain is 2^4
        var single = new CircuitShape(20, 1, 1, 2, 1, 0, 0, 0, 0, CircuitShape.HeightsOf([20]));
        // Arity 8 costs a degree-7 curve; the last round stops at the final domain.
        (int, int)[] rounds = [(21, 7), (18, 7), (15, 7), (12, 7), (9, 7), (6, 3)];
        Assert.Equal(rounds, SecurityCalculator.FriRounds(p, single));
        foreach (long heights in new[] { CircuitShape.HeightsOf([20, 17]), CircuitShape.HeightsOf([20, 19, 10]), CircuitShape.EveryHeightUpTo(20) })
            Assert.Equal(rounds, SecurityCalculator.FriRounds(p, single with { TableLogHeights = heights }));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(8, 3)]
    [InlineData(5, 2.321928095)]
    public void LogUp_error_scales_with_the_largest_tuple_arity(int arity, double bitsLost)
    {
        SecurityParameters p = SecurityPresets.Parameters(SecurityPreset.Proven100);
        var shape = new CircuitShape(20, 1, 1, 2, 1, 300, 0, 0, 1, 1L << 20);
        double one = SecurityCalculator.Compute(p, shape)[SecurityTermNames.LogUp].ProvenBits;
        double wide = SecurityCalculator.Compute(p, shape with { MaxTupleArity = arity })[SecurityTermNames.LogUp].ProvenBits;

        Assert.Equal(one - bitsLost, wide, Tolerance);
        // Arity 0 (a bare bus) still has a degree-1 fingerprint in α.
        Assert.Equal(one, SecurityCalculator.Compute(p, shape with { MaxTupleArity = 0 })[SecurityTermNames.LogUp].ProvenBits, Tolerance);
    }

    [Fact]
    public void Field_and_hash_bits_are_computed_from_the_modulus()
    {
        Assert.Equal(FieldBits, SecurityCalculator.FieldBits, Tolerance);
        Assert.Equal(FieldBits, SecurityCalculator.HashCollisionBits, Tolerance);
    }

    [Theory]
    [InlineData(1, 203)]
    [InlineData(2, 124)]
    [InlineData(3, 102)]
    [InlineData(4, 93)]
    public void MinimumQueriesFor_reproduces_SP1_unique_decoding_counts(int logBlowup, int expectedQueries)
    {
        int queries = SecurityCalculator.MinimumQueriesFor(100, logBlowup, 16);

        Assert.Equal(expectedQueries, queries);
        Assert.True(queries * SecurityCalculator.BitsPerQuery(logBlowup) + 16 >= 100);
        Assert.True((queries - 1) * SecurityCalculator.BitsPerQuery(logBlowup) + 16 < 100);
    }

    [Fact]
    public void MinimumQueriesFor_is_at_least_one_and_stops_at_an_exact_target()
    {
        Assert.Equal(193, SecurityCalculator.MinimumQueriesFor(100, 1, 20));
        Assert.Equal(1, SecurityCalculator.MinimumQueriesFor(10, 1, 20));
        double tenQueries = 10 * SecurityCalculator.BitsPerQuery(2);
        Assert.Equal(10, SecurityCalculator.MinimumQueriesFor(tenQueries, 2, 0));
        Assert.Equal(SecurityErrors.InvalidParameters,
            Assert.Throws<ZkVmException>(() => SecurityCalculator.MinimumQueriesFor(130, 1, 0)).Code);
    }

    [Fact]
    public void Zero_errors_are_infinite_bits_and_print_as_inf()
    {
        // No constraints, no LogUp fractions, and a trace no taller than the final polynomial (no FRI round).
        SecurityReport report = SecurityCalculator.Compute(
            new SecurityParameters(1, 203, 16, 3, BatchingMode.IndependentCoefficients),
            new CircuitShape(3, 0, 1, 2, 1, 0, 0, 0, 0, 1L << 3));

        Assert.True(double.IsPositiveInfinity(report[SecurityTermNames.Ali].ProvenBits));
        Assert.True(double.IsPositiveInfinity(report[SecurityTermNames.LogUp].ProvenBits));
        Assert.True(double.IsPositiveInfinity(report[SecurityTermNames.FriCommitPhase].ProvenBits));
        Assert.Contains("inf", report.ToTable());
    }

    [Fact]
    public void Table_lists_every_term_rounded_down()
    {
        string table = SecurityCalculator.Compute(
            new SecurityParameters(1, 203, 16, 0, BatchingMode.Powers),
            new CircuitShape(20, 100, 3, 2, 200, 8, 1L << 22, 1, 4, 1L << 20)).ToTable();

        Assert.Contains("term                   |      proven | conjectured", table);
        Assert.Contains("FRI batching           |       94.99 |      123.62", table);
        Assert.Contains("FRI query phase        |      100.25 |      219.00", table);
        Assert.Contains("LogUp                  |       98.62 |       98.62", table);
        Assert.Contains("FRI commit phase       |       99.62 |      123.62", table);
        Assert.Contains("total (sum of errors)  |       94.78 |       98.45", table);
    }

    public static TheoryData<SecurityParameters, CircuitShape> InvalidInputs => new()
    {
        { new SecurityParameters(0, 100, 16, 0, BatchingMode.Powers), Shape(20) },
        { new SecurityParameters(1, 0, 16, 0, BatchingMode.Powers), Shape(20) },
        { new SecurityParameters(1, 100, -1, 0, BatchingMode.Powers), Shape(20) },
        { new SecurityParameters(1, 100, 16, -1, BatchingMode.Powers), Shape(20) },
        { new SecurityParameters(1, 100, 16, 0, (BatchingMode)7), Shape(20) },
        { new SecurityParameters(2, 100, 16, 0, BatchingMode.Powers), Shape(26) },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers), Shape(20) with { MaxConstraintDegree = 4 } },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers), Shape(20) with { BatchSize = 0 } },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers), Shape(20) with { NumLogUpFractions = -1 } },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers), Shape(20) with { MaxTupleArity = -1 } },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers), Shape(20) with { TableLogHeights = 0 } },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers), Shape(20) with { TableLogHeights = 1L << 21 } },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers), Shape(20) with { TableLogHeights = 1L << 19 } },
        { new SecurityParameters(1, 100, 16, 0, BatchingMode.Powers, 0, -1), Shape(20) },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Out_of_range_inputs_are_a_typed_error(SecurityParameters parameters, CircuitShape shape)
    {
        var error = Assert.Throws<ZkVmException>(() => SecurityCalculator.Compute(parameters, shape));
        Assert.Equal(SecurityErrors.InvalidParameters, error.Code);
    }

    [Fact]
    public void A_shape_whose_multiplicities_can_wrap_has_no_report()
    {
        var error = Assert.Throws<ZkVmException>(() => SecurityCalculator.Compute(
            SecurityPresets.Parameters(SecurityPreset.Proven100), Shape(20) with { TotalBusRows = 1L << 22, MaxMultiplicity = 1L << 10 }));
        Assert.Equal(SecurityErrors.MultiplicityOverflow, error.Code);
    }

    private static CircuitShape Shape(int logN) => new(logN, 100, 3, 2, 100, 8, 1L << logN, 1, 4, 1L << logN);

    private static void AssertBits(SecurityReport report, string term, double proven, double conjectured)
    {
        Assert.Equal(proven, report[term].ProvenBits, Tolerance);
        Assert.Equal(conjectured, report[term].ConjecturedBits, Tolerance);
    }
}
