namespace ZkVm.Cli.Tests;

/// <summary><c>zkvm prove</c> and <c>zkvm verify</c>: usage errors (exit 2), missing files (exit 4), rejections (exit 1), and a real round trip.</summary>
public class ProveVerifyCommandTests
{
    const string SomeId = "0000000000000000000000000000000000000000000000000000000000000000";

    static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"zkvm-cli-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void Verify_needs_exactly_one_of_elf_and_image_id()
    {
        var (code, stdout, stderr) = ZkvmProcess.Run("verify", "r.zkrc");
        Assert.Equal(2, code);
        Assert.Contains("error ZK0001: give exactly one of --elf and --image-id", stderr);
        Assert.Empty(stdout);

        (code, _, stderr) = ZkvmProcess.Run("verify", "r.zkrc", "--elf", "a.elf", "--image-id", SomeId);
        Assert.Equal(2, code);
        Assert.Contains("ZK0001", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("00")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // not canonical field elements
    public void A_bad_image_id_is_a_usage_error(string hex)
    {
        var (code, _, stderr) = ZkvmProcess.Run("verify", "r.zkrc", "--image-id", hex);
        Assert.Equal(2, code);
        Assert.Contains("error ZK0002: --image-id:", stderr);
    }

    [Fact]
    public void Missing_files_are_exit_code_4()
    {
        var (code, _, stderr) = ZkvmProcess.Run("verify", Temp("missing.zkrc"), "--image-id", SomeId);
        Assert.Equal(4, code);
        Assert.Contains("error ZK5208:", stderr);

        // A directory exists but is no file to read: unreadable too.
        (code, _, stderr) = ZkvmProcess.Run("verify", Path.GetTempPath(), "--image-id", SomeId);
        Assert.Equal(4, code);
        Assert.Contains("error ZK5208:", stderr);

        (code, _, stderr) = ZkvmProcess.Run("prove", Temp("missing.elf"), "-o", Temp("out.zkrc"));
        Assert.Equal(4, code);
        Assert.Contains("error ZK2000:", stderr);
    }

    [Fact]
    public void A_file_that_reads_but_is_no_receipt_is_rejected_not_unreadable()
    {
        // Whatever is wrong with the bytes, the verdict is a rejection (exit 1); exit 4 is for files that cannot be read.
        string notReceipt = Temp("not-a-receipt.zkrc");
        try
        {
            File.WriteAllText(notReceipt, "hello");
            Assert.Equal("ZK5204", ZkvmProcess.VerifyVerdict("a text file", notReceipt, "--image-id", SomeId));
            File.WriteAllBytes(notReceipt, []);
            Assert.Equal("ZK5204", ZkvmProcess.VerifyVerdict("an empty file", notReceipt, "--image-id", SomeId));
            File.WriteAllBytes(notReceipt, [.. "ZKRC"u8, (byte)ReceiptFormat.Version, 0, 0, 0]); // the current version, then nothing
            Assert.Equal("ZK5201", ZkvmProcess.VerifyVerdict("a receipt cut after its version", notReceipt, "--image-id", SomeId));
        }
        finally
        {
            File.Delete(notReceipt);
        }
    }

    [Fact]
    public void Prove_checks_its_options()
    {
        var (code, _, stderr) = ZkvmProcess.Run("prove", "a.elf");
        Assert.Equal(2, code); // -o is required
        Assert.Contains("ZK0001", stderr);
        (code, _, stderr) = ZkvmProcess.Run("prove", "a.elf", "-o", "r.zkrc", "--preset", "weak");
        Assert.Equal(2, code);
        (code, _, stderr) = ZkvmProcess.Run("prove", "a.elf", "-o", "r.zkrc", "--max-cycles", "0");
        Assert.Equal(2, code);
        Assert.Contains("ZK0002", stderr);
        (code, _, stderr) = ZkvmProcess.Run("prove", "a.elf", "-o", "r.zkrc", "--shard-size", "8");
        Assert.Equal(2, code);
        Assert.Contains("error ZK0002: --shard-size must be 16…4194303, got 8", stderr);
    }

    [Fact]
    public void A_run_in_shards_proves_verifies_and_is_inspected_through_the_cli()
    {
        string elf = Temp("fib.elf"), input = Temp("fib.in"), receipt = Temp("fib.zkrc");
        try
        {
            Fibonacci(elf, input);
            var (code, stdout, stderr) = ZkvmProcess.Run("prove", elf, "--input", input, "-o", receipt, "--shard-size", "512");
            Assert.True(code == 0, stderr);
            int shards = int.Parse(stdout.Split('\n').Single(l => l.StartsWith("shards: ", StringComparison.Ordinal)).Split(' ')[1]);
            Assert.InRange(shards, 2, 8);
            Assert.Contains($"proving: commit shard 1/{shards}", stderr); // progress names each shard, in both phases
            Assert.Contains($"proving: prove shard {shards}/{shards}", stderr);

            (code, stdout, stderr) = ZkvmProcess.Run("verify", receipt, "--elf", elf);
            Assert.True(code == 0, stdout + stderr);

            (code, stdout, stderr) = ZkvmProcess.Run("inspect", receipt);
            Assert.True(code == 0, stderr);
            Assert.Contains($"shards:       {shards} of at most 512 cycles", stdout);
            Assert.Contains("  shard 0: cycles 0..511, boundary keys 0x00000000..", stdout);
            Assert.Equal(shards, stdout.Split('\n').Count(l => l.StartsWith("  shard ", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var f in new[] { elf, input, receipt }) File.Delete(f);
        }
    }

    [Fact]
    public void A_fibonacci_run_proves_and_verifies_through_the_cli()
    {
        string elf = Temp("fib.elf"), input = Temp("fib.in"), receipt = Temp("fib.zkrc");
        try
        {
            Fibonacci(elf, input);
            var (code, stdout, stderr) = ZkvmProcess.Run("prove", elf, "--input", input, "-o", receipt, "--preset", "conjectured100");
            Assert.True(code == 0, stderr);
            Assert.Contains("proving: queries", stderr); // redirected: one line per stage
            Assert.Contains("exit code: 0", stdout);
            Assert.Contains("journal: 8 bytes", stdout);

            // The verifier, not the receipt, chooses the regime: by default a conjectured100 proof is not enough.
            (code, stdout, _) = ZkvmProcess.Run("verify", receipt, "--elf", elf);
            Assert.Equal(1, code);
            Assert.StartsWith("rejected: ZK5104", stdout);

            (code, stdout, stderr) = ZkvmProcess.Run("verify", receipt, "--elf", elf, "--accept-conjectured");
            Assert.True(code == 0, stdout + stderr);
            Assert.StartsWith("verified", stdout);
            string id = stdout.Split('\n').Single(l => l.StartsWith("image id: ", StringComparison.Ordinal))["image id: ".Length..].Trim();

            (code, stdout, _) = ZkvmProcess.Run("verify", receipt, "--image-id", id, "--accept-conjectured");
            Assert.Equal(0, code);

            string other = id[..^1] + (id[^1] == '0' ? '1' : '0');
            (code, stdout, _) = ZkvmProcess.Run("verify", receipt, "--image-id", other, "--accept-conjectured");
            Assert.Equal(1, code);
            Assert.StartsWith($"rejected: ZK5101 proof is for image {id}, expected {other}", stdout);

            byte[] valid = File.ReadAllBytes(receipt);
            byte[] bytes = (byte[])valid.Clone();
            bytes[41] ^= 1; // the exit code
            File.WriteAllBytes(receipt, bytes);
            (code, stdout, _) = ZkvmProcess.Run("verify", receipt, "--elf", elf, "--accept-conjectured");
            Assert.Equal(1, code);
            Assert.StartsWith("rejected: ZK5102", stdout);

            // Relabelled proven100, a conjectured100 receipt is rejected under either regime.
            bytes = (byte[])valid.Clone();
            bytes[8] = 0;
            File.WriteAllBytes(receipt, bytes);
            Assert.Equal("ZK5209", ZkvmProcess.VerifyVerdict("relabelled proven100", receipt, "--elf", elf));
            Assert.Equal("ZK5209", ZkvmProcess.VerifyVerdict("relabelled proven100", receipt, "--elf", elf, "--accept-conjectured"));

            // Seeded mutations of every kind (splices cut the receipt against itself at two points): each is a
            // rejection with exit 1 and a code, never exit 4 (unreadable), a stack trace or an acceptance.
            var mutator = new Host.Tests.Support.Mutator(seed: 5);
            var codes = new HashSet<string>();
            for (int n = 0; n < 28; n++)
            {
                string kind = Host.Tests.Support.Mutator.Kinds[n % Host.Tests.Support.Mutator.Kinds.Length];
                File.WriteAllBytes(receipt, mutator.Mutate(kind, valid, valid));
                string what = $"{kind} #{n}";
                codes.Add(ZkvmProcess.VerifyVerdict(what, receipt, "--image-id", id, "--accept-conjectured")
                    ?? throw new Xunit.Sdk.XunitException($"{what}: a mutated receipt was accepted"));
            }
            Assert.True(codes.Count > 1, string.Join(", ", codes));
        }
        finally
        {
            foreach (var f in new[] { elf, input, receipt }) File.Delete(f);
        }
    }

    /// <summary>A guest that halts with 3 proves, and verifies only where the verifier accepts that exit code.</summary>
    [Fact]
    public void Verify_refuses_a_nonzero_exit_code_unless_it_is_accepted()
    {
        string source = Temp("exit3.c"), elf = Temp("exit3.elf"), receipt = Temp("exit3.zkrc");
        try
        {
            File.WriteAllText(source, "int main(void) { return 3; }\n");
            var (code, stdout, stderr) = ZkvmProcess.Run("cc", source, "-o", elf);
            Assert.True(code == 0, stdout + stderr);
            (code, stdout, stderr) = ZkvmProcess.Run("prove", elf, "-o", receipt, "--preset", "conjectured100");
            Assert.True(code == 0, stderr);
            Assert.Contains("exit code: 3", stdout);

            (code, stdout, _) = ZkvmProcess.Run("verify", receipt, "--elf", elf, "--accept-conjectured");
            Assert.Equal(1, code);
            Assert.StartsWith("rejected: ZK5106", stdout);
            (code, stdout, _) = ZkvmProcess.Run("verify", receipt, "--elf", elf, "--accept-conjectured", "--accept-exit-code", "0", "--accept-exit-code", "1");
            Assert.Equal(1, code);
            foreach (string accepted in new[] { "3", "any" })
            {
                (code, stdout, stderr) = ZkvmProcess.Run("verify", receipt, "--elf", elf, "--accept-conjectured", "--accept-exit-code", accepted);
                Assert.True(code == 0, stdout + stderr);
                Assert.Contains("exit code: 3", stdout);
            }
            (code, _, stderr) = ZkvmProcess.Run("verify", receipt, "--elf", elf, "--accept-exit-code", "three");
            Assert.Equal(2, code);
            Assert.Contains("--accept-exit-code: 'three'", stderr);

            // The same receipt through one Verifier shared by two threads (zkvm bench verifier; docs/PERFORMANCE.md, "Verifier").
            (code, stdout, stderr) = ZkvmProcess.Run("bench", "verifier", receipt, "--elf", elf, "--accept-conjectured", "--threads", "2", "--count", "2", "--json");
            Assert.True(code == 0, stdout + stderr);
            using (var json = System.Text.Json.JsonDocument.Parse(stdout))
            {
                Assert.Equal(4, json.RootElement.GetProperty("verifications").GetDouble());
                foreach (var key in new[] { "first_ms_fastest", "later_ms_median", "wall_ms", "verifications_per_s" })
                    Assert.True(json.RootElement.GetProperty(key).GetDouble() > 0, key);
            }
            (code, _, stderr) = ZkvmProcess.Run("bench", "verifier", receipt, "--elf", elf, "--threads", "0");
            Assert.Equal(2, code);
            Assert.Contains("ZK0002", stderr);
        }
        finally
        {
            foreach (var f in new[] { source, elf, receipt }) File.Delete(f);
        }
    }

    /// <summary>samples/fibonacci compiled to <paramref name="elf"/> (-O2), and its input for n = 10.</summary>
    static void Fibonacci(string elf, string input)
    {
        var (code, _, stderr) = ZkvmProcess.Run("cc", Path.Combine(RepoRoot(), "samples", "fibonacci", "main.c"), "-o", elf, "-O", "2");
        Assert.True(code == 0, stderr);
        File.WriteAllBytes(input, BitConverter.GetBytes(10u));
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZkSdk.sln"))) return dir.FullName;
        throw new InvalidOperationException("ZkSdk.sln not found");
    }
}
