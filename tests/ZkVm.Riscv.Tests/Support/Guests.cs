using System.Collections.Concurrent;
using ZkVm.Riscv.Image;
using ZkVm.Toolchain;

namespace ZkVm.Riscv.Tests.Support;

/// <summary>Compiles guests with the real cross-compiler, once per source set and test run.
/// A missing toolchain fails the calling test with ZK2201 and the packages to install.</summary>
static class Guests
{
    /// <summary>This test run's scratch folder, removed when the test host exits.</summary>
    public static readonly string WorkDir = CreateWorkDir();
    static readonly ConcurrentDictionary<string, Lazy<string>> Built = new();

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string DirectedDir => Path.Combine(AppContext.BaseDirectory, "Directed");

    public static readonly string[] Samples = ["fibonacci", "sha256", "sort", "textstats", "loop", "portable-io"];

    /// <summary>A sample's program (its main.c, or main.cpp for a C++ sample).</summary>
    public static string SampleElf(string sample, string optimization = "2") =>
        Compile($"{sample}-O{optimization}", [Directory.GetFiles(Path.Combine(RepoRoot, "samples", sample), "main.c*").Single()], optimization, bare: false);

    public static byte[] SampleInput(string sample)
    {
        var input = Directory.GetFiles(Path.Combine(RepoRoot, "samples", sample), "input.*").SingleOrDefault();
        return input is null ? [] : File.ReadAllBytes(input);
    }

    /// <summary>A program of Directed/: assembly (*.S) stands alone; C is built at -O2 with the runtime.</summary>
    public static string DirectedElf(string file) => file.EndsWith(".c")
        ? Compile(file, [Path.Combine(DirectedDir, file)], "2", bare: false)
        : Compile(file, [Path.Combine(DirectedDir, file)], "0", bare: true);

    public static IEnumerable<string> DirectedPrograms =>
        Directory.GetFiles(DirectedDir).Select(Path.GetFileName).Where(f => f!.EndsWith(".S") || f.EndsWith(".c")).Order()!;

    /// <summary>Compiles source text written by a test (assembly when bare, C otherwise).</summary>
    public static string FromText(string name, string text, bool bare)
    {
        string path = Path.Combine(WorkDir, name);
        File.WriteAllText(path, text);
        return Compile(name, [path], "1", bare);
    }

    public static HarvardProgram Load(string elf) => HarvardProgram.Load(elf);

    static string Compile(string key, string[] sources, string optimization, bool bare) =>
        Built.GetOrAdd(key, _ => new Lazy<string>(() =>
        {
            string output = Path.Combine(WorkDir, Path.GetFileName(key) + ".elf");
            GuestCompiler.Compile(sources, output, optimization, bare);
            return output;
        })).Value;

    static string CreateWorkDir()
    {
        string dir = Directory.CreateTempSubdirectory("zkvm-riscv-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        return dir;
    }

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZkSdk.sln")))
                return dir.FullName;
        throw new InvalidOperationException("ZkSdk.sln not found above the test output folder");
    }
}
