using System.Diagnostics;
using ZkVm.Host.Tests.Support;
using ZkVm.Cli.Benchmarks;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;
using Xunit.Abstractions;

namespace ZkVm.Host.Tests;

/// <summary>
/// Seeded random mutations of valid receipts and bare STARK proofs (every kind of <see cref="Mutator"/>): each
/// must be a typed rejection (<see cref="Rejection"/>), never another exception and never an acceptance. The
/// valid encodings are made once and shared; the seeds make every run check the same mutations.
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    /// <summary>Two valid proofs of one small statement (the same tables with other values), to splice.</summary>
    static readonly Lazy<(StarkStatement Statement, byte[] A, byte[] B)> Proofs = new(() =>
    {
        var parameters = SecurityPresets.Parameters(SecurityPreset.Conjectured100);
        var a = SyntheticAir.Trace(4, 1 << 4, seed: 3);
        var b = SyntheticAir.Trace(4, 1 << 4, seed: 4);
        return (StarkStatement.For([a]), StarkProofFormat.Write(StarkProver.Prove([a], parameters)), StarkProofFormat.Write(StarkProver.Prove([b], parameters)));
    });

    [Fact]
    public void Mutated_machine_receipts_are_typed_rejections()
    {
        var a = EchoGuest.Proof.Receipt;
        byte[] bytesA = a.ToBytes(), bytesB = EchoGuest.Other.ToBytes();
        Assert.Null(Rejection.CodeOf(bytesA, a.ImageId, SecurityRegime.Conjectured, "the valid receipt"));
        Assert.Null(Rejection.CodeOf(bytesB, a.ImageId, SecurityRegime.Conjectured, "the other valid receipt"));
        Run(seed: 11, PerKindReceipts, bytesA, bytesB, (m, what) => Rejection.CodeOf(m, a.ImageId, SecurityRegime.Conjectured, what));
    }

    [Fact]
    public void Mutated_stark_proofs_are_typed_rejections()
    {
        var (statement, a, b) = Proofs.Value;
        Assert.Null(Rejection.CodeOfProof(a, statement, 0, "the valid proof"));
        Run(seed: 12, PerKindProofs, a, b, (m, what) => Rejection.CodeOfProof(m, statement, 0, what));
    }

    /// <summary>
    /// 7 × (700 + 40) = 5,180 mutations. A mutated machine receipt that still parses costs a full machine
    /// verification (≈ 0.2 s on 2 cores), so receipts get fewer than bare proofs (≈ 1 ms each); ≈ 30 s in all.
    /// </summary>
    const int PerKindReceipts = 40, PerKindProofs = 700;

    void Run(int seed, int perKind, byte[] a, byte[] b, Func<byte[], string, string?> judge)
    {
        var mutator = new Mutator(seed);
        var codes = new SortedDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        int total = 0;
        foreach (string kind in Mutator.Kinds)
        {
            for (int n = 0; n < perKind; n++)
            {
                // Alternate which valid encoding is mutated, so splices go both ways.
                byte[] mutated = n % 2 == 0 ? mutator.Mutate(kind, a, b) : mutator.Mutate(kind, b, a);
                string what = $"{kind} #{n} (seed {seed})";
                string code = judge(mutated, what) ?? throw new Xunit.Sdk.XunitException($"{what}: a mutated encoding was accepted");
                codes[code] = codes.GetValueOrDefault(code) + 1;
                total++;
            }
        }
        output.WriteLine($"{total} mutations ({perKind} per kind: {string.Join(", ", Mutator.Kinds)}) in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(string.Join(", ", codes.Select(c => $"{c.Key}: {c.Value}")));
    }
}
