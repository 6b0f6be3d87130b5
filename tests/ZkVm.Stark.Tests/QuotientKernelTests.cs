using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

/// <summary>The compiled quotient kernel against the generic builder it replaces, row by row, in every packing.</summary>
public class QuotientKernelTests
{
    public static TheoryData<PackingKind> Packings() => [.. Packing.Supported];

    [Theory]
    [MemberData(nameof(Packings))]
    public void The_compiled_quotient_equals_the_generic_builder_on_random_rows(PackingKind packing)
    {
        var random = new Random(31);
        var (left, right) = PermutationAir.Traces(512, 32);
        TableTrace[] tables = [.. StarkProverTests.RangeCheck(512, 33), left, right, FibonacciAir.Trace(1024)];
        var challenges = new LogUpChallenges(RandomExt(random), RandomExt(random)) { Shard = 3 };
        foreach (var trace in tables)
        {
            var table = TableData.BeforeQuotient(trace, challenges, 1, out var cumulativeSum);
            BabyBearExt4 alpha = RandomExt(random);
            var domain = new QuotientDomain(table.LogHeight);
            var values = StarkProver.QuotientOnDomain(table, domain, alpha, challenges, cumulativeSum, packing, out _);
            // Blocks are 256 rows: the rows drawn fall in every block, first and last rows included.
            int[] rows = [0, 1, values.Height - 1, .. Enumerable.Range(0, 24).Select(_ => random.Next(values.Height))];
            foreach (int row in rows)
            {
                var expected = StarkProver.QuotientReference(table, domain, alpha, challenges, cumulativeSum, row);
                Assert.Equal(expected, new BabyBearExt4(values[row, 0], values[row, 1], values[row, 2], values[row, 3]));
            }
        }
    }

    static BabyBearExt4 RandomExt(Random r) => new(F(r), F(r), F(r), F(r));
    static BabyBear F(Random r) => BabyBear.FromCanonical((uint)r.Next((int)BabyBear.P));
}

/// <summary>The quotient domain's precomputed rows against their definitions, point by point.</summary>
public class QuotientDomainTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(15)]
    public void Every_row_holds_its_point_selectors_and_inverse_vanishing(int logN)
    {
        var domain = new QuotientDomain(logN);
        int n = 1 << logN, size = 2 * n;
        BabyBear[] points = ZkVm.Stark.Pcs.Domain.BitReversedPoints(logN + 1);
        BabyBear omega = BabyBear.TwoAdicGenerator(logN), nInverse = BabyBear.FromCanonical((uint)n).Inverse();
        for (int r = 0; r < size; r += Math.Max(1, size / 512))
        {
            BabyBear x = points[r], z = ZkVm.Stark.Pcs.Domain.Vanishing(x, logN);
            Assert.Equal(z.Inverse(), domain.InverseVanishing[r]);
            Assert.Equal(z * nInverse * (x - BabyBear.One).Inverse(), domain.First[r]);
            Assert.Equal(z * nInverse * omega.Inverse() * (x - omega.Inverse()).Inverse(), domain.Last[r]);
            Assert.Equal(x - omega.Inverse(), domain.Transition[r]);
            Assert.Equal(x * BabyBear.TwoAdicGenerator(logN), points[domain.NextRow[r]]);
        }
    }
}
