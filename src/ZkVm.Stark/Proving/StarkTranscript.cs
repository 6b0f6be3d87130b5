using ZkVm.Crypto;
using ZkVm.Stark.Air;
using ZkVm.Field;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The transcript schedule of docs/PROTOCOL.md §8, shared by prover and verifier so that the two can
/// never absorb different things: each step observes what the prover has sent by then.
/// </summary>
internal static class StarkTranscript
{
    public const string DomainSeparator = "zkvm-stark v1";

    /// <summary>Parameters, then every table's identity, shape and public values.</summary>
    public static Transcript Begin(SecurityParameters parameters, StarkStatement statement, int[] logHeights)
    {
        var t = new Transcript(DomainSeparator);
        ObserveStatement(t, parameters, statement, logHeights);
        return t;
    }

    /// <summary>The domain separator of a run's shared transcript over all its shards (docs/PROTOCOL.md §10).</summary>
    public const string ShardsDomainSeparator = "zkvm-stark shards v1";

    /// <summary>
    /// The transcript all shards of a run share: the shard count, each shard's parameters, statement and main-trace
    /// root in order, then the run's public bus terms. The LogUp grinding and challenges follow from it.
    /// </summary>
    public static Transcript BeginShards(IReadOnlyList<(SecurityParameters Parameters, StarkStatement Statement, int[] LogHeights, Digest MainRoot)> shards,
        IReadOnlyList<PublicBusEntry> publicBus)
    {
        var t = new Transcript(ShardsDomainSeparator);
        t.ObserveU32((uint)shards.Count);
        foreach (var (parameters, statement, logHeights, mainRoot) in shards)
        {
            ObserveStatement(t, parameters, statement, logHeights);
            t.Observe(mainRoot);
        }
        ObservePublicBus(t, publicBus);
        return t;
    }

    /// <summary>Shard <paramref name="index"/>'s own transcript: the shared one after the LogUp challenges, the index, then its statement as <see cref="Begin"/> observes it.</summary>
    public static Transcript ForShard(Transcript shared, int index, SecurityParameters parameters, StarkStatement statement, int[] logHeights)
    {
        var t = shared.Clone();
        t.ObserveU32((uint)index);
        ObserveStatement(t, parameters, statement, logHeights);
        return t;
    }

    static void ObserveStatement(Transcript t, SecurityParameters parameters, StarkStatement statement, int[] logHeights)
    {
        t.ObserveU32((uint)parameters.LogBlowup);
        t.ObserveU32((uint)parameters.NumQueries);
        t.ObserveU32((uint)parameters.QueryPowBits);
        t.ObserveU32((uint)parameters.LogFinalPolyLength);
        t.ObserveU32((uint)parameters.Batching);
        t.ObserveU32((uint)parameters.LogUpPowBits);
        t.ObserveU32((uint)parameters.ChallengePowBits);
        t.ObserveU32((uint)statement.Airs.Count);
        for (int i = 0; i < statement.Airs.Count; i++)
        {
            var air = statement.Airs[i];
            t.ObserveLabel(air.Name);
            t.ObserveU32((uint)air.MainWidth);
            t.ObserveU32((uint)air.PreprocessedWidth);
            t.ObserveU32((uint)logHeights[i]);
            t.ObserveU32((uint)statement.PublicValues[i].Length);
            t.Observe(statement.PublicValues[i]);
        }
        ObservePublicBus(t, statement.PublicBus);
    }

    /// <summary>The term count, the encoding's length, then the digest of <see cref="PublicBusDigest"/>.</summary>
    static void ObservePublicBus(Transcript t, IReadOnlyList<PublicBusEntry> publicBus)
    {
        BabyBear[] encoding = PublicBusEncoding(publicBus);
        t.ObserveU32((uint)publicBus.Count);
        t.ObserveU32((uint)encoding.Length);
        t.Observe(PublicBusDigest(encoding));
    }

    /// <summary>
    /// Each term as its bus constant (two 16-bit limbs), multiplicity, value count (two limbs) and values, concatenated.
    /// A journal gives one term per byte, so this runs to seven elements per journal byte.
    /// </summary>
    internal static BabyBear[] PublicBusEncoding(IReadOnlyList<PublicBusEntry> publicBus)
    {
        long length = 0;
        foreach (var entry in publicBus) length += 5 + entry.Values.Length;
        var encoding = new BabyBear[length];
        int at = 0;
        void U32(uint v)
        {
            encoding[at++] = BabyBear.FromCanonical(v & 0xFFFF);
            encoding[at++] = BabyBear.FromCanonical(v >> 16);
        }
        foreach (var entry in publicBus)
        {
            U32(entry.Bus.Constant(entry.Shard));
            encoding[at++] = entry.Multiplicity;
            U32((uint)entry.Values.Length);
            entry.Values.CopyTo(encoding, at);
            at += entry.Values.Length;
        }
        return encoding;
    }

    /// <summary>
    /// The encoding zero-padded into rows of 16 and to a power-of-two height, committed as a Merkle tree
    /// (docs/PROTOCOL.md §4): the packed Poseidon2 hashes 8 or 16 rows per call where the sponge would absorb
    /// eight elements per call (a 14 KB journal: about 5 instead of 30 ms). The length observed before the digest
    /// makes the padding unambiguous.
    /// </summary>
    internal static Digest PublicBusDigest(BabyBear[] encoding)
    {
        const int width = 16;
        int rows = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (encoding.Length + width - 1) / width));
        var values = new BabyBear[rows * width];
        encoding.CopyTo(values, 0);
        return MerkleTree.Commit([new RowMajorMatrix(values, width)]).Root;
    }

    public static void ObserveOpenings(Transcript t, TableOpenings o)
    {
        foreach (var values in o.Parts)
            foreach (var v in values) t.Observe(v);
    }
}
