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
        Assert.Equal(committed, VerifyingKey.PreprocessedRoot(columns, 1));
        Assert.Equal(committed, VerifyingKey.PreprocessedRoot(columns, 1));

        var changed = columns.Select(c => c?.Clone()).ToArray();
        changed[2]!.Values[17] += BabyBear.One;
        Assert.Equal(VerifyingKey.CommitPreprocessed(changed, 1, out _)!.Root, VerifyingKey.PreprocessedRoot(changed, 1));
        Assert.NotEqual(committed, VerifyingKey.PreprocessedRoot(changed, 1));
        Assert.Equal(VerifyingKey.CommitPreprocessed(columns, 2, out _)!.Root, VerifyingKey.PreprocessedRoot(columns, 2));
        // The same values in another shape are other columns.
        RowMajorMatrix?[] reshaped = [new RowMajorMatrix(columns[0]!.Values, 6), null, columns[2]];
        Assert.Equal(VerifyingKey.CommitPreprocessed(reshaped, 1, out _)!.Root, VerifyingKey.PreprocessedRoot(reshaped, 1));
        Assert.Null(VerifyingKey.PreprocessedRoot([null, null], 1));

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
