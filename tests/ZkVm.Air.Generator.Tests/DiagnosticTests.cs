using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ZkVm.Air.Generator.Tests;

/// <summary>
/// Each diagnostic from an offending spec, with its location: the spec marks the expected span with
/// [| |], which the test removes before compiling.
/// </summary>
public class DiagnosticTests
{
    private const string Buses = """
        public static class Buses
        {
            [ZkBus(2)] public static readonly Bus Pair = new(1, "pair");
            public static readonly Bus Undeclared = new(2, "undeclared");
        }

        public static class Gadgets
        {
            [ZkGadget]
            public static void SendPair<TB, TE>(TB b, Bus bus, TE multiplicity, TE x, TE y)
                where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => b.Send(bus, multiplicity, x, y);

            public static void NotAGadget<TB, TE>(TB b, TE x) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => b.AssertZero(x);

            [ZkGadget]
            public static void SendGroup<TB, TE>(TB b, Pair.View<TB, TE> pair, bool swap)
                where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => b.Send(Buses.Pair, TE.From(1), swap ? pair.Y : pair.X, swap ? pair.X : pair.Y);
        }

        public static class Linear
        {
            public static readonly uint[] Weights = [1, 2];

            [ZkLinear]
            public static TE Weighted<TE>(System.ReadOnlySpan<TE> terms, uint[] weights) where TE : IAirExpression<TE>
            {
                TE sum = terms[0] * TE.From(weights[0]);
                for (int i = 1; i < terms.Length; i++) sum = sum + terms[i] * TE.From(weights[i]);
                return sum;
            }
        }

        [ZkColumns]
        public partial struct Pair
        {
            [Col] public BabyBear X;
            [Col] public BabyBear Y;
        }

        """;

    private static string Spec(string columns, string body) => GeneratorHarness.Usings + Buses + $$"""
        [ZkAir("spec")]
        public partial struct Spec
        {
            {{columns}}

            [Constraints]
            private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
                where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
            {
                {{body}}
            }
        }
        """;

    private const string TwoColumns = "[Col] public BabyBear A;\n    [Col] public BabyBear B;";

    /// <summary>Runs the generator on <paramref name="marked"/> and checks that it reports exactly one diagnostic, <paramref name="id"/>, at the marked span.</summary>
    private static Diagnostic AssertSingle(string id, string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        string source = marked.Replace("[|", "").Replace("|]", "");
        var (run, _) = GeneratorHarness.Generate(source);
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(TextSpan.FromBounds(start, end), d.Location.SourceSpan);
        Assert.Equal("Spec0.cs", d.Location.GetLineSpan().Path);
        return d;
    }

    [Fact]
    public void ZKAIR001_a_constraint_of_degree_four()
    {
        var d = AssertSingle("ZKAIR001", Spec(TwoColumns, "TE ab = local.A * local.B;\n b.AssertZero([|b.IsTransition * ab * (next.A - local.A * local.B)|]);"));
        Assert.Contains("has degree 5, above 3", d.GetMessage());
    }

    [Fact]
    public void ZKAIR001_assert_bool_of_a_degree_two_expression()
    {
        // AssertBool(x) is x·(x − 1): degree 4 for x = A·B.
        var d = AssertSingle("ZKAIR001", Spec(TwoColumns, "b.AssertBool([|local.A * local.B|]);"));
        Assert.Contains("has degree 4, above 3", d.GetMessage());
    }

    [Fact]
    public void ZKAIR001_a_conditional_constraint_whose_product_has_degree_four()
    {
        // When(c).AssertZero(x) is c·x: degree 2 + 2 here.
        var d = AssertSingle("ZKAIR001", Spec(TwoColumns, "[|b.When(local.A * local.B).AssertZero(local.A * local.B)|];"));
        Assert.Contains("has degree 4, above 3", d.GetMessage());
    }

