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

    public static TheoryData<int> LogHeights()
    {
        var data = new TheoryData<int>();
        for (int log = 1; log <= 16; log++) data.Add(log);
        return data;
    }

    [Theory]
    [MemberData(nameof(LogHeights))]
    public void Every_example_proves_and_verifies_at_the_default_preset(int logHeight)
    {
        int height = 1 << logHeight;
        ProveAndVerify([FibonacciAir.Trace(height)]);
        ProveAndVerify(RangeCheck(height, logHeight));
        ProveAndVerify(Permutation(height, logHeight));
    }

    [Fact]
    public void Public_bus_terms_complete_a_proof()
    {
        var (left, _) = PermutationAir.Traces(16, 12);
        var receive = Enumerable.Range(0, 16).Select(i => new PublicBusEntry(Buses.Permutation, -BabyBear.One, left.Main.Row(i).ToArray())).ToArray();
        var proof = StarkProver.Prove([left], Default, receive);
        StarkVerifier.Verify(StarkStatement.For([left], receive), proof);
        receive[5] = receive[5] with { Values = [receive[5].Values[0], receive[5].Values[1] + BabyBear.One] };
        Assert.Throws<ZkVmException>(() => StarkVerifier.Verify(StarkStatement.For([left], receive), proof));
    }

    [Fact]
    public void Serialized_proofs_read_back_and_verify()
    {
        TableTrace[] tables = [.. RangeCheck(64, 9), FibonacciAir.Trace(32)];
        byte[] bytes = ZkVm.Stark.Serialization.StarkProofFormat.Write(StarkProver.Prove(tables, Default));
        StarkVerifier.Verify(StarkStatement.For(tables), ZkVm.Stark.Serialization.StarkProofFormat.Read(bytes));
    }

    public static TheoryData<PackingKind> Packings() => [.. Packing.Supported];

    [Theory]
    [MemberData(nameof(Packings))]
    public void The_packed_prover_builder_gives_the_scalar_builders_proof(PackingKind packing)
    {
        // Proofs are deterministic, so equal bytes mean equal quotients on every row.
        TableTrace[] tables = [.. RangeCheck(64, 13), .. Permutation(32, 14), FibonacciAir.Trace(128)];
        byte[] scalar = ZkVm.Stark.Serialization.StarkProofFormat.Write(StarkProver.Prove(tables, Default, null, null, PackingKind.Scalar));
        byte[] packed = ZkVm.Stark.Serialization.StarkProofFormat.Write(StarkProver.Prove(tables, Default, null, null, packing));
        Assert.Equal(scalar, packed);
    }
}
