using ZkVm.Field;
using ZkVm.Stark.Proving;

namespace ZkVm.Stark.Tests;

/// <summary>The verifier's cache of fixed-column roots gives what the commitment gives, and never a root for other columns.</summary>
public class VerifyingKeyTests
{
    [Fact]
    public void A_cached_root_is_the_commitments_and_any_changed_cell_or_blowup_gets_its_own()
    {
        var random = new Random(41);
        RowMajorMatrix?[] columns = [RowMajorMatrix.Random(3, 64, random), null, RowMajorMatrix.Random(2, 16, random)];
        var committed = VerifyingKey.CommitPreprocessed(columns, 1, out _)!.Root;
        Assert.Equal(committed, VerifyingKey.Preprocessed(columns, 1).Root);
        Assert.Equal(committed, VerifyingKey.Preprocessed(columns, 1).Root);

        var changed = columns.Select(c => c?.Clone()).ToArray();
        changed[2]!.Values[17] += BabyBear.One;
        Assert.Equal(VerifyingKey.CommitPreprocessed(changed, 1, out _)!.Root, VerifyingKey.Preprocessed(changed, 1).Root);
        Assert.NotEqual(committed, VerifyingKey.Preprocessed(changed, 1).Root);
        Assert.Equal(VerifyingKey.CommitPreprocessed(columns, 2, out _)!.Root, VerifyingKey.Preprocessed(columns, 2).Root);
        // The same values in another shape are other columns.
        RowMajorMatrix?[] reshaped = [new RowMajorMatrix(columns[0]!.Values, 6), null, columns[2]];
        Assert.Equal(VerifyingKey.CommitPreprocessed(reshaped, 1, out _)!.Root, VerifyingKey.Preprocessed(reshaped, 1).Root);
        Assert.Null(VerifyingKey.Preprocessed([null, null], 1).Root);

        // The verifier's LDEs are the commitment's, and one matrix's is kept for every set it is in.
        VerifyingKey.CommitPreprocessed(columns, 1, out var committedLdes);
        var (_, verifierLdes) = VerifyingKey.Preprocessed(columns, 1);
        Assert.Equal(committedLdes[0]!.Values, verifierLdes[0]!.Values);
        Assert.Null(verifierLdes[1]);
        Assert.Same(verifierLdes[2], VerifyingKey.Preprocessed(reshaped, 1).Ldes[2]);

        // The prover's cache: the same tree and LDEs for equal columns, others for changed ones.
        var first = VerifyingKey.CommitPreprocessedCached(columns, 1, out var ldes)!;
        Assert.Equal(committed, first.Root);
        Assert.Same(first, VerifyingKey.CommitPreprocessedCached(columns, 1, out var again));
        Assert.Same(ldes[0], again[0]);
        Assert.Equal(VerifyingKey.CommitPreprocessed(changed, 1, out _)!.Root, VerifyingKey.CommitPreprocessedCached(changed, 1, out _)!.Root);

        // A prover's columns changed in place after a proof (as a forging test does) are committed as they are now,
        // not as a remembered hash of the same object says they were.
        RowMajorMatrix?[] mutable = [RowMajorMatrix.Random(3, 64, random), null];
        var before = VerifyingKey.CommitPreprocessedCached(mutable, 1, out _)!.Root;
        mutable[0]!.Values[5] += BabyBear.One;
        var after = VerifyingKey.CommitPreprocessedCached(mutable, 1, out _)!.Root;
        Assert.NotEqual(before, after);
        Assert.Equal(VerifyingKey.CommitPreprocessed(mutable, 1, out _)!.Root, after);
    }
}
