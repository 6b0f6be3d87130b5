using ZkVm.Stark.Security;

namespace ZkVm.Stark.Tests;

/// <summary>The security of a run in shards (docs/PROTOCOL.md §10.3): one shard is one proof's; more shards cost bits, and multiplicities count across them.</summary>
public class RunSecurityTests
{
    static readonly SecurityParameters Proven = SecurityPresets.Parameters(SecurityPreset.Proven100);

    // 2^22 rows, 300 LogUp fractions of arity 6, as a machine shard near the presets' envelope; 2^20 rows of bounded
    // multiplicity, so that 1024 shards stay below p (with more, the run's multiplicity bound refuses, as tested below).
    static readonly CircuitShape Shard = new(22, 3000, 3, 2, 900, 300, 1L << 20, 1, 6, CircuitShape.HeightsOf([22, 20, 16]));

    static (SecurityParameters, CircuitShape)[] Shards(int count) => [.. Enumerable.Repeat((Proven, Shard), count)];

    [Fact]
    public void One_shard_is_the_proofs_own_security()
    {
        var single = SecurityCalculator.Compute(Proven, Shard);
        var run = SecurityCalculator.ComputeRun(Shards(1));
        foreach (var term in single.Terms)
            Assert.Equal(term.ProvenBits, run.Terms.Single(t => t.Name == term.Name).ProvenBits, 9);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1024)]
    public void Every_term_adds_up_over_the_shards(int count)
    {
        var single = SecurityCalculator.Compute(Proven, Shard);
        var run = SecurityCalculator.ComputeRun(Shards(count));
        foreach (var term in single.Terms)
            Assert.Equal(term.ProvenBits - Math.Log2(count), run.Terms.Single(t => t.Name == term.Name).ProvenBits, 6);
        Assert.True(run.Bits(SecurityRegime.Proven) < single.Bits(SecurityRegime.Proven) - Math.Log2(count) + 1e-6);
    }

    [Fact]
    public void Multiplicities_on_shared_buses_are_bounded_over_all_shards()
    {
        // Each shard's bus rows × multiplicity is below p, their sum is not: one sum of fractions on a bus all shards share could wrap.
        var heavy = Shard with { TotalBusRows = 1L << 30, MaxMultiplicity = 1, SharedBusRows = 1L << 30 };
        SecurityCalculator.Compute(Proven, heavy);
        var e = Assert.Throws<ZkVmException>(() => SecurityCalculator.ComputeRun([(Proven, heavy), (Proven, heavy)]));
        Assert.Equal(SecurityErrors.MultiplicityOverflow, e.Code);
    }

    [Fact]
    public void Multiplicities_on_per_shard_buses_are_bounded_per_shard()
    {
        // A per-shard bus's tuples carry the shard (Bus.Constant), so its sums never mix shards: many heavy shards are fine,
        // but one shard whose own rows reach p is refused.
        var heavy = Shard with { TotalBusRows = 1L << 30, MaxMultiplicity = 1 };
        SecurityCalculator.ComputeRun([.. Enumerable.Repeat((Proven, heavy), 8)]);
        var overflowing = Shard with { TotalBusRows = 1L << 31, MaxMultiplicity = 1 };
        var e = Assert.Throws<ZkVmException>(() => SecurityCalculator.ComputeRun([(Proven, heavy), (Proven, overflowing)]));
        Assert.Equal(SecurityErrors.MultiplicityOverflow, e.Code);
    }

    [Fact]
    public void The_presets_hold_100_bits_for_one_envelope_shard_only()
    {
        // The figures of docs/SECURITY.md, "Runs in shards": the presets' envelope at 2^22 rows per shard.
        var envelope = SecurityPresets.EnvelopeShape(22) with { TotalBusRows = 1L << 20, MaxMultiplicity = 1 };
        double Bits(int shards, int logUpPow = 16) =>
            SecurityCalculator.ComputeRun([.. Enumerable.Repeat((Proven with { LogUpPowBits = logUpPow }, envelope), shards)]).Bits(SecurityRegime.Proven);
        double LogUpBits(int shards, int logUpPow) =>
            SecurityCalculator.ComputeRun([.. Enumerable.Repeat((Proven with { LogUpPowBits = logUpPow }, envelope), shards)]).Terms.Single(t => t.Name == SecurityTermNames.LogUp).ProvenBits;
        Assert.Equal(100.08, Bits(1), 2);
        Assert.Equal(99.08, Bits(2), 2);
        Assert.Equal(90.08, Bits(1024), 2);
        Assert.Equal(94.63, LogUpBits(1024, 16), 2);
        Assert.Equal(104.63, LogUpBits(1024, 26), 2);
    }

    [Fact]
    public void Raised_parameters_carry_runs_of_many_shards_to_100_bits()
    {
        // docs/SECURITY.md, "Runs in shards": the prover's raise (StarkProver.ProveShards) at the envelope's 2^22 rows per shard.
        var envelope = SecurityPresets.EnvelopeShape(22) with { TotalBusRows = 1L << 20, MaxMultiplicity = 1 };
        (int Queries, int LogUpPow, int ChallengePow, double Bits) For(int shards)
        {
            var raised = SecurityCalculator.ForRun(Proven, [.. Enumerable.Repeat(envelope, shards)], SecurityPresets.TargetBits, SecurityRegime.Proven);
            double bits = SecurityCalculator.ComputeRun([.. Enumerable.Repeat((raised, envelope), shards)]).Bits(SecurityRegime.Proven);
            return (raised.NumQueries, raised.LogUpPowBits, raised.ChallengePowBits, Math.Round(bits, 2));
        }
        Assert.Equal([(203, 16, 8, 100.08), (206, 16, 8, 100.12), (217, 18, 9, 100.05)], new[] { 1, 2, 16 }.Select(For).ToArray());
        // The ALI term (2^16 constraints / |F| per shard, which no grinding lowers) caps the envelope below 64 shards.
        var e = Assert.Throws<ZkVmException>(() => For(64));
        Assert.Contains("the ALI term", e.Message);
    }
}
