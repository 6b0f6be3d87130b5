using System.Diagnostics;
using System.Text.Json;
using ZkVm.Riscv.Tests.Support;

namespace ZkVm.Riscv.Tests;

/// <summary>The `zkvm` executable: cc, run, disasm, inspect, their exit codes (0 ok, 2 usage,
/// 3 guest failed, 4 bad input) and typed errors instead of stack traces.</summary>
public class CliTests
{
    static readonly string Zkvm = FindZkvm();

    static string FindZkvm()
    {
        // The test assembly lives in tests/ZkVm.Riscv.Tests/bin/<Configuration>/<tfm>/.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(Guests.RepoRoot, "src", "ZkVm.Cli", "bin", tfm.Parent!.Name, tfm.Name, "zkvm.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build src/ZkVm.Cli first", path);
    }

    static (int Exit, string Stdout, string Stderr) Zk(string[] args, string? path = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Zkvm);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        if (path is not null)
            info.Environment["PATH"] = path;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    static string Temp(string name) =>
        Path.Combine(Directory.CreateDirectory(Path.Combine(Guests.WorkDir, $"cli-{Guid.NewGuid():N}")).FullName, name);

    [Fact]
    public void Cc_then_run_prints_stdout_exit_code_journal_cycles_and_speed()
    {
        string elf = Temp("fib.elf");
        var cc = Zk(["cc", Path.Combine(Guests.RepoRoot, "samples", "fibonacci", "main.c"), "-o", elf, "-O2"]);
        Assert.True(cc.Exit == 0, cc.Stderr);
        var run = Zk(["run", elf, "--input", Path.Combine(Guests.RepoRoot, "samples", "fibonacci", "input.bin")]);
        Assert.Equal(0, run.Exit);
        var lines = run.Stdout.Split('\n');
        Assert.Equal("fib(1000) mod 2^64 = 817770325994397771", lines[0]);
        Assert.Equal("exit code: 0", lines[1]);
        Assert.Equal("journal: " + Convert.ToHexStringLower(BitConverter.GetBytes(817770325994397771UL)), lines[2]);
        Assert.StartsWith("cycles: ", lines[3]);
        Assert.Contains(run.Stdout.Split('\n'), l => l.StartsWith("speed: ") && l.EndsWith(" MHz"));
    }

    [Fact]
    public void Run_json_is_one_object_with_the_result()
    {
        var run = Zk(["run", Guests.SampleElf("sha256"), "--input", Path.Combine(Guests.RepoRoot, "samples", "sha256", "input.txt"), "--json"]);
        Assert.Equal(0, run.Exit);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(0, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("trap").ValueKind);
        Assert.Equal(64, json.RootElement.GetProperty("journal").GetString()!.Length);
        Assert.True(json.RootElement.GetProperty("cycles").GetUInt64() > 1000);
    }

    [Fact]
    public void A_guest_that_loops_forever_stops_at_the_cycle_limit_with_exit_code_3()
    {
        string elf = Guests.FromText("cli_loop.S", ".globl _start\n_start: j _start\n", bare: true);
        var run = Zk(["run", elf, "--max-cycles", "5000"]);
        Assert.Equal(3, run.Exit);
        Assert.Contains("error ZK2106", run.Stderr);
        Assert.Contains("cycles: 5000", run.Stdout);
    }

