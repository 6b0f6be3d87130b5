using ZkVm.Riscv.Tests.Support;

namespace ZkVm.Host.Tests;

/// <summary>Loading and executing through the host API (proving waits for the instruction chips).</summary>
public class ZkProgramTests
{
    [Fact]
    public void Loading_a_bad_elf_passes_the_loaders_typed_error_through()
    {
        string path = Path.Combine(Guests.WorkDir, "not-an-elf.elf");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
        var e = Assert.ThrowsAny<ZkVmException>(() => ZkProgram.Load(path));
        Assert.StartsWith("ZK20", e.Code);
        e = Assert.ThrowsAny<ZkVmException>(() => ZkProgram.Load(Path.Combine(Guests.WorkDir, "missing.elf")));
        Assert.StartsWith("ZK20", e.Code);
    }

    [Fact]
    public void Execute_reports_exit_code_journal_cycles_and_output()
    {
        var program = ZkProgram.Load(Guests.SampleElf("fibonacci"));
        var run = program.Execute(BitConverter.GetBytes(10u));
        Assert.True(run.Halted);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(BitConverter.GetBytes(55ul), run.Journal);
        Assert.True(run.Cycles > 10);
        Assert.Contains("fib(10)", System.Text.Encoding.UTF8.GetString(run.Stdout));
        Assert.Equal(program.ImageId, ZkProgram.Load(Guests.SampleElf("fibonacci")).ImageId);

        var limited = program.Execute(BitConverter.GetBytes(10u), maxCycles: 5);
        Assert.False(limited.Halted);
        Assert.Equal("ZK2106", limited.Trap!.Code);
    }

    [Fact]
    public void Proving_a_run_that_does_not_halt_is_a_typed_error()
    {
        var program = ZkProgram.Load(Guests.SampleElf("fibonacci"));
        var e = Assert.ThrowsAny<ZkVmException>(() => program.Prove(BitConverter.GetBytes(10u), new ProverOptions { MaxCycles = 5 }));
        Assert.Equal("ZK5001", e.Code);
    }
}
