using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The commitment to all fixed (preprocessed) columns: a function of the AIRs and heights only, so the
/// verifier computes it itself (or takes it from its cache) and never takes it from a proof.
/// </summary>
internal static class VerifyingKey
{
    /// <summary>Entries the cache keeps; past this it starts again empty (a verifier rarely sees more programs at once).</summary>
    internal const int CacheCapacity = 256;

    /// <summary>Commitments the prover keeps, LDEs included (the byte table's is the same in every proof and every shard).</summary>
    internal const int ProverCacheCapacity = 8;

    /// <summary>
    /// Field elements of fixed-column LDEs the verifier keeps (128 MB), one per distinct matrix; past this it starts again
    /// empty, and a larger LDE (a program table of millions of instructions) is not kept.
    /// </summary>
    internal const long LdeCacheElements = 1 << 25;

    private static readonly ConcurrentDictionary<string, Digest> Roots = new();
    private static readonly ConcurrentDictionary<string, RowMajorMatrix> Ldes = new();
    private static long ldeElements;
    private static readonly ConditionalWeakTable<IAir, ConcurrentDictionary<int, RowMajorMatrix?>> FixedColumns = new();
    private static readonly ConditionalWeakTable<RowMajorMatrix, byte[]> MatrixHashes = new();

    /// <summary>
    /// The fixed columns of <paramref name="air"/> at <paramref name="height"/> rows, built once per AIR object and height
    /// for the verifier, which only reads them (the prover builds its own, which its LDE may consume).
    /// </summary>
    internal static RowMajorMatrix? FixedColumnsOf(IAir air, int height) =>
        FixedColumns.GetValue(air, _ => new()).GetOrAdd(height, air.Preprocessed);
    private static readonly ConcurrentDictionary<string, (MerkleTree? Tree, RowMajorMatrix?[] Ldes)> Commitments = new();

    /// <summary>Commits the bit-reversed LDEs of the tables that have fixed columns; null when none has.</summary>
    internal static MerkleTree? CommitPreprocessed(RowMajorMatrix?[] preprocessed, int logBlowup, out RowMajorMatrix?[] ldes)
    {
        ldes = [.. preprocessed.Select(p => p is null ? null : LowDegreeExtension.FromValues(p, logBlowup))];
        return Commit(ldes);
    }

    /// <summary>The tree of the LDEs that are present; null when none is.</summary>
    private static MerkleTree? Commit(RowMajorMatrix?[] ldes)
    {
        RowMajorMatrix[] present = [.. ldes.Where(l => l is not null).Select(l => l!)];
        return present.Length == 0 ? null : MerkleTree.Commit(present);
    }

    /// <summary>
    /// The root <see cref="CommitPreprocessed"/> gives, remembered by a SHA-256 of the columns' shapes and values and
    /// the blowup: equal keys mean equal inputs, so a cached root is the one the commitment would compute. Hashing the
    /// columns costs a small part of their LDE and tree (the byte table's 2^16 rows: about 1 ms against 100 ms).
    /// </summary>
    /// <remarks>
    /// With it come the bit-reversed LDEs of each table's fixed columns, from which the verifier reads their rows at the
    /// queries instead of taking them from the proof. Each LDE is remembered by its matrix's SHA-256 and the blowup, so
    /// that programs share the byte table's (2^17 rows of 5 at blowup 2, 2.6 MB).
    /// </remarks>
    internal static (Digest? Root, RowMajorMatrix?[] Ldes) Preprocessed(RowMajorMatrix?[] preprocessed, int logBlowup)
    {
        RowMajorMatrix?[] ldes = [.. preprocessed.Select(p => p is null ? null : LdeOf(p, logBlowup))];
        if (ldes.All(l => l is null)) return (null, ldes);
        return (Remember(Roots, CacheCapacity, Key(preprocessed, logBlowup, rememberHashes: true), () => Commit(ldes)!.Root), ldes);
    }

    /// <summary>
    /// <see cref="CommitPreprocessed"/> for the prover, remembered by the same key as <see cref="Preprocessed"/>. The
    /// tree and LDEs are shared between proofs, which only read them.
    /// </summary>
    internal static MerkleTree? CommitPreprocessedCached(RowMajorMatrix?[] preprocessed, int logBlowup, out RowMajorMatrix?[] ldes)
    {
        if (preprocessed.All(p => p is null)) return CommitPreprocessed(preprocessed, logBlowup, out ldes);
        var (tree, cached) = Remember(Commitments, ProverCacheCapacity, Key(preprocessed, logBlowup, rememberHashes: false), () =>
        {
            var committed = CommitPreprocessed(preprocessed, logBlowup, out var computed);
            return (committed, computed);
        });
        ldes = cached;
        return tree;
    }

    private static RowMajorMatrix LdeOf(RowMajorMatrix fixedColumns, int logBlowup)
    {
        string key = $"{Convert.ToHexString(MatrixHashes.GetValue(fixedColumns, MatrixHash))}/{logBlowup}";
        if (Ldes.TryGetValue(key, out var lde)) return lde;
        lde = LowDegreeExtension.FromValues(fixedColumns, logBlowup);
        long size = lde.Values.Length;
        if (size > LdeCacheElements) return lde;
        if (Interlocked.Add(ref ldeElements, size) > LdeCacheElements)
        {
            Ldes.Clear();
            Interlocked.Exchange(ref ldeElements, size);
        }
        return Ldes[key] = lde;
    }

    /// <summary>The cached value of <paramref name="key"/>, computed the first time; a full cache starts again empty.</summary>
    private static T Remember<T>(ConcurrentDictionary<string, T> cache, int capacity, string key, Func<T> compute)
    {
        if (cache.TryGetValue(key, out var value)) return value;
        value = compute();
        if (cache.Count >= capacity) cache.Clear();
        return cache[key] = value;
    }

    /// <summary>
    /// A SHA-256 of the blowup and every matrix's shape and values, hashed per matrix and combined (an absent matrix as
    /// 32 bytes of 0xFF, which no matrix hashes to in practice). With <paramref name="rememberHashes"/> a matrix's own
    /// hash is kept with the matrix object, so a verifier that sees one program again hashes 32 bytes per table, not its
    /// columns: only for matrices that never change afterwards, as the verifier's fixed columns (<see cref="FixedColumnsOf"/>).
    /// The prover's come from its caller's traces, which a caller may change between proofs, so they are hashed each time.
    /// </summary>
    private static string Key(RowMajorMatrix?[] preprocessed, int logBlowup, bool rememberHashes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<int> header = [logBlowup, preprocessed.Length];
        hash.AppendData(MemoryMarshal.AsBytes(header));
        Span<byte> absent = stackalloc byte[32];
        absent.Fill(0xFF);
        foreach (var p in preprocessed)
            hash.AppendData(p is null ? absent : rememberHashes ? MatrixHashes.GetValue(p, MatrixHash) : MatrixHash(p));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static byte[] MatrixHash(RowMajorMatrix p)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<int> shape = [p.Width, p.Height];
        hash.AppendData(MemoryMarshal.AsBytes(shape));
        hash.AppendData(MemoryMarshal.AsBytes(p.Values.AsSpan()));
        return hash.GetHashAndReset();
    }
}