    [Fact]
    public void A_guest_that_aborts_gives_exit_code_3()
    {
        string elf = Guests.FromText("cli_abort.c", "#include <stdlib.h>\nint main(void) { abort(); }\n", bare: false);
        var run = Zk(["run", elf]);
        Assert.Equal(3, run.Exit);
        Assert.Contains("exit code: 134", run.Stdout);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("disasm")]
    [InlineData("inspect")]
    public void A_bad_elf_is_a_typed_error_with_exit_code_4(string command)
    {
        string bad = Temp("bad.elf");
        File.WriteAllText(bad, "not an elf");
        var result = Zk([command, bad]);
        Assert.Equal(4, result.Exit);
        Assert.StartsWith("error ZK2002:", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void Profile_writes_speedscope_json_prints_the_top_functions_and_run_writes_the_same_profile()
    {
        string elf = Guests.SampleElf("sha256"), input = Path.Combine(Guests.RepoRoot, "samples", "sha256", "input.txt");
        string profile = Temp("sha256.speedscope.json"), beside = Temp("run.speedscope.json");
        var (exit, stdout, stderr) = Zk(["profile", elf, "--input", input, "-o", profile, "--top", "3"]);
        Assert.True(exit == 0, stderr);
        var table = stdout.Split('\n');
        Assert.Matches(@"^\s+self\s+self %\s+total\s+total %\s+function$", table[0]);
        Assert.Matches(@"^\s+\d+\s+\d+\.\d %\s+\d+\s+\d+\.\d %  compress$", table[1]);
        Assert.Equal(3, table.Skip(1).TakeWhile(l => !l.StartsWith("cycles:")).Count());
        using var json = JsonDocument.Parse(File.ReadAllBytes(profile));
        Assert.Equal("https://www.speedscope.app/file-format-schema.json", json.RootElement.GetProperty("$schema").GetString());
        ulong cycles = json.RootElement.GetProperty("profiles")[0].GetProperty("weights").EnumerateArray().Aggregate(0UL, (sum, w) => sum + w.GetUInt64());
        Assert.Contains($"cycles: {cycles}, in ", stdout);

        (exit, stdout, stderr) = Zk(["run", elf, "--input", input, "--profile", beside]);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"cycles: {cycles}", stdout);
        Assert.Equal(File.ReadAllBytes(profile), File.ReadAllBytes(beside));

        (exit, _, stderr) = Zk(["profile", elf, "-o", Path.Combine(Temp("d"), "no", "such", "dir.json")]);
        Assert.Equal(2, exit);
        Assert.Contains("error ZK0002: the profile cannot be written", stderr);
        (exit, _, stderr) = Zk(["profile", elf, "-o", profile, "--top", "0"]);
        Assert.Equal(2, exit);
        Assert.Contains("error ZK0002: --top must be at least 1", stderr);
    }

    [Fact]
    public void A_missing_input_file_is_ZK2301()
    {
        var result = Zk(["run", Guests.SampleElf("fibonacci"), "--input", Temp("absent.bin")]);
        Assert.Equal(4, result.Exit);
        Assert.StartsWith("error ZK2301:", result.Stderr);
    }

    [Fact]
    public void A_missing_toolchain_names_the_packages_to_install()
    {
        var result = Zk(["cc", Path.Combine(Guests.RepoRoot, "samples", "fibonacci", "main.c"), "-o", Temp("x.elf")], path: "/nonexistent");
        Assert.Equal(4, result.Exit);
        Assert.StartsWith("error ZK2201:", result.Stderr);
        Assert.Contains("gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf", result.Stderr);
    }

    [Fact]
    public void A_compile_error_is_ZK2202_with_the_compiler_message()
    {
        string source = Temp("broken.c");
        File.WriteAllText(source, "int main(void) { return undefined_name; }\n");
        var result = Zk(["cc", source, "-o", Temp("broken.elf")]);
        Assert.Equal(4, result.Exit);
        Assert.StartsWith("error ZK2202:", result.Stderr);
        Assert.Contains("undefined_name", result.Stderr);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error()
    {
        Assert.Equal(2, Zk(["run", "x.elf", "--frobnicate"]).Exit);
    }

    [Fact]
    public void Disasm_and_inspect_describe_the_program()
    {
        string elf = Guests.SampleElf("sort");
        var disasm = Zk(["disasm", elf]);
        Assert.Equal(0, disasm.Exit);
        Assert.Contains("<main>:", disasm.Stdout);
        Assert.Contains("ecall", disasm.Stdout);
        var inspect = Zk(["inspect", elf, "--blocks"]);
        Assert.Equal(0, inspect.Exit);
        Assert.Contains("basic blocks: ", inspect.Stdout);
        Assert.Contains(" main", inspect.Stdout);
    }
}
