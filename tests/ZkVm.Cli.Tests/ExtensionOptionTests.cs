namespace ZkVm.Cli.Tests;

/// <summary><c>--extension</c>: the Zicond sample guest runs, proves and verifies only on the machine with the extension.</summary>
public class ExtensionOptionTests
{
    static string Extension => typeof(ZkVm.Samples.Zicond.ZicondExtension).Assembly.Location;

    static string Sample(params string[] path)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZkSdk.sln")))
                return Path.Combine([dir.FullName, "samples", "zicond", "ZicondGuest", .. path]);
        throw new InvalidOperationException("ZkSdk.sln not found above the test output folder");
    }

    [Fact]
    public void The_zicond_guest_runs_proves_and_verifies_with_the_extension_only()
    {
        string dir = Directory.CreateTempSubdirectory("zkvm-cli-zicond-").FullName;
        try
        {
            string elf = Path.Combine(dir, "zicond.elf"), receipt = Path.Combine(dir, "zicond.zkrc"), input = Sample("inputs", "values.bin");
            var (code, _, stderr) = ZkvmProcess.Run("cc", Sample("src", "main.c"), "-o", elf, "-O2");
            Assert.True(code == 0, stderr);

            (code, _, stderr) = ZkvmProcess.Run("run", elf, "--input", input);
            Assert.Equal(3, code);
            Assert.Contains("error ZK2101:", stderr);
            Assert.Contains("czero", ZkvmProcess.Run("disasm", elf, "--extension", Extension).StdOut);
            (code, _, stderr) = ZkvmProcess.Run("profile", elf, "--input", input, "--extension", Extension, "-o", Path.Combine(dir, "zicond.speedscope.json"));
            Assert.True(code == 0, stderr);

            (code, var stdout, stderr) = ZkvmProcess.Run("run", elf, "--input", input, "--extension", Extension);
            Assert.True(code == 0, stderr);
            Assert.Contains("journal: ffffffff0000000003000000", stdout);

            (code, _, stderr) = ZkvmProcess.Run("prove", elf, "--input", input, "--extension", Extension, "-o", receipt);
            Assert.True(code == 0, stderr);
            (code, stdout, _) = ZkvmProcess.Run("verify", receipt, "--elf", elf, "--extension", Extension);
            Assert.Equal(0, code);
            Assert.Contains("verified", stdout);

            Assert.Equal("ZK5210", ZkvmProcess.VerifyVerdict("a zicond receipt without the extension", receipt, "--elf", elf));
            string plainId = ZkvmProcess.Run("image-id", elf).StdOut.Trim();
            Assert.Equal("ZK5210", ZkvmProcess.VerifyVerdict("a zicond receipt against the plain ImageId", receipt, "--image-id", plainId));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_assembly_that_is_no_extension_is_exit_code_4()
    {
        var (code, _, stderr) = ZkvmProcess.Run("image-id", Sample("src", "main.c"), "--extension", Path.Combine(Path.GetTempPath(), "no-such-extension.dll"));
        Assert.Equal(4, code);
        Assert.Contains("error ZK5211: extension assembly", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
