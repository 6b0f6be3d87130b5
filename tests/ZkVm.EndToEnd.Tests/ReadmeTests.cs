using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ZkVm.EndToEnd.Tests;

/// <summary>The README's main command, taken from the README and run as written in the repository.</summary>
/// <remarks>One collection with the guest-project tests: both pack the repository's projects, so they take turns.</remarks>
[Collection("packs the repository")]
public sealed class ReadmeTests(ITestOutputHelper output)
{
    /// <summary>The first shell block of the README: the main job.</summary>
    static string MainCommand()
    {
        string readme = File.ReadAllText(Path.Combine(Dotnet.RepositoryRoot, "README.md"));
        return Regex.Match(readme, "```sh\n(.*?)\n```", RegexOptions.Singleline).Groups[1].Value.Trim();
    }

    [Fact]
    public void The_main_command_packs_the_sdk_proves_the_sample_and_verifies_its_proof()
    {
        string command = MainCommand();
        Assert.Equal("./build/prove-sample.sh", command);

        // A user's NuGet cache keeps a package per version: an older build of ZkVm.* 0.1.0 there would be
        // used instead of the one just packed, so the test clears exactly those (what a fresh machine lacks).
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (Directory.Exists(cache))
            foreach (var package in Directory.GetDirectories(cache, "zkvm.*"))
                Directory.Delete(package, recursive: true);

        string home = Directory.CreateTempSubdirectory("zkvm-readme-").FullName;
        try
        {
            var result = new Dotnet(home, ownPackages: false).Shell(Dotnet.RepositoryRoot, TimeSpan.FromMinutes(8), command);
            output.WriteLine(result.ToString());
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("1 passed, 0 failed", result.Output);
            Assert.True(File.Exists(Path.Combine(Dotnet.RepositoryRoot, "samples", "sha256-project", "bin", "Release", "proofs", "input.zkproof")));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
