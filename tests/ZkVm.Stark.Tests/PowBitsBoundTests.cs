using System.Buffers.Binary;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Stark.Tests;

/// <summary>
/// A PoW bit count above 27 (what one transcript sample checks) is a typed error wherever it enters: in a
/// proof's bytes (ZK3007) and in parameters built in code (ZK3201), never an ArgumentOutOfRangeException
/// from the proof-of-work check.
/// </summary>
public class PowBitsBoundTests
{
    /// <summary>Offsets of the query and LogUp PoW bit counts: magic, version, log blowup, queries | …, final poly, batching.</summary>
    const int QueryPowAt = 16, LogUpPowAt = 28;

    static readonly Lazy<(TableTrace[] Tables, byte[] Bytes)> Subject = new(() =>
    {
        TableTrace[] tables = StarkProverTests.RangeCheck(8, 3);
        return (tables, StarkProofFormat.Write(StarkProver.Prove(tables, StarkSoundnessTests.Light with { LogUpPowBits = 2 })));
    });

    [Theory]
    [InlineData(QueryPowAt, 28u)]
    [InlineData(QueryPowAt, 64u)]
    [InlineData(QueryPowAt, uint.MaxValue)]
    [InlineData(LogUpPowAt, 28u)]
    [InlineData(LogUpPowAt, 64u)]
    [InlineData(LogUpPowAt, uint.MaxValue)]
    public void A_proof_asking_for_more_than_27_pow_bits_is_a_typed_error(int offset, uint bits)
    {
        byte[] bytes = (byte[])Subject.Value.Bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), bits);
        var e = Assert.Throws<ZkVmException>(() => StarkProofFormat.Read(bytes));
        Assert.Equal(ProofFormatErrors.PowBitsOutOfRange, e.Code);
        Assert.Contains($"byte offset {offset}", e.Detail);
    }

    [Theory]
    [InlineData(QueryPowAt)]
    [InlineData(LogUpPowAt)]
    public void Twenty_seven_pow_bits_read_and_are_rejected_by_the_check(int offset)
    {
        var (tables, good) = Subject.Value;
        byte[] bytes = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), SecurityParameters.MaxPowBits);
        var proof = StarkProofFormat.Read(bytes);
        var e = Assert.ThrowsAny<ZkVmException>(() => StarkVerifier.Verify(StarkStatement.For(tables), proof, minimumBits: 0));
        Assert.StartsWith("ZK3", e.Code);
    }

    [Theory]
    [InlineData(28, 0)]
    [InlineData(0, 28)]
    [InlineData(64, 64)]
    public void Parameters_built_in_code_with_more_than_27_pow_bits_are_refused(int queryPow, int logUpPow)
    {
        var (tables, good) = Subject.Value;
        var proof = StarkProofFormat.Read(good);
        proof = proof with { Parameters = proof.Parameters with { QueryPowBits = queryPow, LogUpPowBits = logUpPow } };
        var e = Assert.ThrowsAny<ZkVmException>(() => StarkVerifier.Verify(StarkStatement.For(tables), proof, minimumBits: 0));
        Assert.Equal(SecurityErrors.InvalidParameters, e.Code);
        Assert.Throws<ZkVmException>(() => StarkProver.Prove(tables, StarkSoundnessTests.Light with { QueryPowBits = queryPow, LogUpPowBits = logUpPow }));
    }
}
