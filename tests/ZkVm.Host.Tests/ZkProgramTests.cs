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
        Assert.Equal(0u, run.ExitCode);
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
        var e = Assert.Throws<GuestTrapException>(() => program.Prove(BitConverter.GetBytes(10u), new ProverOptions { MaxCycles = 5 }));
        Assert.Equal("ZK5001", e.Code);
        Assert.Equal("ZK2106", e.TrapCode);
        Assert.Equal("CycleLimit", e.Cause);
    }

    /// <summary>A trap's code, cause, pc and function come as properties, not only inside the message.</summary>
    [Fact]
    public void A_trapping_guest_is_a_typed_trap_with_its_pc_and_function()
    {
        var program = ZkProgram.Load(Guests.FromText("trap_in_function.c", """
            #include <stdint.h>
            __attribute__((noinline)) uint32_t misaligned(volatile uint8_t *p) { return *(volatile uint32_t *)(p + 1); }
            int main(void) { static uint8_t bytes[8]; return (int)misaligned(bytes); }
            """, bare: false));
        var e = Assert.Throws<GuestTrapException>(() => program.Prove(ReadOnlyMemory<byte>.Empty));
        Assert.Equal("ZK5001", e.Code);
        Assert.Equal("ZK2103", e.TrapCode);
        Assert.Equal("MisalignedAccess", e.Cause);
        Assert.Equal(program.Execute(ReadOnlyMemory<byte>.Empty).Trap!.Pc, e.Pc);
        Assert.StartsWith("misaligned+0x", e.Symbol);
        Assert.Contains(e.Symbol!, e.Message);
    }

    /// <summary>Every option no proof can be made with is refused before any work, so no progress is ever reported.</summary>
    [Fact]
    public void Bad_options_are_refused_before_any_work()
    {
        var program = ZkProgram.Load(Guests.SampleElf("fibonacci"));
        foreach (var options in new[]
        {
            new ProverOptions { MaxCycles = 0 },
            new ProverOptions { Preset = (SecurityPreset)99 },
            new ProverOptions { ShardCycles = 1 },
            new ProverOptions { ShardCycles = Machine.MachineLayout.MaxShardCycles + 1 },
            new ProverOptions { Cluster = " " },
            new ProverOptions { MaxParallelism = 0 },
            new ProverOptions { Engine = (ExecutionEngine)9 },
        })
        {
            var progress = new List<ProofProgress>();
            var e = Assert.Throws<ZkVmException>(() => program.Prove(BitConverter.GetBytes(10u), options, new Progress(progress)));
            Assert.Equal(HostErrors.BadOptions, e.Code);
            Assert.Empty(progress);
        }
    }

    sealed class Endless : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => count;
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    sealed class Progress(List<ProofProgress> seen) : IProgress<ProofProgress>
    {
        public void Report(ProofProgress value) => seen.Add(value);
    }

    [Fact]
    public void A_program_loads_alike_from_a_path_bytes_and_a_stream()
    {
        string elf = Guests.SampleElf("fibonacci");
        var id = ZkProgram.Load(elf).ImageId;
        Assert.Equal(id, ZkProgram.Load(File.ReadAllBytes(elf)).ImageId);
        using (var stream = File.OpenRead(elf))
            Assert.Equal(id, ZkProgram.Load(stream).ImageId);
        Assert.Equal("ZK2001", Assert.ThrowsAny<ZkVmException>(() => ZkProgram.Load(new byte[] { 0x7f, (byte)'E' })).Code);
        // A stream without end is refused once it passes an ELF's size limit, not read into memory whole.
        Assert.Equal("ZK2014", Assert.ThrowsAny<ZkVmException>(() => ZkProgram.Load(new Endless())).Code);
        var folder = Assert.ThrowsAny<ZkVmException>(() => ZkProgram.Load(Guests.WorkDir));
        Assert.Equal("ZK2000", folder.Code);
        Assert.Contains("a folder, not an ELF file", folder.Message);
    }
}
