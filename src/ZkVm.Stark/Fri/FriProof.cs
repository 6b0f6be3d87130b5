using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Serialization;

namespace ZkVm.Stark.Fri;

/// <summary>
/// A FRI proof: one Merkle root per folding layer, the final polynomial's coefficients (constant term
/// first), the proof-of-work witness, one <see cref="FriLayerOpening"/> per folding layer (every query's opening of
/// that layer together), and one proof-of-work witness per folding layer (ground after its commitment, before its
/// β). Records, so a test (or an attacker) can replace any part with <c>with</c>; the verifier trusts none of its shape.
/// </summary>
public sealed record FriProof(Digest[] Commitments, BabyBearExt4[] FinalPolynomial, BabyBear PowWitness, FriLayerOpening[] Layers, BabyBear[] CommitPowWitnesses)
{
    /// <summary>Bytes of its encoding in a proof (docs/PROTOCOL.md §8.5): sequences of 31-bit elements after their counts.</summary>
    public long ByteSize()
    {
        static long Sequence(long elements) => 4 + ProofWriter.PackedBytes(elements);
        long bytes = Sequence((long)Commitments.Length * Digest.Length) + Sequence(CommitPowWitnesses.Length) + Sequence(4L * FinalPolynomial.Length) + 4 + 4;
        foreach (var layer in Layers)
            bytes += Sequence(4L * layer.Siblings.Length) + Sequence((long)layer.Path.Length * Digest.Length);
        return bytes;
    }
}

/// <summary>
/// Every query's opening of round k, whose rows hold 2^a values: per query, the 2^a − 1 values of its row other than
/// its own running value, in row order (query q's at [q·(2^a − 1), (q + 1)·(2^a − 1))); and the Merkle siblings of
/// the batch opening of those rows (<see cref="MerkleBatchOpening"/>). The rows themselves are not sent: the verifier
/// rebuilds each from its own running value and that query's siblings.
/// </summary>
public sealed record FriLayerOpening(BabyBearExt4[] Siblings, Digest[] Path);
