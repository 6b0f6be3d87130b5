using System.Text.Json;

namespace ZkVm.Cli.Tests;

public class BenchCommandTests
{
    private static readonly string[] Keys = ["babybear_mul_per_s", "ntt_elements_per_s", "poseidon2_perm_per_s_core", "merkle_leaf_bytes_per_s"];

    [Fact]
    public void Bench_primitives_prints_every_key_as_json_and_as_lines()
    {
        var (code, stdout, stderr) = ZkvmProcess.Run("bench", "primitives", "--json", "--repetitions", "1");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        foreach (var key in Keys)
            Assert.True(json.RootElement.GetProperty(key).GetDouble() > 0, key);
        Assert.Contains("measuring", stderr); // progress goes to stderr, results alone to stdout
    }

    [Fact]
    public void Bad_usage_is_exit_code_2_with_a_stable_code()
    {
        var (code, stdout, stderr) = ZkvmProcess.Run("bench", "primitives", "--repetitions", "0");
        Assert.Equal(2, code);
        Assert.Contains("ZK0002", stderr);
        Assert.Empty(stdout);
        Assert.DoesNotContain("   at ", stderr); // no stack trace

        (code, _, stderr) = ZkvmProcess.Run("bench", "nonsense");
        Assert.Equal(2, code);
        Assert.Contains("ZK0001", stderr);
    }

    [Fact]
    public void Bench_stark_reports_phases_memory_size_and_verification()
    {
        var (code, stdout, stderr) = ZkvmProcess.Run("bench", "stark", "--log-rows", "6", "--columns", "8", "--json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        foreach (var key in new[] { "rows", "columns", "prove_s", "phase_main_s", "phase_quotient_s", "phase_fri_s", "peak_working_set_bytes", "proof_bytes", "verify_ms" })
            Assert.True(json.RootElement.GetProperty(key).GetDouble() > 0, key);
        Assert.Equal(64, json.RootElement.GetProperty("rows").GetDouble());

        (code, _, stderr) = ZkvmProcess.Run("bench", "stark", "--log-rows", "30");
        Assert.Equal(2, code);
        Assert.Contains("ZK0002", stderr);
    }

    [Fact]
    public void Inspect_shows_a_proofs_parameters_and_bit_table()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zkvm-inspect-{Guid.NewGuid():N}.zksp");
        try
        {
            var (code, _, stderr) = ZkvmProcess.Run("bench", "stark", "--log-rows", "5", "--columns", "4", "-o", path);
            Assert.True(code == 0, stderr);
            string stdout;
            (code, stdout, stderr) = ZkvmProcess.Run("inspect", path);
            Assert.True(code == 0, stderr);
            Assert.Contains("203 queries", stdout);
            Assert.Contains("FRI query phase", stdout);
            Assert.Contains("2^5", stdout);

            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^1]);
            (code, _, stderr) = ZkvmProcess.Run("inspect", path);
            Assert.Equal(4, code);
            Assert.Contains("ZK3001", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
