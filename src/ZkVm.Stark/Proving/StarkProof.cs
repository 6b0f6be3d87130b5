using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Fri;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Stark.Proving;

/// <summary>
/// A table's claimed evaluations at its out-of-domain point z_t = g^(1−k)·ζ^k and at z_t·ω (its next row), one entry per
/// committed base column (extension columns count as four), plus, for the first tallest table only (where z_t = ζ), the
/// one quotient's chunk parts at ζ (docs/PROTOCOL.md §8.3).
/// </summary>
public sealed record TableOpenings(
    BabyBearExt4[] Preprocessed, BabyBearExt4[] PreprocessedNext,
    BabyBearExt4[] Main, BabyBearExt4[] MainNext,
    BabyBearExt4[] Aux, BabyBearExt4[] AuxNext,
    BabyBearExt4[] Quotient)
{
    /// <summary>The seven lists in their normative order (transcript, proof format).</summary>
    public BabyBearExt4[][] Parts => [Preprocessed, PreprocessedNext, Main, MainNext, Aux, AuxNext, Quotient];
}

/// <summary>
/// Every query's openings of the trees the proof commits, one batch per tree (absent trees have none). The fixed columns'
/// tree is the verifier's own (<see cref="VerifyingKey"/>): it reads their rows from its LDEs, so the proof opens none.
/// </summary>
public sealed record QueryOpenings(MerkleBatchOpening Main, MerkleBatchOpening? Aux, MerkleBatchOpening Quotient);

/// <summary>A multi-table STARK proof (docs/PROTOCOL.md §8 fixes the order in which it is absorbed).</summary>
public sealed record StarkProof(
    SecurityParameters Parameters,
    CircuitShape Shape,
    int[] LogHeights,
    Digest MainRoot,
    BabyBear LogUpPowWitness,
    Digest? AuxRoot,
    BabyBearExt4[] CumulativeSums,
    Digest QuotientRoot,
    BabyBear DeepPowWitness,
    TableOpenings[] Openings,
    BabyBear BatchingPowWitness,
    FriProof Fri,
    QueryOpenings Queries)
{
    /// <summary>The tables sent in clear, ascending: the verifier derives their main and LogUp openings (<see cref="ClearTrace"/>).</summary>
    public IReadOnlyList<ClearTrace> Clear { get; init; } = [];

    /// <summary>
    /// Bytes of the proof's parts under the element encodings of docs/PROTOCOL.md §1 (4 per base element, 16 per
    /// extension element, 32 per digest), without framing: the out-of-domain openings, each tree's opened rows and
    /// Merkle siblings, FRI's (<see cref="FriProof.ByteSize"/>), and the roots, sums and proof-of-work witnesses.
    /// </summary>
    public IReadOnlyList<(string Part, long Bytes)> PartSizes()
    {
        const int Base = 4, Hash = Digest.Length * Base, Count = 4;
        // Sequences are counted as written (§8.5): a count, then 31 bits per base element.
        long ood = Openings.Sum(o => o.Parts.Sum(p => Count + ProofWriter.PackedBytes(4L * p.Length)));
        var parts = new List<(string, long)> { ("ood", ood) };
        foreach (var (name, opening) in new[] { ("main", Queries.Main), ("logup", Queries.Aux), ("quotient", Queries.Quotient) })
        {
            if (opening is null) continue;
            parts.Add(($"{name}_rows", Count + opening.Rows.Sum(m => Count + (m.Length == 0 ? 0 : Count + ProofWriter.PackedBytes((long)m.Length * m[0].Length)))));
            parts.Add(($"{name}_paths", Count + ProofWriter.PackedBytes((long)opening.Siblings.Length * Digest.Length)));
        }
        parts.Add(("fri", Fri.ByteSize()));
        parts.Add(("clear", Clear.Sum(c => c.EncodedBytes())));
        // The main and quotient roots (and LogUp's), the sums, and the three proof-of-work witnesses outside FRI.
        parts.Add(("roots_sums_witnesses", (2 + (AuxRoot.HasValue ? 1 : 0)) * Hash + Count + ProofWriter.PackedBytes(4L * CumulativeSums.Length) + 3 * Base));
        return parts;
    }
}
