
namespace ZkVm.Cli.Tests;

/// <summary><c>zkvm image-id</c>, what ZkVm.Sdk compiles into a guest project as its ImageId constant.</summary>
public class ImageIdCommandTests
{
    [Fact]
    public void Prints_the_programs_ImageId_as_64_hex_digits()
    {
        string elf = Path.Combine(Path.GetTempPath(), $"zkvm-image-id-{Guid.NewGuid():N}.elf");
        try
        {
            var (code, _, stderr) = ZkvmProcess.Run("cc", Path.Combine(RepoRoot(), "samples", "fibonacci", "main.c"), "-o", elf, "-O", "2");
            Assert.True(code == 0, stderr);
            (code, string stdout, stderr) = ZkvmProcess.Run("image-id", elf);
            Assert.True(code == 0, stderr);
            Assert.Matches("^[0-9a-f]{64}\n$", stdout);
            Assert.Equal(ZkProgram.Load(elf).ImageId.ToString(), stdout.Trim());
        }
        finally
        {
            File.Delete(elf);
        }
    }

    [Fact]
    public void A_file_that_is_not_an_ELF_is_exit_code_4_with_its_code()
    {
        string notElf = Path.Combine(Path.GetTempPath(), $"zkvm-image-id-{Guid.NewGuid():N}.txt");
        File.WriteAllText(notElf, "not an ELF file at all, long enough to have a header");
        try
        {
            var (code, _, stderr) = ZkvmProcess.Run("image-id", notElf);
            Assert.Equal(4, code);
            Assert.StartsWith("error ZK2002: ", stderr);
        }
        finally
        {
            File.Delete(notElf);
        }
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZkSdk.sln"))) return dir.FullName;
        throw new InvalidOperationException("ZkSdk.sln not found");
    }
}
