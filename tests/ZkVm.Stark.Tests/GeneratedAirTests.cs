using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Serialization;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

/// <summary>
/// The generated AIRs (Airs/Specs.cs) against the hand-written ones they restate, through each of the
/// engine's four builders: symbolic (shape), debug (row values), prover (proof bytes), verifier (folded openings).
/// </summary>
public class GeneratedAirTests
{
    private static readonly Dictionary<string, (IAir Reference, IAir Generated)> Pairs = new()
    {
        ["fibonacci"] = (new FibonacciAir(), new FibonacciChip()),
        ["byte-values"] = (new ByteValuesAir(), new ByteValuesChip()),
        ["byte-table"] = (new ByteTableAir(), new ByteTableChip()),
        ["permutation-left"] = (new PermutationAir(true), new PermutationLeftChip()),
        ["permutation-right"] = (new PermutationAir(false), new PermutationRightChip()),
        ["triple-byte-values"] = (new TripleByteValuesAir(), new TripleByteValuesChip()),
    };

    public static TheoryData<string> Names() => [.. Pairs.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Symbolic_builder_sees_the_same_shape(string name)
    {
        var (reference, generated) = Pairs[name];
        Assert.Equal(reference.Name, generated.Name);
        Assert.Equal(reference.MainWidth, generated.MainWidth);
        Assert.Equal(reference.PreprocessedWidth, generated.PreprocessedWidth);
        Assert.Equal(reference.PublicValueCount, generated.PublicValueCount);
        Assert.Equal(reference.FixedLogHeight, generated.FixedLogHeight);
        Assert.Equal(reference.Preprocessed(256)?.Values, generated.Preprocessed(256)?.Values);

        AirShape expected = AirShape.ForAir(reference), actual = AirShape.ForAir(generated);
        Assert.Equal(expected.Constraints.Select(c => c.Degree), actual.Constraints.Select(c => c.Degree));
        Assert.Equal(expected.Interactions, actual.Interactions);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Debug_builder_gives_the_same_values_on_random_rows(string name)
    {
        var (reference, generated) = Pairs[name];
        var r = new Random(name.Length);
        int height = reference.FixedLogHeight is int log ? 1 << log : 16;
        var main = RowMajorMatrix.Random(reference.MainWidth, height, r);
        BabyBear[] publics = [.. Enumerable.Range(0, reference.PublicValueCount).Select(_ => RandomBase(r))];
        RowEvaluator expected = new(new TableTrace(reference, main, publics)), actual = new(new TableTrace(generated, main, publics));
        for (int row = 0; row < height; row++)
        {
            expected.EvaluateRow(row);
            actual.EvaluateRow(row);
            Assert.Equal(expected.Constraints.Select(c => c.Value), actual.Constraints.Select(c => c.Value));
            Assert.Equal(expected.Entries.Count, actual.Entries.Count);
            for (int i = 0; i < expected.Entries.Count; i++)
            {
                Assert.Equal(expected.Entries[i].Bus, actual.Entries[i].Bus);
                Assert.Equal(expected.Entries[i].Multiplicity, actual.Entries[i].Multiplicity);
                Assert.Equal(expected.Entries[i].Values, actual.Entries[i].Values);
            }
        }
    }

    public static TheoryData<string> Witnesses() => ["fibonacci", "range-check", "permutation", "triple-byte"];

    private static TableTrace[] Witness(string name) => name switch
    {
        "fibonacci" => [FibonacciAir.Trace(16)],
        "range-check" => StarkProverTests.RangeCheck(32, 5),
        "permutation" => StarkProverTests.Permutation(16, 6),
        "triple-byte" => TripleByte(8),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static TableTrace[] TripleByte(int height)
    {
        var values = new uint[height, 3];
        var r = new Random(height);
        for (int i = 0; i < height; i++)
            for (int c = 0; c < 3; c++) values[i, c] = (uint)r.Next(256);
        return [TripleByteValuesAir.Trace(values), ByteTableAir.Trace(values.Cast<uint>())];
    }

    private static TableTrace[] Generated(TableTrace[] tables) =>
        [.. tables.Select(t => new TableTrace(Pairs[t.Air.Name].Generated, t.Main, t.PublicValues))];

    [Theory]
    [MemberData(nameof(Witnesses))]
    public void Prover_builder_gives_byte_identical_proofs_and_the_verifier_accepts_them(string name)
    {
        var reference = Witness(name);
        var generated = Generated(reference);
        var proof = StarkProver.Prove(generated, StarkProverTests.Default);
        Assert.Equal(StarkProofFormat.Write(StarkProver.Prove(reference, StarkProverTests.Default)), StarkProofFormat.Write(proof));
        StarkVerifier.Verify(StarkStatement.For(generated), proof);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Verifier_builder_folds_random_openings_to_the_same_value(string name)
    {
        var (reference, generated) = Pairs[name];
        var r = new Random(name.Length + 1);
        var layout = LogUpLayout.For(AirShape.ForAir(reference));
        BabyBearExt4[] Ext(int n) => [.. Enumerable.Range(0, n).Select(_ => RandomExt(r))];
        var next = NextColumns.For(AirShape.ForAir(reference), layout);
        // The generated AIR reads the same columns on the next row, so it opens the same ones at ζω.
        Assert.Equal(next.Main, AirShape.ForAir(generated).MainNext);
        Assert.Equal(next.Preprocessed, AirShape.ForAir(generated).PreprocessedNext);
        var openings = new TableOpenings(
            Ext(reference.PreprocessedWidth), Ext(next.Preprocessed.Length), Ext(reference.MainWidth), Ext(next.Main.Length),
            Ext(4 * layout.Width), Ext(next.Aux.Length), []); // each LogUp column opens as its 4 base coordinates
        BabyBear[] publics = [.. Enumerable.Range(0, reference.PublicValueCount).Select(_ => RandomBase(r))];
        OodBuilder Builder() => new(openings, next, publics, RandomExt(new Random(7)), 4, RandomExt(new Random(8)),
            new LogUpChallenges(RandomExt(new Random(9)), RandomExt(new Random(10))), RandomExt(new Random(11)));

        Assert.Equal(Builder().Fold(reference, layout), Builder().Fold(generated, layout));
    }

    [Fact]
    public void Row_views_name_the_columns_of_a_trace_row()
    {
        var expected = FibonacciAir.Trace(8).Main;
        var m = new RowMajorMatrix(FibonacciChip.Columns.MainNames.Length, 8);
        var first = new FibonacciChip.MainRow<BabyBear>(m.Row(0));
        first.A = BabyBear.Zero;
        first.B = BabyBear.One;
        for (int i = 1; i < 8; i++)
        {
            FibonacciChip.MainRow<BabyBear> previous = new(m.Row(i - 1)), row = new(m.Row(i));
            row.A = previous.B;
            row.B = previous.A + previous.B;
        }
        Assert.Equal(expected.Values, m.Values);

        Assert.Equal(["Bytes[0]", "Bytes[1]", "Bytes[2]"], TripleByteValuesChip.Columns.MainNames);
        Span<int> cells = [10, 11, 12];
        new TripleByteValuesChip.MainRow<int>(cells).Bytes[1] = 42;
        Assert.Equal(42, cells[1]);
        Assert.Throws<ArgumentException>(() => new TripleByteValuesChip.MainRow<int>(new int[4]));
    }

    [Fact]
    public void The_documented_example_chip_checks_proves_and_names_its_columns()
    {
        var r = new Random(3);
        uint[] lows = [.. Enumerable.Range(0, 16).Select(_ => (uint)r.Next(256))], highs = [.. Enumerable.Range(0, 16).Select(_ => (uint)r.Next(256))];
        TableTrace[] tables = [ByteSumChip.Trace(lows, highs), ByteTableAir.Trace([.. lows, .. highs])];
        TraceChecker.Check(tables);
        StarkVerifier.Verify(StarkStatement.For(tables), StarkProver.Prove(tables, StarkProverTests.Default));
        Assert.Equal(["Step", "byte[0]", "byte[1]", "Sum"], ByteSumChip.Columns.MainNames);
        Assert.Equal(3, ByteSumChip.Columns.Sum);

        var bad = ByteSumChip.Trace(lows, highs);
        bad.Main[5, ByteSumChip.Columns.Sum] += BabyBear.One;
        Assert.Equal(AirErrors.ConstraintFailed, Assert.Throws<ZkVmException>(() => TraceChecker.Check([bad, tables[1]])).Code);
    }

    private static BabyBear RandomBase(Random r) => BabyBear.FromCanonical((uint)r.Next((int)BabyBear.P));

    private static BabyBearExt4 RandomExt(Random r) => new(RandomBase(r), RandomBase(r), RandomBase(r), RandomBase(r));
}
