using Xunit.Abstractions;

namespace ZkVm.EndToEnd.Tests;

/// <summary>
/// samples/zicond as a user builds it in the repository: the guest project names the Zicond extension's project
/// (a ZkExtension item), and `dotnet test` builds the extension, compiles the guest's inline assembly, proves its input
/// on the extended machine and verifies the proof, with the SDK packed from this build.
/// </summary>
[Collection("packs the repository")]
public sealed class SampleExtensionTests(ITestOutputHelper output)
{
    [Fact]
    public void The_zicond_guest_proves_and_verifies_through_the_sdk_with_its_extension()
    {
        ClearCachedPackages();
        string proofs = Path.Combine(Dotnet.RepositoryRoot, "samples", "zicond", "ZicondGuest", "bin", Dotnet.Configuration, "proofs");
        if (Directory.Exists(proofs)) Directory.Delete(proofs, recursive: true);

        string home = Directory.CreateTempSubdirectory("zkvm-zicond-").FullName;
        try
        {
            var result = new Dotnet(home, ownPackages: false).Shell(Dotnet.RepositoryRoot, TimeSpan.FromMinutes(8),
                $"dotnet pack ZkSdk.sln -c {Dotnet.Configuration} -o artifacts/packages --no-build -v:q && dotnet test samples/zicond/ZicondGuest -c {Dotnet.Configuration}");
            output.WriteLine(result.ToString());
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Zicond -> ", result.Output);
            Assert.Contains("Passed values.zkproof", result.Output);
            Assert.Contains("1 passed, 0 failed", result.Output);
            Assert.True(File.Exists(Path.Combine(proofs, "values.zkproof")));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>samples/accelerators-project: ZkAccelerators gives the built-in extension to the ImageId, the proof and `dotnet test`.</summary>
    [Fact]
    public void The_accelerators_guest_proves_and_verifies_through_the_sdk()
    {
        ClearCachedPackages();
        string proofs = Path.Combine(Dotnet.RepositoryRoot, "samples", "accelerators-project", "bin", Dotnet.Configuration, "proofs");
        if (Directory.Exists(proofs)) Directory.Delete(proofs, recursive: true);
        string home = Directory.CreateTempSubdirectory("zkvm-accelerators-").FullName;
        try
        {
            var result = new Dotnet(home, ownPackages: false).Shell(Dotnet.RepositoryRoot, TimeSpan.FromMinutes(8),
                $"dotnet pack ZkSdk.sln -c {Dotnet.Configuration} -o artifacts/packages --no-build -v:q && dotnet test samples/accelerators-project -c {Dotnet.Configuration}");
            output.WriteLine(result.ToString());
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Passed input.zkproof", result.Output);
            Assert.Contains("1 passed, 0 failed", result.Output);
            Assert.True(File.Exists(Path.Combine(proofs, "input.zkproof")));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>As for the README's command: an older ZkVm.* 0.1.0 in the user's cache would shadow the one packed here.</summary>
    static void ClearCachedPackages()
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (Directory.Exists(cache))
            foreach (var package in Directory.GetDirectories(cache, "zkvm.*"))
                Directory.Delete(package, recursive: true);
    }
}
