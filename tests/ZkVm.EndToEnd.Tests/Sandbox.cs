using System.Xml.Linq;

namespace ZkVm.EndToEnd.Tests;

/// <summary>
/// A temp folder with a fresh NuGet cache and CLI home, the repository's packages packed into a feed
/// there (without building again: the referenced projects are built in this configuration first), a
/// nuget.config that takes ZkVm packages only from that feed and the rest from the user's registries,
/// and the template package installed.
/// </summary>
public sealed class Sandbox : IDisposable
{
    /// <summary>The packages a guest project and a host app restore.</summary>
    static readonly string[] Packed =
    [
        "src/ZkVm.Sdk/ZkVm.Sdk.csproj", "src/ZkVm.Templates/ZkVm.Templates.csproj",
        "src/ZkVm.Errors/ZkVm.Errors.csproj", "src/ZkVm.Field/ZkVm.Field.csproj", "src/ZkVm.Crypto/ZkVm.Crypto.csproj",
        "src/ZkVm.Stark/ZkVm.Stark.csproj", "src/ZkVm.Riscv/ZkVm.Riscv.csproj", "src/ZkVm.Machine/ZkVm.Machine.csproj",
        "src/ZkVm.Cluster/ZkVm.Cluster.csproj", "src/ZkVm.Host/ZkVm.Host.csproj",
    ];

    public string Root { get; }
    public string Feed { get; }
    public Dotnet Dotnet { get; }
    public List<string> Log { get; } = [];
    public bool Failed { get; set; }

    public Sandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "zkvm-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Root);
        Dotnet = new Dotnet(Root);

        var projects = Packed.Select(p => Path.Combine(Dotnet.RepositoryRoot, p)).Where(File.Exists);
        File.WriteAllText(Path.Combine(Root, "pack.proj"), $"""
            <Project>
              <Target Name="Pack">
                <MSBuild Projects="{string.Join(";", projects)}" Targets="Pack"
                         Properties="Configuration={Dotnet.Configuration};NoBuild=true;PackageOutputPath={Feed}" />
              </Target>
            </Project>
            """);
        Must(Dotnet.Run(Root, "msbuild", "pack.proj", "-t:Pack", "-nologo", "-v:m"), "pack");
        // ZkVm.* only from the feed; their dependencies (ELFSharp) from the registries this machine's user uses.
        var sources = UserPackageSources();
        var registries = string.Concat(sources.Select((url, i) => $"""<add key="registry{i}" value="{url}" />"""));
        var mappings = string.Concat(sources.Select((_, i) => $"""<packageSource key="registry{i}"><package pattern="*" /></packageSource>"""));
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="zkvm" value="{Feed}" />
                {registries}
              </packageSources>
              <packageSourceMapping>
                <packageSource key="zkvm"><package pattern="ZkVm.*" /></packageSource>
                {mappings}
              </packageSourceMapping>
            </configuration>
            """);
        Must(Dotnet.Run(Root, "new", "install", Path.Combine(Feed, "ZkVm.Templates.0.1.0.nupkg")), "dotnet new install");
    }

    /// <summary>The package sources of this machine's user NuGet.Config (nuget.org when it names none).</summary>
    static IReadOnlyList<string> UserPackageSources()
    {
        string config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "NuGet", "NuGet.Config");
        var sources = File.Exists(config)
            ? XDocument.Load(config).Descendants("packageSources").Elements("add")
                .Select(e => (string?)e.Attribute("value")).OfType<string>().ToList()
            : [];
        return sources.Count > 0 ? sources : ["https://api.nuget.org/v3/index.json"];
    }

    /// <summary>Runs a step that must succeed; its output goes to the log either way.</summary>
    public Dotnet.Result Must(Dotnet.Result result, string what)
    {
        Log.Add($"--- {what}: {result}");
        if (result.ExitCode != 0)
        {
            Failed = true;
            throw new Xunit.Sdk.XunitException($"{what} failed in {Root}: {result}");
        }
        return result;
    }

    public Dotnet.Result Expect(Dotnet.Result result, string what)
    {
        Log.Add($"--- {what}: {result}");
        return result;
    }

    /// <summary>`dotnet new zkguest -n name`, checked for the files the template promises.</summary>
    public string NewGuest(string name)
    {
        Must(Dotnet.Run(Root, "new", "zkguest", "-n", name), $"dotnet new zkguest -n {name}");
        string project = Path.Combine(Root, name);
        foreach (var file in new[] { $"{name}.csproj", "src/main.c", "inputs/twenty.txt", "global.json", "README.md" })
            Assert.True(File.Exists(Path.Combine(project, file)), $"the template wrote {file}");
        Assert.Contains("\"ZkVm.Sdk\": \"0.1.0\"", File.ReadAllText(Path.Combine(project, "global.json")));
        // The project's name replaces the template's, never a part of a property such as ZkGuestElf.
        Assert.Contains("`ZkGuestElf`", File.ReadAllText(Path.Combine(project, "README.md")));
        return project;
    }

    public void Dispose()
    {
        // Kept for a look when a step failed; its path is in the failure message.
        if (!Failed)
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
