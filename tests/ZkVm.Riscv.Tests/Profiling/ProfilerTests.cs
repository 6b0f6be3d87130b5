using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Profiling;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Toolchain;

namespace ZkVm.Riscv.Tests.Profiling;

public class ProfilerTests
{
    // speedscope's own schema, https://www.speedscope.app/file-format-schema.json, as committed in
    // github.com/jlfwong/speedscope at e341b0a (file-format-schema.json), the format's definition.
    static readonly Lazy<JsonSchema> Speedscope = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Profiling", "speedscope-file-format-schema.json"))));

    static readonly Lazy<(CycleProfile Profile, JsonNode Json)> Sha256 = new(() =>
    {
        var profile = Profiler.Run(Guests.Load(Guests.SampleElf("sha256")), Guests.SampleInput("sha256"));
        using var stream = new MemoryStream();
        SpeedscopeFormat.Write(profile, "sha256", stream);
        return (profile, JsonNode.Parse(stream.ToArray())!);
    });

    [Fact]
    public void The_sha256_profile_passes_speedscopes_schema()
    {
        var result = Validate(Sha256.Value.Json);
        Assert.True(result.IsValid, JsonSerializer.Serialize(result));

        // What the schema cannot say and speedscope's importer relies on: one weight per sample, frames that exist.
        var profile = Sha256.Value.Json["profiles"]![0]!;
        int frames = Sha256.Value.Json["shared"]!["frames"]!.AsArray().Count;
        Assert.Equal(profile["samples"]!.AsArray().Count, profile["weights"]!.AsArray().Count);
        Assert.All(profile["samples"]!.AsArray(), stack => Assert.All(stack!.AsArray(), f => Assert.InRange((int)f!, 0, frames - 1)));
    }

    static EvaluationResults Validate(JsonNode json) =>
        Speedscope.Value.Evaluate(JsonSerializer.SerializeToElement(json), new EvaluationOptions { OutputFormat = OutputFormat.List });

    [Fact]
    public void The_schema_refuses_a_sampled_profile_without_weights()
    {
        var broken = Sha256.Value.Json.DeepClone();
        broken["profiles"]![0]!.AsObject().Remove("weights");
        Assert.False(Validate(broken).IsValid);
    }

    [Fact]
    public void The_sha256_profile_sums_to_the_runs_cycles_and_has_the_compression_function_on_top()
    {
        var (profile, json) = Sha256.Value;
        var run = Interpreter.Run(Guests.Load(Guests.SampleElf("sha256")), Guests.SampleInput("sha256"));
        Assert.Equal(0, profile.Result.ExitCode);
        Assert.Equal(run.Cycles, profile.Result.Cycles);
        Assert.Equal(run.Journal, profile.Result.Journal);
        Assert.Equal(run.Cycles, profile.Stacks.Aggregate(0UL, (sum, s) => sum + s.Cycles));
        Assert.Equal(run.Cycles, json["profiles"]![0]!["weights"]!.AsArray().Aggregate(0UL, (sum, w) => sum + (ulong)w!));

        var top = profile.ByFunction()[0];
        Assert.Equal("compress", top.Name);
        Assert.True(top.Self > run.Cycles / 2, $"compress has {top.Self} of {run.Cycles} cycles");
        // compress is called from main only, so each of its stacks ends main → compress.
        Assert.All(profile.Stacks.Where(s => profile.Frames[s.Stack[^1]] == "compress"),
            s => Assert.Equal("main", profile.Frames[s.Stack[^2]]));
    }

    const string CallShapes = """
        #include <zkvm.h>
        __attribute__((noinline)) static unsigned leaf(unsigned x) { unsigned s = 0; for (unsigned i = 0; i < x; i++) s += i * x; return s; }
        __attribute__((noinline)) unsigned rec(unsigned n) { return n == 0 ? leaf(5) : 3 * rec(n - 1) + n; }
        __attribute__((noinline)) unsigned tail_target(unsigned x) { return leaf(x) + 1; }
        __attribute__((noinline, optimize("optimize-sibling-calls"))) unsigned tailer(unsigned x) { return tail_target(x + 1); }
        int main(void)
        {
            unsigned r = rec(3) + tailer(2);
            zkvm_commit(&r, sizeof r);
            return 0;
        }
        """;

    [Fact]
    public void Calls_recursion_and_tail_calls_give_the_stacks_the_source_has()
    {
        var profile = Profiler.Run(Guests.Load(Guests.FromText("profile_calls.c", CallShapes, bare: false)), ReadOnlyMemory<byte>.Empty);
        Assert.Equal(0, profile.Result.ExitCode);
        var stacks = profile.Stacks.Select(s => string.Join(" > ", s.Stack.Select(f => profile.Frames[f]))).ToList();

        Assert.Contains(stacks, s => s.EndsWith("main > rec > rec > rec > rec > leaf"));
        // tailer jumps to tail_target without linking: tail_target replaces it, and returns to main.
        Assert.Contains(stacks, s => s.EndsWith("main > tail_target > leaf"));
        Assert.DoesNotContain(stacks, s => s.Contains("tailer > tail_target"));
        Assert.Contains(stacks, s => s.EndsWith("main > tailer"));

        var functions = profile.ByFunction().ToDictionary(f => f.Name);
        Assert.True(functions["rec"].Total <= functions["main"].Total, "recursion is counted once per stack");
        Assert.Equal(profile.Result.Cycles, profile.Stacks.Aggregate(0UL, (sum, s) => sum + s.Cycles));
    }

    [Fact]
    public void A_stripped_elf_is_profiled_by_the_addresses_functions_are_called_at()
    {
        string strip = Tool.Find("riscv64-unknown-elf-strip") ?? throw new InvalidOperationException($"riscv64-unknown-elf-strip not found; install {GuestCompiler.Packages}");
        string stripped = Path.Combine(Guests.WorkDir, "sha256-stripped.elf");
        Assert.Equal(0, Tool.Run(strip, ["-o", stripped, Guests.SampleElf("sha256")]).ExitCode);
        var program = Guests.Load(stripped);
        Assert.Empty(program.Symbols);

        var profile = Profiler.Run(program, Guests.SampleInput("sha256"));
        var (named, _) = Sha256.Value;
        var compress = named.ByFunction()[0];
        uint compressAt = Guests.Load(Guests.SampleElf("sha256")).Symbols.Single(f => f.Name == "compress").Value;
        Assert.Equal(new FunctionCycles($"0x{compressAt:x8}", compress.Self, compress.Total), profile.ByFunction()[0]);
        Assert.Equal(named.Result.Cycles, profile.Stacks.Aggregate(0UL, (sum, s) => sum + s.Cycles));
        // Returns do not invent frames at return addresses: no more stacks than with symbols.
        Assert.True(profile.Stacks.Count <= named.Stacks.Count, $"{profile.Stacks.Count} stacks stripped, {named.Stacks.Count} with symbols");
    }

    [Fact]
    public void A_trapping_run_is_profiled_up_to_its_trap()
    {
        var program = Guests.Load(Guests.SampleElf("sha256"));
        var profile = Profiler.Run(program, Guests.SampleInput("sha256"), new ExecutionOptions { MaxCycles = 10_000 });
        Assert.Equal(TrapCause.CycleLimit, profile.Result.Trap?.Cause);
        Assert.Equal(10_000UL, profile.Stacks.Aggregate(0UL, (sum, s) => sum + s.Cycles));
    }
}
