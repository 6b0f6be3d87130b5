using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ZkVm.Air.Generator.Tests;

/// <summary>The generator's pipeline caches its model: edits elsewhere, or that leave the model equal, emit nothing anew.</summary>
public class IncrementalityTests
{
    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compilation(GoldenTests.Specs["Fibonacci"], "namespace Demo; public static class Unrelated { public static int One => 1; }");
        return (GeneratorHarness.Driver().RunGenerators(compilation), compilation);
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        NotEmpty([.. driver.GetRunResult().Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)]);

    private static IncrementalStepRunReason[] OutputReasons(GeneratorDriver driver) =>
        NotEmpty([.. driver.GetRunResult().Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason)]);

    private static IncrementalStepRunReason[] NotEmpty(IncrementalStepRunReason[] reasons)
    {
        Assert.NotEmpty(reasons);
        return reasons;
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, int tree, string from, string to)
    {
        var old = compilation.SyntaxTrees.ElementAt(tree);
        var text = old.GetText().ToString();
        Assert.Contains(from, text);
        return compilation.ReplaceSyntaxTree(old, old.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Replace(from, to))));
    }

    [Fact]
    public void An_unrelated_edit_is_served_from_the_cache()
    {
        var (driver, compilation) = FirstRun();
        driver = driver.RunGenerators(Replace(compilation, 1, "One => 1", "One => 2"));
        // The model is rebuilt against the new compilation (its semantic model changed) but compares
        // equal, so the emitter's output comes from the cache.
        Assert.All(Reasons(driver, AirGenerator.TrackingName), r => Assert.Contains(r, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        Assert.All(OutputReasons(driver), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void An_edit_inside_a_constraint_reparses_the_spec_but_emits_nothing_anew()
    {
        var (driver, compilation) = FirstRun();
        driver = driver.RunGenerators(Replace(compilation, 0, "(local.B - b.Public(2))", "(b.Public(2) - local.B)"));
        Assert.Equal([IncrementalStepRunReason.Unchanged], Reasons(driver, AirGenerator.TrackingName));
        Assert.All(OutputReasons(driver), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void An_edit_to_the_columns_regenerates()
    {
        var (driver, compilation) = FirstRun();
        string before = Source(driver);
        driver = driver.RunGenerators(Replace(compilation, 0, "[Col] public BabyBear B;", "[Col] public BabyBear B;\n    [Col] public BabyBear C;"));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(driver, AirGenerator.TrackingName));
        Assert.Contains(IncrementalStepRunReason.Modified, OutputReasons(driver));
        Assert.NotEqual(before, Source(driver));
        Assert.Contains("public readonly int MainWidth => 3;", Source(driver));
    }

    private static string Source(GeneratorDriver driver) =>
        driver.GetRunResult().Results[0].GeneratedSources.Single(s => s.HintName == "Demo.Fibonacci.g.cs").SourceText.ToString();
}
