using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Machine.Sharding;

/// <summary>
/// What phase 2 adds to a <see cref="ShardTask"/>: the run's parameters, every shard's phase-1 commitment and the LogUp
/// proof-of-work witness. With the task's statements they fix the shared transcript, hence the LogUp challenges.
/// </summary>
public sealed record ShardChallenges(SecurityParameters Parameters, ShardCommitment[] Commitments, BabyBear LogUpWitness)
{
    static ReadOnlySpan<byte> Magic => "ZKSC"u8;
    const uint Version = 1;

    public byte[] ToBytes()
    {
        var w = new ProofWriter();
        w.WriteBytes(Magic);
        w.WriteU32(Version);
        StarkProofFormat.WriteParameters(w, Parameters);
        w.WriteCount(Commitments.Length);
        foreach (var c in Commitments) WriteCommitment(w, c);
        w.WriteField(LogUpWitness);
        return w.ToArray();
    }

    public static ShardChallenges FromBytes(ReadOnlySpan<byte> bytes)
    {
        var r = new ProofReader(bytes);
        r.ExpectMagic(Magic, "shard challenges");
        r.ReadVersion("shard challenges", Version);
        var parameters = StarkProofFormat.ReadParameters(ref r);
        var commitments = new ShardCommitment[r.ReadCount("commitments", Bus.MaxShards, 4 + Digest.Length * 4)];
        for (int k = 0; k < commitments.Length; k++) commitments[k] = ReadCommitment(ref r);
        var witness = r.ReadField("LogUp proof-of-work witness");
        r.ExpectEnd("shard challenges");
        return new ShardChallenges(parameters, commitments, witness);
    }

    /// <summary>A shard's commitment as a worker returns it from phase 1.</summary>
    public static byte[] Write(ShardCommitment commitment)
    {
        var w = new ProofWriter();
        WriteCommitment(w, commitment);
        return w.ToArray();
    }

    public static ShardCommitment ReadCommitment(ReadOnlySpan<byte> bytes)
    {
        var r = new ProofReader(bytes);
        var commitment = ReadCommitment(ref r);
        r.ExpectEnd("shard commitment");
        return commitment;
    }

    static void WriteCommitment(ProofWriter w, ShardCommitment c)
    {
        w.WriteCount(c.LogHeights.Length);
        foreach (int h in c.LogHeights) w.WriteU32((uint)h);
        w.WriteDigest(c.MainRoot);
    }

    static ShardCommitment ReadCommitment(ref ProofReader r)
    {
        var heights = new int[r.ReadCount("table heights", 256, 4)];
        for (int i = 0; i < heights.Length; i++) heights[i] = r.ReadBounded("log table height", 1, StarkVerifier.MaxLogHeight);
        return new ShardCommitment(heights, r.ReadDigest("main root"));
    }
}
