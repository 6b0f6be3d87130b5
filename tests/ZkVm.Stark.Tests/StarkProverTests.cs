using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

public class StarkProverTests
{
    internal static readonly SecurityParameters Default = SecurityPresets.Parameters(SecurityPreset.Proven100);

    internal static TableTrace[] RangeCheck(int height, int seed)
    {
        var r = new Random(seed);
        uint[] values = [.. Enumerable.Range(0, height).Select(_ => (uint)r.Next(256))];
        return [ByteValuesAir.Trace(values), ByteTableAir.Trace(values)];
    }

    internal static TableTrace[] Permutation(int height, int seed)
    {
        var (left, right) = PermutationAir.Traces(height, seed);
        return [left, right];
    }

    private static void ProveAndVerify(TableTrace[] tables)
    {
        var proof = StarkProver.Prove(tables, Default);
        StarkVerifier.Verify(StarkStatement.For(tables), proof);
    }

    [Fact]
    public void Fibonacci_proves_and_verifies()
    {
        ProveAndVerify([FibonacciAir.Trace(8)]);
    }

    [Fact]
    public void Lookup_and_permutation_prove_and_verify_with_tables_of_different_heights()
    {
        ProveAndVerify(RangeCheck(16, 1));
        ProveAndVerify(Permutation(8, 2));
        ProveAndVerify([.. RangeCheck(4, 3), .. Permutation(32, 4), FibonacciAir.Trace(2)]);
    }
}
