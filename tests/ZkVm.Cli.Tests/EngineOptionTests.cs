
namespace ZkVm.Cli.Tests;

/// <summary><c>--engine interpreter|jit</c> on <c>zkvm run</c> (and <c>prove</c>): the same run either way; anything else is bad usage.</summary>
public class EngineOptionTests
{
    [Fact]
    public void Both_engines_give_the_same_run_and_a_bad_engine_is_refused()
    {
        string dir = Directory.CreateTempSubdirectory("zkvm-engine-").FullName;
        try
        {
            string elf = Path.Combine(dir, "loop.elf"), input = Path.Combine(dir, "n.bin");
            var (code, _, stderr) = ZkvmProcess.Run("cc", Path.Combine(ImageIdCommandTests.RepoRoot(), "samples", "loop", "main.c"), "-o", elf, "-O", "2");
            Assert.True(code == 0, stderr);
            File.WriteAllBytes(input, BitConverter.GetBytes(400_000u)); // 2.8 M cycles: past the 2^20 the JIT leaves to the interpreter
            string Run(string engine)
            {
                var (exit, stdout, error) = ZkvmProcess.Run("run", elf, "--input", input, "--engine", engine, "--json");
                Assert.True(exit == 0, error);
                using var json = System.Text.Json.JsonDocument.Parse(stdout);
                var root = json.RootElement;
                return $"{root.GetProperty("exitCode")} {root.GetProperty("journal")} {root.GetProperty("cycles")} {root.GetProperty("stdout")}";
            }
            Assert.Equal(Run("interpreter"), Run("jit"));

            (code, string output, stderr) = ZkvmProcess.Run("run", elf, "--engine", "fast");
            Assert.Equal(2, code);
            Assert.Contains("--engine is 'interpreter' or 'jit', not 'fast'", stderr);
            Assert.Empty(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
