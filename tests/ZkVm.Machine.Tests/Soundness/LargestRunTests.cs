using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Soundness;

/// <summary>
/// The figures of docs/SECURITY.md, "Runs in shards" (issue 14, must-show 4): the shape of a full 2^20-cycle shard of
/// samples/textstats (the machine's own statement at the heights that shard fills), counted over all shards of a run
/// with the prover's raised parameters, and the largest run of such shards that still reaches 100 proven bits.
/// </summary>
public class LargestRunTests
{
    static CircuitShape ShardShape()
    {
        var (program, run, _) = MachineRuns.InShards(Guests.SampleElf("textstats"), MachineLayout.DefaultShardCycles, Guests.SampleInput("textstats"));
        Assert.True(run.Count >= 2);
        var traces = new MachineCircuit(program).Traces(run.Witness(0));
        return StarkStatement.For(traces).ShapeAt([.. traces.Select(t => System.Numerics.BitOperations.Log2((uint)t.Height))]);
    }

    static (int Queries, int LogUpPow, int ChallengePow, double Bits) For(CircuitShape shape, int shards)
    {
        var raised = SecurityCalculator.ForRun(SecurityPresets.Parameters(SecurityPreset.Proven100), [.. Enumerable.Repeat(shape, shards)], SecurityPresets.TargetBits, SecurityRegime.Proven);
        double bits = SecurityCalculator.ComputeRun([.. Enumerable.Repeat((raised, shape), shards)]).Bits(SecurityRegime.Proven);
        return (raised.NumQueries, raised.LogUpPowBits, raised.ChallengePowBits, Math.Round(bits, 2));
    }

    [Fact]
    public void Runs_of_2_to_the_32_cycles_reach_100_bits_and_the_largest_run_is_bounded_by_the_ALI_term()
    {
        var shape = ShardShape();
        Assert.Equal([(203, 16, 8, 100.24), (213, 16, 8, 100.2), (237, 21, 14, 100.02)], new[] { 1, 16, 4096 }.Select(k => For(shape, k)).ToArray());
        int largest = 1;
        while (largest < Stark.Air.Bus.MaxShards && Accepts(shape, largest * 2)) largest *= 2;
        // 2^12 shards of 2^20 cycles: every run the machine allows (2^32 − 1 cycles) at the default shard size.
        Assert.Equal(4096, largest);
        var e = Assert.Throws<ZkVmException>(() => For(shape, 2 * largest));
        // Beyond, the ALI term (constraints / |F| per shard, which no grinding lowers) adds up past 2^−100 on its own.
        Assert.Contains("8192 shards reach 99.02 bits at most: the ALI term (101.18 bits)", e.Message);
    }

    static bool Accepts(CircuitShape shape, int shards)
    {
        try
        {
            For(shape, shards);
            return true;
        }
        catch (ZkVmException e) when (e.Code == SecurityErrors.BelowMinimum)
        {
            return false;
        }
    }
}
