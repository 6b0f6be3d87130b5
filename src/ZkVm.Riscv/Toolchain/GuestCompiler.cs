using System.Reflection;

namespace ZkVm.Riscv.Toolchain;

/// <summary>
/// Compiles C guests with Debian's RISC-V GCC and picolibc into RV32IM ELFs that follow
/// docs/GUEST_ABI.md, linking our crt0.S, runtime.c and zkvm.ld (embedded in this assembly).
/// </summary>
public static class GuestCompiler
{
    public const string Gcc = "riscv64-unknown-elf-gcc";
    public const string Objdump = "riscv64-unknown-elf-objdump";
    public const string Packages = "gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf";
    public static readonly string[] OptimizationLevels = ["0", "1", "2", "3", "s", "z"];
    static readonly string[] RuntimeFiles = ["zkvm.h", "crt0.S", "runtime.c", "zkvm.ld"];

    /// <summary>Compiles and links <paramref name="sources"/> into <paramref name="output"/>; returns the compiler's warnings.
    /// With <paramref name="bare"/> the runtime and libc are left out: the sources bring their own <c>_start</c>.</summary>
    public static string Compile(IReadOnlyList<string> sources, string output, string optimization = "0", bool bare = false)
    {
        if (sources.Count == 0)
            throw new ZkVmException(ToolchainError.NoSources, "no source files given");
        foreach (var source in sources)
            if (!File.Exists(source))
                throw new ZkVmException(ToolchainError.NoSources, $"source file '{source}' not found");
        if (!OptimizationLevels.Contains(optimization))
            throw new ZkVmException(ToolchainError.BadOption, $"optimization level '{optimization}' is not one of {string.Join(", ", OptimizationLevels)}");
        string gcc = FindGcc();
        string runtime = RuntimeDirectory();
        var args = new List<string>
        {
            "-march=rv32im", "-mabi=ilp32", "--specs=picolibc.specs", "-nostartfiles",
            "-T", Path.Combine(runtime, "zkvm.ld"), "-I", runtime, $"-O{optimization}",
            "-o", output,
        };
        args.AddRange(bare ? ["-nostdlib"] : [Path.Combine(runtime, "crt0.S"), Path.Combine(runtime, "runtime.c")]);
        args.AddRange(sources);
        var (exit, _, errors) = Tool.Run(gcc, args);
        if (exit != 0)
            throw new ZkVmException(ToolchainError.CompileFailed, $"{Gcc} failed (exit {exit}):\n{errors.TrimEnd()}");
        return errors;
    }

    /// <summary>The cross-compiler's path, or a clear error naming the packages to install.</summary>
    public static string FindGcc()
    {
        string? gcc = Tool.Find(Gcc);
        if (gcc is null)
            throw new ZkVmException(ToolchainError.Missing, $"{Gcc} is not on PATH; install the RISC-V toolchain: apt-get install {Packages}");
        var (_, specs, _) = Tool.Run(gcc, ["-print-file-name=picolibc.specs"]);
        if (!Path.IsPathRooted(specs.Trim()))
            throw new ZkVmException(ToolchainError.Missing, $"picolibc for {Gcc} is not installed; install: apt-get install {Packages}");
        return gcc;
    }

    /// <summary>Writes the embedded runtime (guest/c) to a per-content cache folder and returns it.</summary>
    public static string RuntimeDirectory()
    {
        var assembly = typeof(GuestCompiler).Assembly;
        var contents = RuntimeFiles.ToDictionary(f => f, f => Read(assembly, f));
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Concat(contents.Values))))[..16];
        string dir = Path.Combine(Path.GetTempPath(), $"zkvm-guest-c-{hash}");
        Directory.CreateDirectory(dir);
        foreach (var (file, text) in contents)
        {
            string path = Path.Combine(dir, file);
            if (File.Exists(path) && File.ReadAllText(path) == text)
                continue;
            // Write beside and rename, so a concurrent compiler never reads a half-written file.
            string partial = $"{path}.{Guid.NewGuid():N}";
            File.WriteAllText(partial, text);
            File.Move(partial, path, overwrite: true);
        }
        return dir;
    }

    static string Read(Assembly assembly, string file)
    {
        using var stream = assembly.GetManifestResourceStream($"guest/c/{file}")
            ?? throw new InvalidOperationException($"guest/c/{file} is not embedded in {assembly.GetName().Name}");
        return new StreamReader(stream).ReadToEnd();
    }
}
