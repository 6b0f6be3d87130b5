using System.Reflection;

namespace ZkVm.Toolchain;

/// <summary>
/// Compiles C and C++ guests with Debian's RISC-V GCC and picolibc into RV32IM ELFs that follow
/// docs/GUEST_ABI.md, linking our crt0.S, runtime.c and zkvm.ld (embedded in this assembly).
/// </summary>
public static partial class GuestCompiler
{
    public const string Gcc = "riscv64-unknown-elf-gcc";
    public const string Objdump = "riscv64-unknown-elf-objdump";
    public const string Packages = "gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf";
    public static readonly string[] OptimizationLevels = ["0", "1", "2", "3", "s", "z"];
    static readonly string[] RuntimeFiles = ["zkvm.h", "zkvm_io.h", "zkvm_io.c", "crt0.S", "runtime.c", "zkvm.ld", "zkvm_accelerators.h", "zkvm_accelerators.c"];

    /// <summary>The accelerators' calls (zkvm_accelerators.c) as an archive in the runtime folder: the linker takes them only into a guest that calls them.</summary>
    const string AcceleratorArchive = "libzkvm_accelerators.a";

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
        string[] target = Target(runtime, optimization);
        var cxx = sources.Where(IsCxx).ToList();
        foreach (var source in cxx) RefuseStandardLibrary(source);
        string? objects = cxx.Count == 0 ? null : Directory.CreateTempSubdirectory("zkvm-cxx-").FullName;
        try
        {
            // C++ sources are compiled on their own (their flags are not C's), then linked with the rest.
            var warnings = new System.Text.StringBuilder();
            var linked = new List<string>(sources.Where(s => !IsCxx(s)));
            foreach (var source in cxx)
            {
                string obj = Path.Combine(objects!, $"{linked.Count}-{Path.GetFileNameWithoutExtension(source)}.o");
                warnings.Append(Run(gcc, [.. target, "-x", "c++", "-std=gnu++17", "-fno-exceptions", "-fno-rtti", "-c", source, "-o", obj]));
                linked.Add(obj);
            }
            var args = new List<string>(target) { "-nostartfiles", "-T", Path.Combine(runtime, "zkvm.ld"), "-o", output };
            args.AddRange(bare ? ["-nostdlib"] : [Path.Combine(runtime, "crt0.S"), Path.Combine(runtime, "runtime.c"), Path.Combine(runtime, "zkvm_io.c")]);
            args.AddRange(linked);
            if (!bare) args.Add(AcceleratorLibrary(gcc, runtime));
            warnings.Append(Run(gcc, args));
            return warnings.ToString();
        }
        finally
        {
            if (objects is not null) Directory.Delete(objects, recursive: true);
        }
    }

    /// <summary>The accelerator archive, built once per runtime folder (always at -O2: its loops are the hashes' cost), beside and renamed into place.</summary>
    static string AcceleratorLibrary(string gcc, string runtime)
    {
        string archive = Path.Combine(runtime, AcceleratorArchive);
        if (File.Exists(archive)) return archive;
        string scratch = Directory.CreateTempSubdirectory("zkvm-accel-").FullName;
        try
        {
            string obj = Path.Combine(scratch, "zkvm_accelerators.o"), partial = Path.Combine(scratch, AcceleratorArchive);
            Run(gcc, [.. Target(runtime, "2"), "-c", Path.Combine(runtime, "zkvm_accelerators.c"), "-o", obj]);
            string ar = Path.Combine(Path.GetDirectoryName(gcc)!, "riscv64-unknown-elf-ar");
            var (exit, _, errors) = Tool.Run(ar, ["rcs", partial, obj]);
            if (exit != 0)
                throw new ZkVmException(ToolchainError.CompileFailed, $"riscv64-unknown-elf-ar failed (exit {exit}):\n{errors.TrimEnd()}");
            File.Move(partial, archive, overwrite: true);
            return archive;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    static string[] Target(string runtime, string optimization) => ["-march=rv32im", "-mabi=ilp32", "--specs=picolibc.specs", "-I", runtime, $"-O{optimization}"];

    static string Run(string gcc, IReadOnlyList<string> args)
    {
        var (exit, _, errors) = Tool.Run(gcc, args);
        if (exit != 0)
            throw new ZkVmException(ToolchainError.CompileFailed, $"{Gcc} failed (exit {exit}):\n{errors.TrimEnd()}");
        return errors;
    }

    static bool IsCxx(string source) => Path.GetExtension(source) is ".cpp" or ".cc" or ".cxx";

    /// <summary>
    /// A C++ source that includes a standard-library header (a name in angle brackets without ".h": &lt;vector&gt;,
    /// &lt;cstdint&gt;) is refused at that line, in GCC's own format so that builds report it there: Debian packages no
    /// libstdc++ for this target, and GCC alone would only say the file is missing.
    /// </summary>
    static void RefuseStandardLibrary(string source)
    {
        var lines = File.ReadAllLines(source);
        for (int i = 0; i < lines.Length; i++)
        {
            var include = StandardHeader().Match(lines[i]);
            if (include.Success)
                throw new ZkVmException(ToolchainError.CompileFailed,
                    $"{Gcc} failed:\n{source}:{i + 1}:{include.Groups[1].Index + 1}: error: <{include.Groups[1].Value}> is part of the C++ standard library, "
                    + "which zkvm guests do not have (Debian packages no libstdc++ for riscv64-unknown-elf); use the C headers (<stdint.h>, <string.h>, ...) and zkvm.h");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*#\s*include\s*<([A-Za-z_][A-Za-z0-9_/]*)>")]
    private static partial System.Text.RegularExpressions.Regex StandardHeader();

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
