using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

public class LogUpTests
{
    private static LogUpChallenges RandomChallenges(int seed)
    {
        var r = new Random(seed);
        BabyBear E() => BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P));
        return new(new(E(), E(), E(), E()), new(E(), E(), E(), E()));
    }

    private static TableTrace[] Lookups(int height, int seed, bool includeOutOfRange = false)
    {
        var r = new Random(seed);
        var values = new uint[height, 3];
        for (int i = 0; i < height; i++)
            for (int c = 0; c < 3; c++) values[i, c] = (uint)r.Next(256);
        if (includeOutOfRange) values[height / 2, 1] = 256;
        var counted = Enumerable.Range(0, height).SelectMany(i => new[] { values[i, 0], values[i, 1], values[i, 2] }).Where(v => v < 256);
        return [TripleByteValuesAir.Trace(values), ByteTableAir.Trace(counted)];
    }

    private static BabyBearExt4 SumOfCumulativeSums(IEnumerable<TableTrace> tables, LogUpChallenges ch)
    {
        BabyBearExt4 total = BabyBearExt4.Zero;
        foreach (var t in tables)
        {
            var trace = LogUpTrace.Build(t, LogUpLayout.For(AirShape.ForAir(t.Air)), ch);
            TraceChecker.CheckLogUp(t, trace, ch, trace.CumulativeSum);
            total += trace.CumulativeSum;
        }
        return total;
    }

    [Fact]
    public void Interactions_are_grouped_within_the_degree_budget()
    {
        var layout = LogUpLayout.For(AirShape.ForAir(new TripleByteValuesAir()));
        Assert.Equal([[0, 1], [2]], layout.Groups);
        Assert.Equal(2, layout.Width); // the first group's column and the suffix sum; the last group has none
        // A degree-1 multiplicity with a degree-1 value: m·d₂ has degree 2 and h·d₁·d₂ degree 3, so a pair still fits.
        Assert.Single(LogUpLayout.For(AirShape.ForAir(new ByteTableAir())).Groups);
        Assert.Equal(0, LogUpLayout.For(AirShape.ForAir(new FibonacciAir())).Width);
    }

    [Fact]
    public void Honest_witnesses_give_columns_that_satisfy_the_constraints_and_balance()
    {
        for (int log = 1; log <= 8; log++)
        {
            var ch = RandomChallenges(log);
            Assert.Equal(BabyBearExt4.Zero, SumOfCumulativeSums(Lookups(1 << log, log), ch));
            var (left, right) = PermutationAir.Traces(1 << log, log);
            Assert.Equal(BabyBearExt4.Zero, SumOfCumulativeSums([left, right], ch));
        }
    }

    [Fact]
    public void An_unbalanced_bus_leaves_a_nonzero_total()
    {
        var ch = RandomChallenges(100);
        Assert.NotEqual(BabyBearExt4.Zero, SumOfCumulativeSums(Lookups(16, 5, includeOutOfRange: true), ch));
        var tables = Lookups(16, 6);
        tables[1].Main[3, 0] += BabyBear.One; // a multiplicity off by one
        Assert.NotEqual(BabyBearExt4.Zero, SumOfCumulativeSums(tables, ch));
    }

    [Fact]
    public void Any_altered_logup_cell_or_claimed_sum_violates_a_constraint()
    {
        var ch = RandomChallenges(7);
        foreach (var table in Lookups(8, 8))
        {
            var layout = LogUpLayout.For(AirShape.ForAir(table.Air));
            var honest = LogUpTrace.Build(table, layout, ch);
            // Every extension cell, through its first base part.
            for (int i = 0; i < honest.Values.Values.Length; i += 4)
            {
                var columns = honest.Values.Clone();
                columns.Values[i] += BabyBear.One;
                var e = Assert.Throws<ZkVmException>(() => TraceChecker.CheckLogUp(table, honest with { Values = columns }, ch, honest.CumulativeSum));
                Assert.Equal(AirErrors.ConstraintFailed, e.Code);
                Assert.Contains("LogUp", e.Message);
            }
            Assert.Throws<ZkVmException>(() => TraceChecker.CheckLogUp(table, honest, ch, honest.CumulativeSum + BabyBearExt4.One));
        }
    }

    /// <summary>
    /// S is bound only through its differences (S − S_next is each row's fractions, and the wrap from the last row to
    /// the first adds σ), so a constant added to every row changes nothing that matters and is accepted; but a forger
    /// who claims σ + d must make the differences add up to −d somewhere, and the row where they do breaks its last
    /// group's constraint, however S is spread.
    /// </summary>
    [Fact]
    public void The_suffix_sum_pins_the_claimed_sum_however_a_forger_spreads_it()
    {
        var ch = RandomChallenges(11);
        var table = Lookups(16, 12)[0];
        var layout = LogUpLayout.For(AirShape.ForAir(table.Air));
        var honest = LogUpTrace.Build(table, layout, ch);
        LogUpTrace Shifted(Func<int, BabyBearExt4> by)
        {
            var columns = honest.Values.Clone();
            for (int row = 0; row < table.Height; row++)
            {
                BabyBearExt4 s = honest[row, layout.SumColumn] + by(row);
                for (int j = 0; j < 4; j++) columns[row, 4 * layout.SumColumn + j] = s[j];
            }
            return honest with { Values = columns };
        }
        var c = new BabyBearExt4(BabyBear.FromCanonical(5), BabyBear.One, BabyBear.Zero, BabyBear.FromCanonical(9));
        TraceChecker.CheckLogUp(table, Shifted(_ => c), ch, honest.CumulativeSum);

        var d = BabyBearExt4.One;
        var step = d * new BabyBearExt4(BabyBear.FromCanonical((uint)table.Height), BabyBear.Zero, BabyBear.Zero, BabyBear.Zero).Inverse();
        Func<int, BabyBearExt4>[] spreads =
        [
            _ => BabyBearExt4.Zero,                                                             // S unchanged
            row => row == 0 ? d : BabyBearExt4.Zero,                                            // the first row absorbs d
            row => step * new BabyBearExt4(BabyBear.FromCanonical((uint)row), BabyBear.Zero, BabyBear.Zero, BabyBear.Zero), // d spread evenly
        ];
        foreach (var spread in spreads)
        {
            var e = Assert.Throws<ZkVmException>(() => TraceChecker.CheckLogUp(table, Shifted(spread), ch, honest.CumulativeSum + d));
            Assert.Equal(AirErrors.ConstraintFailed, e.Code);
            Assert.Contains("LogUp suffix sum", e.Message);
        }
    }

    [Fact]
    public void Public_bus_terms_complete_the_balance()
    {
        var ch = RandomChallenges(9);
        var (left, _) = PermutationAir.Traces(8, 10);
        var receive = Enumerable.Range(0, 8).Select(i => new PublicBusEntry(Buses.Permutation, -BabyBear.One, left.Main.Row(i).ToArray())).ToList();
        Assert.Equal(BabyBearExt4.Zero, SumOfCumulativeSums([left], ch) + ch.PublicSum(receive));
        receive[0] = receive[0] with { Multiplicity = -BabyBear.One - BabyBear.One };
        Assert.NotEqual(BabyBearExt4.Zero, SumOfCumulativeSums([left], ch) + ch.PublicSum(receive));
    }

    public static TheoryData<PackingKind> Packings() => [.. Packing.Supported];

    [Theory]
    [MemberData(nameof(Packings))]
    public void The_packed_and_scalar_interaction_passes_build_the_reference_columns(PackingKind packing)
    {
        var ch = RandomChallenges(21);
        // 1024 rows: four blocks of the interaction pass, so the running sum crosses blocks.
        var (left, right) = PermutationAir.Traces(1024, 22);
        foreach (var table in Lookups(64, 23).Concat(Lookups(1024, 24)).Append(left).Append(right))
        {
            var layout = LogUpLayout.For(AirShape.ForAir(table.Air));
            var reference = LogUpTrace.BuildReference(table, layout, ch);
            var scalar = LogUpTrace.Build(table, layout, ch, PackingKind.Scalar);
            var packed = LogUpTrace.Build(table, layout, ch, packing);
            Assert.Equal(reference.Values.Values, scalar.Values.Values);
            Assert.Equal(reference.Values.Values, packed.Values.Values);
            Assert.Equal(reference.CumulativeSum, packed.CumulativeSum);
            TraceChecker.CheckLogUp(table, packed, ch, packed.CumulativeSum);
        }
    }
}
