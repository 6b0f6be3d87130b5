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

    // Set A: log blowup 1, 203 queries, 16 PoW, n = 2^20, 100 constraints of degree 3, m = 2, batch 200
    // with powers, ℓ = 8. D = 2^21, ρ = 1/2.
    //   ALI      100/|F|                                → 123.627562385 − log2 100       = 116.983706196
    //   DEEP     (3·(2^20 + 1) + 2^20 − 1)/(|F| − 2^20 − 2^21) = (2^22 + 2)/…             → 101.627561697
    //   batching (200 − 1)·2^21/|F|                      → 123.627562385 − 21 − log2 199  = 94.990937765
    //   commit   2^21/|F| (first of 20 rounds)           → 123.627562385 − 21             = 102.627562385
    //   query    203·(−log2 0.75) + 16 = 203·0.415037499 + 16                             = 100.252612354
    //   LogUp    8·(2^20 − 1)/(|F| − 2^20)                                               → 100.627563761
    //   hash     8·log2 p / 2                                                             = 123.627562385
    //   conjectured: query 203·1 + 16 = 219, batching and commit 1/|F| = 123.627562385.
    [Fact]
    public void Set_A_matches_the_hand_computation()
    {
        SecurityReport report = SecurityCalculator.Compute(
            new SecurityParameters(1, 203, 16, 0, BatchingMode.Powers),
            new CircuitShape(20, 100, 3, 2, 200, 8, 1L << 22, 1));

        AssertBits(report, SecurityTermNames.Ali, 116.983706196, 116.983706196);
        AssertBits(report, SecurityTermNames.Deep, 101.627561697, 101.627561697);
        AssertBits(report, SecurityTermNames.FriBatching, 94.990937765, FieldBits);
        AssertBits(report, SecurityTermNames.FriCommitPhase, 102.627562385, FieldBits);
        AssertBits(report, SecurityTermNames.FriQueryPhase, 100.252612354, 219);
        AssertBits(report, SecurityTermNames.LogUp, 100.627563761, 100.627563761);
        AssertBits(report, SecurityTermNames.HashCollision, FieldBits, FieldBits);
        Assert.Equal(94.990937765, report.ProvenBits, Tolerance);
        Assert.Equal(SecurityTermNames.FriBatching, report.Weakest(SecurityRegime.Proven).Name);
        Assert.Equal(100.627563761, report.ConjecturedBits, Tolerance);
        Assert.Equal(SecurityTermNames.LogUp, report.Weakest(SecurityRegime.Conjectured).Name);
        Assert.Equal((UInt128)(1L << 22), report.MultiplicityBound);
    }

    // Set B: log blowup 2, 124 queries, 16 PoW, log final poly 3, n = 2^16, 500 constraints of degree 2, m = 2,
    // batch 64 with independent coefficients, ℓ = 4. D = 2^18, ρ = 1/4.
    //   ALI      500/|F|                                 → 123.627562385 − log2 500      = 114.661778101
    //   DEEP     (2·(2^16 + 1) + 2^16 − 1)/(|F| − 2^16 − 2^18) = (3·2^16 + 1)/…            → 106.042592547
    //   batching 2^18/|F| (independent: no factor 63)     → 123.627562385 − 18           = 105.627562385
    //   commit   2^18/|F| (first of 16 − 3 = 13 rounds)   → 123.627562385 − 18           = 105.627562385
    //   query    124·(−log2 0.625) + 16 = 124·0.678071905 + 16                            = 100.080916234
    //   LogUp    4·(2^16 − 1)/(|F| − 2^16)                                               → 105.627584399
    //   conjectured: query 124·2 + 16 = 264.
    [Fact]
    public void Set_B_matches_the_hand_computation()
    {
        SecurityReport report = SecurityCalculator.Compute(
            new SecurityParameters(2, 124, 16, 3, BatchingMode.IndependentCoefficients),
            new CircuitShape(16, 500, 2, 2, 64, 4, 1L << 20, 16));

        AssertBits(report, SecurityTermNames.Ali, 114.661778101, 114.661778101);
        AssertBits(report, SecurityTermNames.Deep, 106.042592547, 106.042592547);
        AssertBits(report, SecurityTermNames.FriBatching, 105.627562385, FieldBits);
        AssertBits(report, SecurityTermNames.FriCommitPhase, 105.627562385, FieldBits);
        AssertBits(report, SecurityTermNames.FriQueryPhase, 100.080916234, 264);
        AssertBits(report, SecurityTermNames.LogUp, 105.627584399, 105.627584399);
        Assert.Equal(100.080916234, report.ProvenBits, Tolerance);
        Assert.Equal(SecurityTermNames.FriQueryPhase, report.Weakest(SecurityRegime.Proven).Name);
        Assert.Equal(105.627584399, report.ConjecturedBits, Tolerance);
    }

    // Set C (conjectured regime check): log blowup 3, 40 queries, 0 PoW, log final poly 2, n = 2^10,
    // 10 constraints of degree 3, batch 16 with powers, ℓ = 2. D = 2^13, ρ = 1/8.
    //   conjectured query (ethSTARK toy): 40·3 + 0 = 120 < 123.63 field bits, so the toy figure is 120;
    //   proven query: 40·(−log2 0.5625) = 40·0.830074999                                 = 33.202999942
    //   ALI      10/|F|                                  → 123.627562385 − log2 10       = 120.305634290
    //   DEEP     (3·(2^10 + 1) + 2^10 − 1)/(|F| − 2^10 − 2^13) = (2^12 + 2)/…              → 111.626858116
    //   batching 15·2^13/|F|                             → 123.627562385 − 13 − log2 15  = 106.720671790
    //   commit   2^13/|F|                                                                 = 110.627562385
    //   LogUp    2·(2^10 − 1)/(|F| − 2^10)                                               → 112.628971956
    //   the conjectured total is the weakest unconditional term, DEEP, at 111.63 bits.
    [Fact]
    public void Set_C_matches_the_hand_computation_in_both_regimes()
    {
        SecurityReport report = SecurityCalculator.Compute(
            new SecurityParameters(3, 40, 0, 2, BatchingMode.Powers),
            new CircuitShape(10, 10, 3, 2, 16, 2, 1L << 12, 3));

        AssertBits(report, SecurityTermNames.FriQueryPhase, 33.202999942, 120);
        AssertBits(report, SecurityTermNames.Ali, 120.305634290, 120.305634290);
        AssertBits(report, SecurityTermNames.Deep, 111.626858116, 111.626858116);
        AssertBits(report, SecurityTermNames.FriBatching, 106.720671790, FieldBits);
        AssertBits(report, SecurityTermNames.FriCommitPhase, 110.627562385, FieldBits);
        AssertBits(report, SecurityTermNames.LogUp, 112.628971956, 112.628971956);
        Assert.Equal(33.202999942, report.ProvenBits, Tolerance);
        Assert.Equal(111.626858116, report.ConjecturedBits, Tolerance);
        Assert.Equal(SecurityTermNames.Deep, report.Weakest(SecurityRegime.Conjectured).Name);
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
            new CircuitShape(3, 0, 1, 2, 1, 0, 0, 0));

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
            new CircuitShape(20, 100, 3, 2, 200, 8, 1L << 22, 1)).ToTable();

        Assert.Contains("term                   |      proven | conjectured", table);
        Assert.Contains("FRI batching           |       94.99 |      123.62", table);
        Assert.Contains("FRI query phase        |      100.25 |      219.00", table);
        Assert.Contains("LogUp                  |      100.62 |      100.62", table);
        Assert.Contains("total (weakest term)   |       94.99 |      100.62", table);
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

    private static CircuitShape Shape(int logN) => new(logN, 100, 3, 2, 100, 8, 1L << logN, 1);

    private static void AssertBits(SecurityReport report, string term, double proven, double conjectured)
    {
        Assert.Equal(proven, report[term].ProvenBits, Tolerance);
        Assert.Equal(conjectured, report[term].ConjecturedBits, Tolerance);
    }
}
