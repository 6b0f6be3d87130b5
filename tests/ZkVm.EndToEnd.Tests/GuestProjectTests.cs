using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ZkVm.EndToEnd.Tests;

/// <summary>
/// The whole user journey in a temp folder with a fresh NuGet cache: pack the SDK, templates and host
/// packages; `dotnet new install` and `dotnet new zkguest`; build (a proof appears); test (1 passed);
/// rebuild (nothing proved again); a host app verifies the receipt with the generated ImageId; a
/// tampered proof fails `dotnet test` with its ZkVm code; a C syntax error is reported at its line.
/// One test, because each step needs the one before it.
/// </summary>
public sealed class GuestProjectTests(ITestOutputHelper log)
{
    /// <summary>The packages a guest project and a host app restore.</summary>
    static readonly string[] Packed =
    [
        "src/ZkVm.Sdk/ZkVm.Sdk.csproj", "src/ZkVm.Templates/ZkVm.Templates.csproj",
        "src/ZkVm.Errors/ZkVm.Errors.csproj", "src/ZkVm.Field/ZkVm.Field.csproj", "src/ZkVm.Crypto/ZkVm.Crypto.csproj",
        "src/ZkVm.Stark/ZkVm.Stark.csproj", "src/ZkVm.Riscv/ZkVm.Riscv.csproj", "src/ZkVm.Machine/ZkVm.Machine.csproj",
        "src/ZkVm.Host/ZkVm.Host.csproj",
    ];

    [Fact]
    public void NewGuestBuildsProvesTestsAndReportsErrors()
    {
        string sandbox = Path.Combine(Path.GetTempPath(), "zkvm-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(sandbox);
        var dotnet = new Dotnet(sandbox);
        log.WriteLine($"sandbox: {sandbox}");

        // 1. Pack, without building again: the referenced projects are built in this configuration.
        string feed = Path.Combine(sandbox, "feed");
        File.WriteAllText(Path.Combine(sandbox, "pack.proj"), $"""
            <Project>
              <Target Name="Pack">
                <MSBuild Projects="{string.Join(";", Packed.Select(p => Path.Combine(Dotnet.RepositoryRoot, p)))}" Targets="Pack"
                         Properties="Configuration={Dotnet.Configuration};NoBuild=true;PackageOutputPath={feed}" BuildInParallel="false" />
              </Target>
            </Project>
            """);
        Step(dotnet.Run(sandbox, "msbuild", "pack.proj", "-t:Pack", "-nologo", "-v:m"), "pack");
        Assert.True(File.Exists(Path.Combine(feed, "ZkVm.Sdk.0.1.0.nupkg")), "ZkVm.Sdk package");
        File.WriteAllText(Path.Combine(sandbox, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="zkvm" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        // 2. The template.
        Step(dotnet.Run(sandbox, "new", "install", Path.Combine(feed, "ZkVm.Templates.0.1.0.nupkg")), "dotnet new install");
        Step(dotnet.Run(sandbox, "new", "zkguest", "-n", "Fib"), "dotnet new zkguest");
        string project = Path.Combine(sandbox, "Fib");
        foreach (var file in new[] { "Fib.csproj", "src/main.c", "inputs/twenty.txt", "global.json", "README.md" })
            Assert.True(File.Exists(Path.Combine(project, file)), $"the template wrote {file}");
        Assert.Contains("\"ZkVm.Sdk\": \"0.1.0\"", File.ReadAllText(Path.Combine(project, "global.json")));

        // 3. Build: compile, analyse, prove.
        var build = Step(dotnet.Run(project, "build"), "dotnet build");
        string proof = Path.Combine(project, "bin", "Debug", "proofs", "twenty.zkproof");
        Assert.True(File.Exists(proof), $"no proof at {proof}:\n{build}");
        Assert.True(File.Exists(Path.Combine(project, "bin", "Debug", "proofs", "twenty.json")), "the receipt's JSON summary");
        Assert.Contains("ZkVm: proving twenty.txt", build.Output);
        string imageId = File.ReadAllText(Path.Combine(project, "obj", "Debug", "net10.0", "zkvm", "Fib.imageid")).Trim();
        Assert.Matches("^[0-9a-f]{64}$", imageId);

        // 4. dotnet test verifies the proof.
        var test = Step(dotnet.Run(project, "test"), "dotnet test");
        Assert.Contains("1 passed, 0 failed", test.Output);

        // 5. An unchanged build proves nothing again.
        var proofTime = File.GetLastWriteTimeUtc(proof);
        var again = Step(dotnet.Run(project, "build"), "second dotnet build");
        Assert.DoesNotContain("ZkVm: proving", again.Output);
        Assert.Equal(proofTime, File.GetLastWriteTimeUtc(proof));

        // 6. A host app that references the guest project verifies the receipt through ZkVm.Host.
        string host = Path.Combine(sandbox, "Verifier");
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
            using ZkVm.Host;
            using ZkVm.Machine;

            var receipt = Receipt.Load(Path.Combine(Fib.Guest.ProofDirectory, "twenty.zkproof"));
            receipt.Verify(ImageId.Parse(Fib.Guest.ImageId));
            var program = ZkProgram.Load(Path.Combine(AppContext.BaseDirectory, Fib.Guest.ElfFileName));
            Console.WriteLine($"verified {Fib.Guest.ImageId}: exit code {receipt.ExitCode}, journal {Convert.ToHexStringLower(receipt.Journal.Span)}, elf {program.ImageId}");
            """);
        var verified = Step(dotnet.Run(host, "run"), "host app");
        Assert.Contains($"verified {imageId}: exit code 0, journal 6d1a000000000000, elf {imageId}", verified.Output);

        // 7. A tampered proof fails dotnet test with a ZkVm code.
        byte[] original = File.ReadAllBytes(proof);
        byte[] tampered = (byte[])original.Clone();
        tampered[tampered.Length / 2] ^= 0x01;
        File.WriteAllBytes(proof, tampered);
        var rejected = dotnet.Run(project, "test", "--no-build");
        log.WriteLine($"--- dotnet test (tampered proof): {rejected}");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("0 passed, 1 failed", rejected.Output);
        Assert.Matches(new Regex(@"twenty\.zkproof.*error ZK5\d{3}"), rejected.Output);
        File.WriteAllBytes(proof, original);

        // 8. A C syntax error is an error at its file and line.
        string main = Path.Combine(project, "src", "main.c");
        string source = File.ReadAllText(main);
        var lines = source.Split('\n').ToList();
        int broken = lines.FindIndex(l => l.Contains("uint64_t a = 0, b = 1;"));
        lines[broken] = lines[broken].Replace("b = 1;", "b = 1");
        File.WriteAllText(main, string.Join('\n', lines));
        var failed = dotnet.Run(project, "build");
        log.WriteLine($"--- dotnet build (syntax error): {failed}");
        Assert.NotEqual(0, failed.ExitCode);
        // The statement after the missing ';' is where GCC sees it: main.c(line,col): gcc error ZK2202: expected ...
        Assert.Matches(new Regex($@"src[/\\]main\.c\({broken + 2},\d+\): gcc error ZK2202: expected"), failed.Output);

        Directory.Delete(sandbox, recursive: true);
    }

    Dotnet.Result Step(Dotnet.Result result, string what)
    {
        log.WriteLine($"--- {what}: {result}");
        Assert.True(result.ExitCode == 0, $"{what} failed: {result}");
        return result;
    }
}
