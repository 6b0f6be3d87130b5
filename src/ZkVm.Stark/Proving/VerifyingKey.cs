using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Pcs;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The commitment to all fixed (preprocessed) columns: a function of the AIRs and heights only, so the
/// verifier computes it itself (or caches it per program) and never takes it from a proof.
/// </summary>
internal static class VerifyingKey
{
    /// <summary>Commits the bit-reversed LDEs of the tables that have fixed columns; null when none has.</summary>
    internal static MerkleTree? CommitPreprocessed(RowMajorMatrix?[] preprocessed, int logBlowup, out RowMajorMatrix?[] ldes)
    {
        ldes = [.. preprocessed.Select(p => p is null ? null : LowDegreeExtension.FromValues(p, logBlowup))];
        RowMajorMatrix[] present = [.. ldes.Where(l => l is not null).Select(l => l!)];
        return present.Length == 0 ? null : MerkleTree.Commit(present);
    }
}
