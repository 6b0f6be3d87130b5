using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ZkVm.Air.Generator.Tests;

/// <summary>
/// The generated source of a few specs, compared exactly with Golden/*.g.cs.txt. Set
/// ZKAIR_UPDATE_GOLDEN=1 to rewrite the files from the generator's current output.
/// </summary>
public class GoldenTests
{
    public static readonly Dictionary<string, string> Specs = new()
    {
        ["Fibonacci"] = GeneratorHarness.Usings + """
            namespace Demo;

            [ZkAir("fibonacci", PublicValues = 3)]
            public partial struct Fibonacci
            {
                [Col] public BabyBear A;
                [Col] public BabyBear B;

                [Constraints]
                private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
                    where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
                {
                    b.AssertZero(b.IsFirstRow * (local.A - b.Public(0)));
                    b.AssertZero(b.IsFirstRow * (local.B - b.Public(1)));
                    b.AssertZero(b.IsTransition * (next.A - local.B));
                    b.AssertZero(b.IsTransition * (next.B - (local.A + local.B)));
                    b.AssertZero(b.IsLastRow * (local.B - b.Public(2)));
                }
            }
            """,
        ["Limbs"] = GeneratorHarness.Usings + """
            namespace Demo.Chips;

            public static class Buses
            {
                [ZkBus(2)] public static readonly Bus Pair = new(7, "pair");
            }

            /// <summary>A fixed index column, four limbs with a named carry, and pairs sent on a bus.</summary>
            [ZkAir("limbs")]
            public partial struct Limbs
            {
                [Col(Fixed = true)] public BabyBear Index;
                [Col(4, Name = "limb")] public BabyBear[] Limb;
                [Col(Name = "carry")] public BabyBear Carry;

                [Constraints]
                private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
                    where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
                {
                    TE one = TE.Constant(BabyBear.One);
                    b.AssertZero(local.Carry * (local.Carry - one));
                    for (int i = 0; i < 4; i++) b.Send(Buses.Pair, one, local.Index, local.Limb[i]);
                    b.AssertZero(b.IsTransition * (next.Index - local.Index - one));
                }
            }
            """,
        ["GlobalNamespace"] = GeneratorHarness.Usings + """
            public static class Buses
            {
                [ZkBus(1)] public static readonly Bus Byte = new(1, "byte");
            }

            [ZkAir("two-methods")]
            public partial struct TwoMethods
            {
                [Col] public BabyBear X;

                [Constraints]
                private static void Squares<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
                    where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
                    b.AssertZero(b.IsTransition * (next.X - local.X * local.X));

                [Constraints]
                private static void Bytes<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
                    where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
                    b.Receive(Buses.Byte, -local.X, local.X);
            }
            """,
        ["Groups"] = GeneratorHarness.Usings + """
            namespace Demo.Groups;

            public static class Buses
            {
                [ZkBus(2)] public static readonly Bus Memory = new(3, "memory");
            }

            /// <summary>A register and the timestamp of its last access.</summary>
            [ZkColumns]
            public partial struct Access
            {
                [Col] public BabyBear Index;
                [Col] public BabyBear PrevTs;
            }

            /// <summary>A group of a column and two groups.</summary>
            [ZkColumns]
            public partial struct Adapter
            {
                [Col] public BabyBear Pc;
                [Col] public Access Rs1;
                [Col(Name = "dst")] public Access Rd;
            }

            public static class AccessGadgets
            {
                [ZkGadget]
                public static void Touch<TB, TE>(TB b, Access.View<TB, TE> access, TE ts)
                    where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
                {
                    b.Receive(Buses.Memory, TE.From(1), access.Index, access.PrevTs);
                    b.Send(Buses.Memory, TE.From(1), access.Index, ts);
                }
            }

            [ZkAir("grouped")]
            public partial struct Grouped
            {
                [Col] public BabyBear Ts;
                [Col(Name = "")] public Adapter Adapter;
                [Col] public Access Mem;

                [Constraints]
                private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
                    where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
                {
                    b.AssertZero(local.Adapter.Rs1.PrevTs - local.Mem.PrevTs);
                    b.When(local.Ts).AssertZero(local.Adapter.Rd.Index);
                    AccessGadgets.Touch(b, local.Adapter.Rs1, local.Ts);
                    AccessGadgets.Touch(b, local.Mem, local.Ts + local.Adapter.Pc);
                }
            }
            """,
    };

    public static TheoryData<string> Names() => [.. Specs.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Generated_source_matches_its_golden_file_and_compiles(string name)
    {
        var (run, compiler) = GeneratorHarness.Generate(Specs[name]);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(compiler.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var generated = run.Results[0].GeneratedSources;
        CompareWithGolden("Attributes", generated.Single(s => s.HintName == "ZkVm.Air.Attributes.g.cs").SourceText.ToString());
        CompareWithGolden(name, generated.Single(s => s.HintName.EndsWith($"{SpecType(name)}.g.cs", StringComparison.Ordinal)).SourceText.ToString());
    }

    [Fact]
    public void A_column_group_gets_its_views_and_a_spec_names_its_columns_by_path()
    {
        var (run, _) = GeneratorHarness.Generate(Specs["Groups"]);
        var generated = run.Results[0].GeneratedSources;
        CompareWithGolden("GroupsAdapter", generated.Single(s => s.HintName == "Demo.Groups.Adapter.g.cs").SourceText.ToString());
        string grouped = generated.Single(s => s.HintName == "Demo.Groups.Grouped.g.cs").SourceText.ToString();
        Assert.Contains("MainNames = new string[] { \"Ts\", \"Pc\", \"Rs1.Index\", \"Rs1.PrevTs\", \"dst.Index\", \"dst.PrevTs\", \"Mem.Index\", \"Mem.PrevTs\" }", grouped);
    }

    [Fact]
    public void A_spec_split_over_two_files_is_read_whole()
    {
        var (run, compiler) = GeneratorHarness.Generate(
            GeneratorHarness.Usings + "[ZkAir(\"split\")] public partial struct Split { [Col(2)] public BabyBear[] L; }",
            GeneratorHarness.Usings + """
                public partial struct Split
                {
                    [Constraints]
                    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
                        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
                    {
                        for (int i = 0; i < 2; i++) b.AssertZero(local.L[i] * local.L[i] * local.L[i] * local.L[i]);
                    }
                }
                """);
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal("ZKAIR001", d.Id);
        Assert.Equal("Spec1.cs", d.Location.GetLineSpan().Path);
        Assert.DoesNotContain(compiler, c => c.Severity == DiagnosticSeverity.Error);
    }

    private static string SpecType(string name) => name switch { "GlobalNamespace" => "TwoMethods", "Groups" => "Grouped", _ => name };

    internal static void CompareWithGolden(string name, string actual, [CallerFilePath] string thisFile = "")
    {
        string file = $"{name}.g.cs.txt";
        if (Environment.GetEnvironmentVariable("ZKAIR_UPDATE_GOLDEN") == "1")
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", file), actual);
        else
            Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)), actual);
    }
}
