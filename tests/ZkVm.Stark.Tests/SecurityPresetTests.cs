using Xunit.Abstractions;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Tests;

/// <summary>
/// The presets against the stated shape range: n ≤ 2^22, ≤ 2^16 constraints of degree ≤ 3, batch ≤ 2^12,
/// ℓ ≤ 2^10. The FRI terms are the preset's to meet everywhere; ALI, DEEP and LogUp depend on the shape and
/// the field only, so no choice of FRI parameters moves them.
/// </summary>
public class SecurityPresetTests(ITestOutputHelper output)
{
    private static readonly string[] FriTerms =
        [SecurityTermNames.FriBatching, SecurityTermNames.FriCommitPhase, SecurityTermNames.FriQueryPhase];

    public static TheoryData<int, long, int, long, long> Corners()
    {
        var corners = new TheoryData<int, long, int, long, long>();
        foreach (int logN in new[] { 0, 1, 22 })
            foreach (long constraints in new[] { 1L, 1L << 16 })
                foreach (int degree in new[] { 1, 3 })
                    foreach (long batch in new[] { 1L, 1L << 12 })
                        foreach (long ell in new[] { 0L, 1L << 10 })
                            corners.Add(logN, constraints, degree, batch, ell);
        return corners;
    }

    [Fact]
    public void Preset_numbers_come_from_the_calculator()
    {
        SecurityParameters proven = SecurityPresets.Parameters(SecurityPreset.Proven100);
        SecurityParameters conjectured = SecurityPresets.Parameters(SecurityPreset.Conjectured100);

        Assert.Equal(new SecurityParameters(1, 203, 16, 3, BatchingMode.IndependentCoefficients, 16), proven);
        Assert.Equal(new SecurityParameters(1, 84, 16, 3, BatchingMode.IndependentCoefficients, 16), conjectured);
        Assert.True(conjectured.NumQueries < proven.NumQueries);
    }

    [Theory]
    [MemberData(nameof(Corners))]
    public void Proven100_meets_its_FRI_terms_and_ALI_at_every_corner(int logN, long constraints, int degree, long batch, long ell)
    {
        SecurityReport report = SecurityCalculator.Compute(
            SecurityPresets.Parameters(SecurityPreset.Proven100), new CircuitShape(logN, constraints, degree, 2, batch, ell, 0, 0));

        foreach (string term in FriTerms.Append(SecurityTermNames.Ali).Append(SecurityTermNames.HashCollision))
            Assert.True(report[term].ProvenBits >= 100, $"{term}: {report[term].ProvenBits}");
    }

    [Theory]
    [MemberData(nameof(Corners))]
    public void Conjectured100_meets_its_target_under_the_conjecture_at_every_corner(int logN, long constraints, int degree, long batch, long ell)
    {
        SecurityReport report = SecurityCalculator.Compute(
            SecurityPresets.Parameters(SecurityPreset.Conjectured100), new CircuitShape(logN, constraints, degree, 2, batch, ell, 0, 0));

        // The ethSTARK toy figure min(log2 |F|, q·log blowup + pow) = min(123.63, 84 + 16).
        Assert.Equal(100, FriTerms.Min(term => report[term].ConjecturedBits));
    }

    // Corners inside the envelope where the shape terms also reach 100 bits: d·n ≲ 2^23.6 for DEEP and
    // ℓ·n ≲ 2^23.6 for LogUp.
    [Theory]
    [InlineData(22, 2, 3L)]
    [InlineData(21, 3, 6L)]
    [InlineData(13, 3, 1L << 10)]
    public void Both_presets_reach_100_bits_overall_inside_the_envelope(int logN, int degree, long ell)
    {
        var shape = new CircuitShape(logN, 1L << 16, degree, 2, 1L << 12, ell, 1L << 30, 1);
        SecurityReport proven = SecurityCalculator.Compute(SecurityPresets.Parameters(SecurityPreset.Proven100), shape);
        SecurityReport conjectured = SecurityCalculator.Compute(SecurityPresets.Parameters(SecurityPreset.Conjectured100), shape);

        Assert.True(proven.ProvenBits >= 100, proven.ToTable());
        Assert.True(conjectured.ConjecturedBits >= 100, conjectured.ToTable());
        Assert.True(conjectured.ProvenBits < 100);
    }

    // At n = 2^22, d = 3 the DEEP error is (4·2^22 + 2)/|F| → 123.63 − 24 = 99.63 bits; with ℓ = 2^10 the
    // LogUp error is 2^10·(2^22 − 1)/|F| → 91.63 bits. Both are below 100 whatever the FRI parameters.
    [Fact]
    public void DEEP_at_the_far_corner_is_below_100_bits_and_LogUp_only_without_its_grinding()
    {
        var shape = new CircuitShape(22, 1L << 16, 3, 2, 1L << 12, 1L << 10, 0, 0);
        foreach (SecurityPreset preset in Enum.GetValues<SecurityPreset>())
        {
            SecurityReport report = SecurityCalculator.Compute(SecurityPresets.Parameters(preset), shape);
            Assert.Equal(99.627562213, report[SecurityTermNames.Deep].ProvenBits, 1e-6);
            Assert.Equal(91.627562729 + SecurityPresets.LogUpPowBits, report[SecurityTermNames.LogUp].ProvenBits, 1e-6);
        }
        SecurityReport proven = SecurityCalculator.Compute(SecurityPresets.Parameters(SecurityPreset.Proven100), shape);
        Assert.Equal(SecurityTermNames.Deep, proven.Weakest(SecurityRegime.Proven).Name);
        SecurityReport unground = SecurityCalculator.Compute(SecurityPresets.Parameters(SecurityPreset.Proven100) with { LogUpPowBits = 0 }, shape);
        Assert.Equal(SecurityTermNames.LogUp, unground.Weakest(SecurityRegime.Proven).Name);
    }

    // Why rate 1/2 and independent coefficients: at n = 2^22, blowup 4 leaves 2^24/|F| → 99.63 bits for the
    // commit phase, and powers over 2^12 polynomials cost another log2(2^12 − 1) ≈ 12 bits.
    [Fact]
    public void A_larger_blowup_or_powers_batching_would_miss_the_target()
    {
        var shape = new CircuitShape(22, 1, 1, 2, 1L << 12, 0, 0, 0);
        SecurityReport blowup4 = SecurityCalculator.Compute(
            new SecurityParameters(2, SecurityCalculator.MinimumQueriesFor(100, 2, 16), 16, 3, BatchingMode.IndependentCoefficients), shape);
        SecurityReport powers = SecurityCalculator.Compute(
            SecurityPresets.Parameters(SecurityPreset.Proven100) with { Batching = BatchingMode.Powers }, shape);

        Assert.Equal(99.627562385, blowup4[SecurityTermNames.FriCommitPhase].ProvenBits, 1e-6);
        Assert.Equal(SecurityTermNames.FriBatching, powers.Weakest(SecurityRegime.Proven).Name);
        Assert.True(powers.ProvenBits < 89);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(22)]
    public void Preset_tables_print(int logN)
    {
        var shape = new CircuitShape(logN, 1L << 16, 3, 2, 1L << 12, 1L << 10, 1L << 30, 1);
        foreach (SecurityPreset preset in Enum.GetValues<SecurityPreset>())
        {
            string table = SecurityCalculator.Compute(SecurityPresets.Parameters(preset), shape).ToTable();
            output.WriteLine($"{preset}\n{table}");
            Assert.Contains("total (weakest term)", table);
        }
    }
}
