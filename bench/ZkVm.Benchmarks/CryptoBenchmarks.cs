using BenchmarkDotNet.Attributes;
using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Benchmarks;

/// <summary>Poseidon2 permutation throughput on one core, per packing (per-permutation figures).</summary>
public class Poseidon2Benchmarks
{
    private Poseidon2State<PackedBabyBearAvx512> avx512;
    private Poseidon2State<PackedBabyBearAvx2> avx2;
    private readonly BabyBear[] scalar = new BabyBear[16];

    [Benchmark(OperationsPerInvoke = 16)]
    public void PermuteAvx512() => Poseidon2<PackedBabyBearAvx512>.Permute(ref avx512);

    [Benchmark(OperationsPerInvoke = 8)]
    public void PermuteAvx2() => Poseidon2<PackedBabyBearAvx2>.Permute(ref avx2);

    [Benchmark(Baseline = true)]
    public void PermuteScalar() => Poseidon2.Permute(scalar);

    [Benchmark]
    public void PermuteReference() => Poseidon2Reference.Permute(scalar);
}

/// <summary>Merkle commitment of a 2^20 × 64 matrix on every core: the workload of <c>zkvm bench primitives</c>.</summary>
public class MerkleBenchmarks
{
    private RowMajorMatrix leaves = null!;

    [GlobalSetup]
    public void Setup() => leaves = RowMajorMatrix.Random(64, 1 << 20, new Random(2));

    [Benchmark]
    public Digest Commit() => MerkleTree.Commit([leaves]).Root;
}