    [Fact]
    public void The_vocabulary_assert_bool_when_and_integer_constants_is_accepted()
    {
        var (run, compiler) = GeneratorHarness.Generate(Spec(TwoColumns, "TE four = TE.From(4);\n b.AssertBool(local.A);\n b.When(TE.From(1) - local.A).AssertZero(local.B);\n b.AssertZero(local.B - four * local.A - TE.From(1 << 16));"));
        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain(compiler, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void ZKAIR001_an_interaction_multiplicity_of_degree_two()
    {
        var d = AssertSingle("ZKAIR001", Spec(TwoColumns, "b.Send(Buses.Pair, [|local.A * local.B|], local.A, local.B);"));
        Assert.Contains("Multiplicity", d.GetMessage());
    }

    [Fact]
    public void ZKAIR002_an_unknown_column()
    {
        var d = AssertSingle("ZKAIR002", Spec(TwoColumns, "b.AssertZero(local.A - next.[|C|]);"));
        Assert.Equal("'C' is not a column of Spec", d.GetMessage());
    }

    [Fact]
    public void ZKAIR002_a_limb_out_of_range()
    {
        AssertSingle("ZKAIR002", Spec("[Col(4)] public BabyBear[] L;", "for (int i = 0; i < 5; i++) b.AssertZero([|local.L[i]|]);"));
    }

    [Fact]
    public void ZKAIR002_a_public_value_not_declared()
    {
        var d = AssertSingle("ZKAIR002", Spec(TwoColumns, "b.AssertZero(b.IsFirstRow * (local.A - [|b.Public(0)|]));"));
        Assert.Equal("'b.Public(0)' is not a column of Spec (it declares 0 public values)", d.GetMessage());
    }

    [Fact]
    public void ZKAIR003_a_duplicated_column()
    {
        var d = AssertSingle("ZKAIR003", Spec("[Col(Name = \"x\")] public BabyBear A;\n    [Col(Name = \"X\")] public BabyBear [|B|];", "b.AssertZero(local.A);"));
        Assert.Equal("Column name 'X' is used twice in Spec", d.GetMessage());
    }

    [Fact]
    public void ZKAIR002_an_unknown_member_of_a_column_group()
    {
        var d = AssertSingle("ZKAIR002", Spec("[Col] public Pair P;", "b.AssertZero([|local.P.Z|]);"));
        Assert.Equal("'local.P.Z' is not a column of Spec", d.GetMessage());
    }

    [Fact]
    public void ZKAIR002_a_member_of_a_single_column()
    {
        var d = AssertSingle("ZKAIR002", Spec(TwoColumns, "b.AssertZero(local.A.[|X|]);"));
        Assert.Equal("'local.A.X' is not a column of Spec ('A' is a single column)", d.GetMessage());
    }

    [Fact]
    public void ZKAIR003_a_group_column_named_as_another_column()
    {
        var d = AssertSingle("ZKAIR003", Spec("[Col] public Pair P;\n    [Col(Name = \"P.Y\")] public BabyBear [|Q|];", "b.AssertZero(local.P.X);"));
        Assert.Equal("Column name 'P.Y' is used twice in Spec", d.GetMessage());
    }

    [Fact]
    public void ZKAIR005_a_column_group_used_as_a_value()
    {
        var d = AssertSingle("ZKAIR005", Spec("[Col] public Pair P;", "b.AssertZero([|local.P|]);"));
        Assert.Contains("column group 'local.P' is not a value", d.GetMessage());
    }

    [Fact]
    public void ZKAIR005_a_column_group_with_limbs()
    {
        var d = AssertSingle("ZKAIR005", GeneratorHarness.Usings + "[ZkColumns] public partial struct Limbed { [Col(2)] public BabyBear[] [|L|]; }");
        Assert.Contains("a column group holds single main columns and groups, not 'L'", d.GetMessage());
    }

    [Fact]
    public void A_linear_helper_in_a_constraint_is_accepted()
    {
        var (run, compiler) = GeneratorHarness.Generate(Spec(TwoColumns, "b.AssertZero(local.A * Linear.Weighted([local.A, local.B], Linear.Weights));"));
        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain(compiler, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void ZKAIR001_a_linear_helper_takes_the_degree_of_its_highest_term()
    {
        var d = AssertSingle("ZKAIR001", Spec(TwoColumns, "b.AssertZero([|local.A * local.B * Linear.Weighted([local.A * local.B, local.B], Linear.Weights)|]);"));
        Assert.Contains("has degree 4", d.GetMessage());
    }

    [Fact]
    public void A_column_group_and_a_constant_passed_to_a_gadget_are_accepted()
    {
        var (run, compiler) = GeneratorHarness.Generate(Spec("[Col] public Pair P;", "Gadgets.SendGroup(b, local.P, true);"));
        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain(compiler, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_gadget_call_passing_the_builder_and_expressions_is_accepted()
    {
        var (run, compiler) = GeneratorHarness.Generate(Spec(TwoColumns, "Gadgets.SendPair(b, Buses.Pair, TE.Constant(BabyBear.One), local.A, local.A * local.B);"));
        Assert.Empty(run.Diagnostics);
        Assert.DoesNotContain(compiler, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_gadget_argument_naming_an_unknown_column_is_reported()
    {
        AssertSingle("ZKAIR002", Spec(TwoColumns, "Gadgets.SendPair(b, Buses.Pair, local.A, local.[|C|], local.B);"));
    }

    [Fact]
    public void ZKAIR004_an_interaction_arity_mismatch()
    {
        var d = AssertSingle("ZKAIR004", Spec(TwoColumns, "[|b.Receive(Buses.Pair, local.A, local.B)|];"));
        Assert.Equal("Bus 'Buses.Pair' carries 2 value(s), but this interaction has 1", d.GetMessage());
    }

    public static TheoryData<string> NotUnderstood() =>
    [
        Spec(TwoColumns, "[|if (true) b.AssertZero(local.A);|]"),
        Spec(TwoColumns, "b.AssertZero([|Helper(local.A)|]);"),
        Spec(TwoColumns, "[|Gadgets.NotAGadget(b, local.A)|];"),
        Spec(TwoColumns, "[|Gadgets.SendPair(default(TB)!, Buses.Pair, local.A, local.A, local.B)|];"),
        Spec(TwoColumns, "Gadgets.SendPair(b, Buses.Pair, local.A, [|local.A.GetHashCode()|], local.B);"),
        Spec(TwoColumns, "b.Send([|Buses.Undeclared|], local.A, local.B);"),
        Spec(TwoColumns, "[|for (int i = 0; i < local.B.GetHashCode(); i++) b.AssertZero(local.A);|]"),
        Spec("[Col(3)] public BabyBear[] L;", "b.AssertZero([|local.L|]);"),
        Spec("[Col] public BabyBear A;\n    public BabyBear [|B|];", "b.AssertZero(local.A);"),
        Spec("[Col] public BabyBear A;\n    [Col] public BabyBear [|Name|];", "b.AssertZero(local.A);"),
        Spec("[Col] public BabyBear A;\n    [Col] public BabyBear[] [|L|];", "b.AssertZero(local.A);"),
        GeneratorHarness.Usings + "[ZkAir(\"x\")] public struct [|Spec|] { [Col] public BabyBear A; }",
        GeneratorHarness.Usings + "[ZkAir(\"x\")] public partial struct [|Spec|] { [Col] public BabyBear A; }",
        GeneratorHarness.Usings + "[ZkAir(\"x\")] public partial record struct [|Spec|] { [Col] public BabyBear A; }",
        GeneratorHarness.Usings + "[ZkAir(\"x\")] public partial struct Spec { [Col] public BabyBear A; [Constraints] static void [|Bad|](int x) { } }",
    ];

    [Theory]
    [MemberData(nameof(NotUnderstood))]
    public void ZKAIR005_a_spec_the_generator_cannot_understand(string marked)
    {
        AssertSingle("ZKAIR005", marked);
    }
}
