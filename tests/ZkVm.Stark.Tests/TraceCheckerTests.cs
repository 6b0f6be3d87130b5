using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

public class TraceCheckerTests
{
    private static TableTrace[] RangeCheck(int height, int seed)
    {
        var r = new Random(seed);
        uint[] values = [.. Enumerable.Range(0, height).Select(_ => (uint)r.Next(256))];
        return [ByteValuesAir.Trace(values), ByteTableAir.Trace(values)];
    }

    private static TableTrace[] Permutation(int height, int seed)
    {
        var (left, right) = PermutationAir.Traces(height, seed);
        return [left, right];
    }

    [Fact]
    public void Valid_witnesses_pass_at_every_height()
    {
        for (int log = 1; log <= 10; log++)
        {
            TraceChecker.Check([FibonacciAir.Trace(1 << log)]);
            TraceChecker.Check(RangeCheck(1 << log, log));
            TraceChecker.Check(Permutation(1 << log, log));
        }
        // Tables of different heights in one witness.
        TraceChecker.Check([.. RangeCheck(8, 1), .. Permutation(64, 2), FibonacciAir.Trace(32)]);
    }

    public static TheoryData<string> Examples() => ["fibonacci", "range-check", "permutation"];

    private static TableTrace[] Example(string name) => name switch
    {
        "fibonacci" => [FibonacciAir.Trace(16)],
        "range-check" => RangeCheck(16, 3),
        _ => Permutation(16, 4),
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Changing_any_single_cell_is_caught_with_its_table_and_row(string example)
    {
        TableTrace[] tables = Example(example);
        TraceChecker.Check(tables);
        for (int t = 0; t < tables.Length; t++)
            for (int row = 0; row < tables[t].Height; row++)
                for (int column = 0; column < tables[t].Main.Width; column++)
                {
                    TableTrace[] mutated = Example(example);
                    mutated[t].Main[row, column] += BabyBear.One;
                    var e = Assert.Throws<ZkVmException>(() => TraceChecker.Check(mutated));
                    Assert.True(e.Code is AirErrors.ConstraintFailed or AirErrors.BusUnbalanced, e.Message);
                    if (e.Code == AirErrors.ConstraintFailed) Assert.Contains($"table '{tables[t].Air.Name}'", e.Message);
                }
    }

    [Fact]
    public void Failures_name_the_constraint_and_row()
    {
        var trace = FibonacciAir.Trace(16);
        trace.Main[9, 1] += BabyBear.One;
        var e = Assert.Throws<ZkVmException>(() => TraceChecker.Check([trace]));
        Assert.Equal(AirErrors.ConstraintFailed, e.Code);
        Assert.Contains("row 8", e.Message);
        Assert.Contains("b.IsTransition * (b.MainNext(1) - (a + c))", e.Message);
    }

    [Fact]
    public void A_lookup_of_a_value_not_in_the_table_is_unbalanced()
    {
        uint[] values = [1, 2, 3, 300];
        // The byte table cannot count 300; it counts the others honestly.
        var tables = new[] { ByteValuesAir.Trace(values), ByteTableAir.Trace(values.Where(v => v < 256)) };
        var e = Assert.Throws<ZkVmException>(() => TraceChecker.Check(tables));
        Assert.Equal(AirErrors.BusUnbalanced, e.Code);
        Assert.Contains("bus 'byte'", e.Message);
        Assert.Contains("(300)", e.Message);
    }

    [Fact]
    public void A_multiplicity_off_by_one_is_unbalanced()
    {
        uint[] values = [7, 7, 9, 200];
        foreach (int delta in new[] { 1, -1 })
        {
            var table = ByteTableAir.Trace(values);
            table.Main[7, 0] += delta > 0 ? BabyBear.One : -BabyBear.One;
            var e = Assert.Throws<ZkVmException>(() => TraceChecker.Check([ByteValuesAir.Trace(values), table]));
            Assert.Equal(AirErrors.BusUnbalanced, e.Code);
            Assert.Contains("(7)", e.Message);
        }
    }

    [Fact]
    public void Public_bus_entries_count_in_the_balance()
    {
        var (left, _) = PermutationAir.Traces(4, 5);
        // The verifier supplies the receiving side itself.
        var entries = Enumerable.Range(0, 4).Select(i => new PublicBusEntry(Buses.Permutation, -BabyBear.One, left.Main.Row(i).ToArray())).ToList();
        TraceChecker.Check([left], entries);
        entries[2] = entries[2] with { Values = [entries[2].Values[0] + BabyBear.One, entries[2].Values[1]] };
        Assert.Equal(AirErrors.BusUnbalanced, Assert.Throws<ZkVmException>(() => TraceChecker.Check([left], entries)).Code);
    }
}
