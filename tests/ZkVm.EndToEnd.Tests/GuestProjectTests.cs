using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ZkVm.EndToEnd.Tests;

/// <summary>
/// The user journey of docs/GETTING_STARTED.md in a temp folder with a fresh NuGet cache: the packed SDK
/// and template, `dotnet new zkguest`, `dotnet build`, `dotnet test`, a host app, and the errors a
/// user meets. Each test runs its steps in order, because each step needs the one before it.
/// </summary>
[Collection("packs the repository")]
public sealed class GuestProjectTests(Sandbox sandbox, ITestOutputHelper output) : IClassFixture<Sandbox>, IDisposable
{
    readonly int logged = sandbox.Log.Count;
    Dotnet dotnet => sandbox.Dotnet;

    /// <summary>Build proves, an unchanged build proves nothing, test verifies, a host app verifies, a tampered proof fails.</summary>
    [Fact]
    public void Build_proves_each_input_and_test_verifies_the_proofs()
    {
        string project = sandbox.NewGuest("Fib");

        var build = sandbox.Must(dotnet.Run(project, "build"), "dotnet build");
        string proof = Path.Combine(project, "bin", "Debug", "proofs", "twenty.zkproof");
        Assert.True(File.Exists(proof), $"no proof at {proof}");
        Assert.True(File.Exists(Path.Combine(project, "bin", "Debug", "proofs", "twenty.json")), "the receipt's JSON summary");
        Assert.Contains("ZkVm: proving twenty.txt", build.Output);
        Assert.Contains("ZkVm: twenty.txt: proving: ", build.Output);  // progress while proving
        string imageId = File.ReadAllText(Path.Combine(project, "obj", "Debug", "net10.0", "zkvm", "Fib.imageid")).Trim();
        Assert.Matches("^[0-9a-f]{64}$", imageId);

        var test = sandbox.Must(dotnet.Run(project, "test"), "dotnet test");
        Assert.Contains("1 passed, 0 failed", test.Output);

        // An unchanged build proves nothing again.
        var proved = File.GetLastWriteTimeUtc(proof);
        var again = sandbox.Must(dotnet.Run(project, "build"), "second dotnet build");
        Assert.DoesNotContain("ZkVm: proving", again.Output);
        Assert.Equal(proved, File.GetLastWriteTimeUtc(proof));

        // A host app that references the guest project verifies the receipt through ZkVm.Host and the generated ImageId.
        string host = Path.Combine(sandbox.Root, "Verifier");
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "Verifier.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ZkVm.Host" Version="0.1.0" />
                <ProjectReference Include="../Fib/Fib.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(host, "Program.cs"), """
            using ZkVm;

            var receipt = Receipt.Load(Path.Combine(Fib.Guest.ProofDirectory, "twenty.zkproof"));
            receipt.Verify(ImageId.Parse(Fib.Guest.ImageId));
            var program = ZkProgram.Load(Path.Combine(AppContext.BaseDirectory, Fib.Guest.ElfFileName));
            Console.WriteLine($"verified {Fib.Guest.ImageId}: exit code {receipt.ExitCode}, journal {Convert.ToHexStringLower(receipt.Journal.Span)}, elf {program.ImageId}");
            """);
        var verified = sandbox.Must(dotnet.Run(host, "run"), "host app");
        Assert.Contains($"verified {imageId}: exit code 0, journal 6d1a000000000000, elf {imageId}", verified.Output);

        // A tampered proof fails dotnet test with a ZkVm code, at the proof file: here the receipt claims
        // another exit code (byte 41 of the ZKRC layout, docs/PROTOCOL.md §9), which the proof does not prove.
        byte[] original = File.ReadAllBytes(proof);
        byte[] tampered = (byte[])original.Clone();
        tampered[41] ^= 0x01;
        File.WriteAllBytes(proof, tampered);
        var rejected = sandbox.Expect(dotnet.Run(project, "test", "--no-build"), "dotnet test with a tampered proof");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("0 passed, 1 failed", rejected.Output);
        Assert.Matches(new Regex(@"twenty\.zkproof : .*error ZK5102: twenty\.zkproof: proof rejected: the proof does not verify"), rejected.Output);
        File.WriteAllBytes(proof, original);

        // ZkShardSize proves the run in shards: the build's messages name each shard, and dotnet test verifies them all.
        File.Delete(proof);
        var sharded = sandbox.Must(dotnet.Run(project, "build", "-p:ZkShardSize=64"), "dotnet build -p:ZkShardSize=64");
        Assert.Matches(new Regex(@"ZkVm: twenty\.txt: proving: commit shard 1/\d+"), sharded.Output);
        Assert.Matches(new Regex(@"ZkVm: twenty\.txt: proving: prove shard \d+/\d+"), sharded.Output);
        Assert.Contains("1 passed, 0 failed", sandbox.Must(dotnet.Run(project, "test", "--no-build"), "dotnet test of the proof in shards").Output);
    }

    /// <summary>ZkProve=false executes; the ImageId constant compiles; a C error, a trap and their positions.</summary>
    [Fact]
    public void Build_reports_compiler_errors_and_traps_where_they_are()
    {
        string project = sandbox.NewGuest("Exec");

        var run = sandbox.Must(dotnet.Run(project, "build", "-p:ZkProve=false"), "dotnet build -p:ZkProve=false");
        Assert.Contains("ZkVm: twenty.txt: fib(20) = 6765", run.Output);                 // the guest's stdout
        Assert.Contains("ZkVm: twenty.txt: exit code 0, 1926 cycles, journal 6d1a000000000000", run.Output);
        Assert.True(File.Exists(Path.Combine(project, "bin", "Debug", "proofs", "twenty.run.json")));
        Assert.False(File.Exists(Path.Combine(project, "bin", "Debug", "proofs", "twenty.zkproof")));
        string generated = File.ReadAllText(Path.Combine(project, "obj", "Debug", "net10.0", "zkvm", "Exec.Guest.g.cs"));
        string imageId = File.ReadAllText(Path.Combine(project, "obj", "Debug", "net10.0", "zkvm", "Exec.imageid")).Trim();
        Assert.Contains($"public const string ImageId = \"{imageId}\";", generated);
        Assert.True(File.Exists(Path.Combine(project, "bin", "Debug", "net10.0", "Exec.elf")), "the ELF in the output folder");

        var unchanged = sandbox.Must(dotnet.Run(project, "build", "-p:ZkProve=false"), "second dotnet build -p:ZkProve=false");
        Assert.DoesNotContain("ZkVm: executing", unchanged.Output);

        string main = Path.Combine(project, "src", "main.c");
        string source = File.ReadAllText(main);
        var lines = source.Split('\n');

        // A C syntax error: GCC sees the missing ';' at the next statement, reported at src/main.c(line,col).
        int broken = Array.FindIndex(lines, l => l.Contains("uint64_t a = 0, b = 1;"));
        File.WriteAllText(main, source.Replace("uint64_t a = 0, b = 1;", "uint64_t a = 0, b = 1"));
        var failed = sandbox.Expect(dotnet.Run(project, "build", "-p:ZkProve=false"), "dotnet build with a C syntax error");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Matches(new Regex($@"src/main\.c\({broken + 2},\d+\): gcc error ZK2202: expected "), failed.Output);

        // A guest that traps: an error at the input, with the pc and the function.
        File.WriteAllText(main, source.Replace("    zkvm_commit(&a, sizeof a);", "    if (n == 20) *(volatile int *)4 = 1;\n    zkvm_commit(&a, sizeof a);"));
        var trapped = sandbox.Expect(dotnet.Run(project, "build", "-p:ZkProve=false"), "dotnet build of a guest that traps");
        Assert.NotEqual(0, trapped.ExitCode);
        Assert.Matches(new Regex(@"inputs/twenty\.txt : .*error ZK2104: guest trapped: .* at pc 0x[0-9a-f]{8}: .*\(in main\+0x[0-9a-f]+\)"), trapped.Output);
        File.WriteAllText(main, source);
    }

    /// <summary>A C++ guest (samples/shapes-cpp in a new project) runs, proves and verifies; a standard-library include is refused at its line.</summary>
    [Fact]
    public void A_cxx_guest_builds_proves_and_verifies()
    {
        string project = sandbox.NewGuest("Shapes");
        File.Delete(Path.Combine(project, "src", "main.c"));
        string main = Path.Combine(project, "src", "main.cpp");
        File.Copy(Path.Combine(Dotnet.RepositoryRoot, "samples", "shapes-cpp", "main.cpp"), main);

        // n = 20: rectangles i × (i + 1) for odd i, squares for even i; their areas sum to 2970.
        var run = sandbox.Must(dotnet.Run(project, "build", "-p:ZkProve=false"), "dotnet build -p:ZkProve=false of a C++ guest");
        Assert.Contains("ZkVm: twenty.txt: exit code 0, ", run.Output);
        Assert.Contains("journal 9a0b000000000000", run.Output);
        // ZkProfile writes the run's cycles per call stack beside the proof.
        var build = sandbox.Must(dotnet.Run(project, "build", "-p:ZkProfile=true"), "dotnet build -p:ZkProfile=true of a C++ guest");
        string proofs = Path.Combine(project, "bin", "Debug", "proofs");
        Assert.Contains($"ZkVm: twenty.txt: profile -> {Path.Combine(proofs, "twenty.speedscope.json")}", build.Output);
        using (var profile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(proofs, "twenty.speedscope.json"))))
        using (var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(proofs, "twenty.json"))))
            Assert.Equal(summary.RootElement.GetProperty("cycles").GetUInt64(),
                profile.RootElement.GetProperty("profiles")[0].GetProperty("weights").EnumerateArray().Aggregate(0UL, (sum, w) => sum + w.GetUInt64()));
        var test = sandbox.Must(dotnet.Run(project, "test"), "dotnet test of a C++ guest");
        Assert.Contains("1 passed, 0 failed", test.Output);

        string source = File.ReadAllText(main);
        File.WriteAllText(main, "#include <vector>\n" + source);
        var refused = sandbox.Expect(dotnet.Run(project, "build", "-p:ZkProve=false"), "dotnet build of a C++ guest that includes <vector>");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Matches(new Regex(@"src/main\.cpp\(1,11\): gcc error ZK2202: <vector> is part of the C\+\+ standard library"), refused.Output);
        File.WriteAllText(main, source);
    }

    /// <summary><c>dotnet new zkguest --host</c>: one solution whose build proves, whose test verifies, and whose host
    /// app proves and verifies. The name has a dash: folders keep it, C# gets the namespace form (zk_demo).</summary>
    [Fact]
    public void The_host_template_builds_proves_and_verifies()
    {
        sandbox.Must(dotnet.Run(sandbox.Root, "new", "zkguest", "-n", "zk-demo", "--host"), "dotnet new zkguest -n zk-demo --host");
        string solution = Path.Combine(sandbox.Root, "zk-demo");
        foreach (var file in new[] { "zk-demo.slnx", "global.json", "zk-demo/zk-demo.csproj", "zk-demo/src/main.c", "zk-demo/inputs/twenty.txt", "zk-demo.Host/zk-demo.Host.csproj", "zk-demo.Host/Program.cs" })
            Assert.True(File.Exists(Path.Combine(solution, file)), $"the template wrote {file}");
        Assert.Contains("zk_demo.Guest.ImageId", File.ReadAllText(Path.Combine(solution, "zk-demo.Host", "Program.cs")));

        var build = sandbox.Must(dotnet.Run(solution, "build"), "dotnet build of the --host solution");
        Assert.Contains("ZkVm: proving twenty.txt", build.Output);
        var test = sandbox.Must(dotnet.Run(solution, "test"), "dotnet test of the --host solution");
        Assert.Contains("1 passed, 0 failed", test.Output);

        // fib(20) = 6765 = 0x1a6d, the journal's little-endian u64.
        var run = sandbox.Must(dotnet.Run(solution, "run", "--project", "zk-demo.Host", "--no-build"), "the host app");
        Assert.Contains("verified: exit code 0, ", run.Output);
        Assert.Contains("journal 6d1a000000000000 (fib = 6765)", run.Output);
        Assert.True(File.Exists(Path.Combine(solution, "receipt.zkproof")), "the host app saved its receipt");
    }

    public void Dispose()
    {
        foreach (var entry in sandbox.Log.Skip(logged))
            output.WriteLine(entry);
    }
}
