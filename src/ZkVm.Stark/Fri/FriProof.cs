using ZkVm.Crypto;
using ZkVm.Field;

namespace ZkVm.Stark.Fri;

/// <summary>
/// A FRI proof: one Merkle root per folding layer, the final polynomial's coefficients (constant term
/// first), the proof-of-work witness, one <see cref="FriQueryProof"/> per query, and one proof-of-work
/// witness per folding layer (ground after its commitment, before its β). Records, so a test
/// (or an attacker) can replace any part with <c>with</c>; the verifier trusts none of its shape.
/// </summary>
public sealed record FriProof(Digest[] Commitments, BabyBearExt4[] FinalPolynomial, BabyBear PowWitness, FriQueryProof[] Queries, BabyBear[] CommitPowWitnesses)
{
    /// <summary>Bytes under the element encodings of docs/PROTOCOL.md §1 (4 per base element), without framing.</summary>
    public long ByteSize()
    {
        long elements = (long)Commitments.Length * (Digest.Length + 1) + (long)FinalPolynomial.Length * 4 + 1;
        foreach (var query in Queries)
            foreach (var layer in query.Layers)
                elements += 4 + (long)layer.Path.Length * Digest.Length;
        return elements * 4;
    }
}

/// <summary>What one query reveals: one entry per folding layer, layer 0 first.</summary>
public sealed record FriQueryProof(FriLayerOpening[] Layers);

/// <summary>
/// One query at layer k: the value paired with the query's running value (index_k xor 1), and the
/// Merkle siblings of the pair's row (leaf level first). The row itself is not sent: the verifier
/// rebuilds it from its own running value and this sibling.
/// </summary>
public sealed record FriLayerOpening(BabyBearExt4 Sibling, Digest[] Path);
