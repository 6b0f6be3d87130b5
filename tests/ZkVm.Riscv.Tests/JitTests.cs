using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Tests;

/// <summary>
/// The JIT (<see cref="ExecutionEngine.Jit"/>) against the interpreter, its reference: every program of the fuzzer, the directed
/// corpus, the samples and the trap corpus gives the same exit code or trap (cause, pc, message), cycles, registers, journal
/// (which holds the fuzzer's memory), output, and, recording, the same checkpoints and read log, entry for entry. Regions
/// compile on their first entry, inline, so that every block runs compiled; checkpoints every few cycles cut blocks short.
/// </summary>
public class JitTests
{
    static ExecutionOptions Jit(ExecutionOptions options) =>
        options with { Engine = ExecutionEngine.Jit, JitHotEntries = 1, JitCompilesInBackground = false, JitAfterCycles = 0 };

    static void AssertSameRun(HarvardProgram program, byte[] input, ExecutionOptions options, params ulong[] intervals)
    {
        var expected = Interpreter.Run(program, input, options);
        var actual = Interpreter.Run(program, input, Jit(options));
        AssertSameResult(expected, actual);
        foreach (ulong interval in intervals)
        {
            using var reference = Interpreter.Record(program, input, options with { CheckpointInterval = interval });
            using var compiled = Interpreter.Record(program, input, Jit(options) with { CheckpointInterval = interval });
            AssertSameResult(reference.Result, compiled.Result);
            AssertSameResult(expected, compiled.Result);
            Assert.Equal(reference.Checkpoints.Count, compiled.Checkpoints.Count);
            for (int i = 0; i < reference.Checkpoints.Count; i++)
            {
                var (e, a) = (reference.Checkpoints[i], compiled.Checkpoints[i]);
                Assert.Equal((e.Cycle, e.Pc, e.ReadLogPosition), (a.Cycle, a.Pc, a.ReadLogPosition));
                Assert.Equal(e.Registers, a.Registers);
            }
            Assert.Equal(reference.ReadLog.ToArray(), compiled.ReadLog.ToArray());
        }
    }

    static void AssertSameResult(ExecutionResult expected, ExecutionResult actual)
    {
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.Trap, actual.Trap);
        Assert.Equal(expected.Cycles, actual.Cycles);
        Assert.Equal(expected.FinalPc, actual.FinalPc);
        Assert.Equal(expected.Registers, actual.Registers);
        Assert.Equal(expected.Journal, actual.Journal);
        Assert.Equal(expected.Stdout, actual.Stdout);
        Assert.Equal(expected.Stderr, actual.Stderr);
        Assert.Equal(expected.MemoryBytes, actual.MemoryBytes);
    }

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 100));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_random_program_runs_alike_on_both_engines(int seed)
    {
        var program = DifferentialFuzzTests.RandomProgram(new Random(seed));
        AssertSameRun(program, "fuzz input"u8.ToArray(), new ExecutionOptions { MaxCycles = 5_000 }, 7, 64);
    }

    public static TheoryData<string> Directed => new(Guests.DirectedPrograms);

    [Theory]
    [MemberData(nameof(Directed))]
    public void A_directed_program_runs_alike_on_both_engines(string file)
    {
        var program = Guests.Load(Guests.DirectedElf(file));
        AssertSameRun(program, "zk"u8.ToArray(), new ExecutionOptions { MaxCycles = 10_000_000 }, 13, 1 << 12);
        Assert.Equal(0, Interpreter.Run(program, "zk"u8.ToArray(), Jit(new ExecutionOptions())).ExitCode);
    }

    /// <summary>Every sample that runs on plain RV32IM (samples/accelerators needs the machine's extension, a layer above).</summary>
    public static TheoryData<string> Samples => new([.. Guests.Samples, "keccak256", "shapes-cpp"]);

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_runs_alike_on_both_engines(string sample)
    {
        var program = Guests.Load(Guests.SampleElf(sample));
        AssertSameRun(program, Guests.SampleInput(sample), new ExecutionOptions(), 1 << 10, 1 << 18);
    }

    public static TheoryData<string, string, TrapCause> Traps => TrapTests.Programs;

    [Theory]
    [MemberData(nameof(Traps))]
    public void A_trap_is_the_same_trap_at_the_same_pc_and_cycle_on_both_engines(string name, string body, TrapCause cause)
    {
        var program = Guests.Load(Guests.FromText(name + ".S", TrapTests.Source(body), bare: true));
        var options = new ExecutionOptions { MaxCycles = 100_000 };
        AssertSameRun(program, "input"u8.ToArray(), options, 3, 1 << 10);
        Assert.Equal(cause, Interpreter.Run(program, "input"u8.ToArray(), Jit(options)).Trap?.Cause);
    }

    [Fact]
    public void A_trap_inside_a_hot_compiled_loop_is_the_interpreters()
    {
        // A thousand loads in a compiled loop, then its pointer moves by 2: the misaligned load comes from compiled code, and
        // does not retire (3 + 3,000 + 2 cycles).
        var program = Guests.Load(Guests.FromText("hot_misaligned.S", TrapTests.Source("""
            la a0, data
            li a3, 1000
            1:
            lw a1, 0(a0)
            addi a3, a3, -1
            bnez a3, 1b
            addi a0, a0, 2
            j 1b
            """), bare: true));
        var options = new ExecutionOptions { MaxCycles = 10_000_000 };
        AssertSameRun(program, [], options, 5, 1 << 16);
        var trap = Interpreter.Run(program, ReadOnlyMemory<byte>.Empty, Jit(options) with { JitHotEntries = 2 }).Trap;
        Assert.Equal(TrapCause.MisalignedAccess, trap?.Cause);
        Assert.Equal(3UL + 3 * 1000 + 2, Interpreter.Run(program, ReadOnlyMemory<byte>.Empty, Jit(options)).Cycles);
    }

    [Fact]
    public void The_cycle_limit_stops_a_compiled_loop_on_the_exact_cycle()
    {
        var program = Guests.Load(Guests.FromText("spin_limit.S", TrapTests.Source("1: addi a0, a0, 1\n addi a1, a1, 3\n j 1b"), bare: true));
        foreach (ulong limit in new ulong[] { 1, 2, 3, 1000, 1001, 1002, 99_999 })
        {
            var options = new ExecutionOptions { MaxCycles = limit };
            AssertSameRun(program, [], options, 2, 7);
            Assert.Equal(limit, Interpreter.Run(program, ReadOnlyMemory<byte>.Empty, Jit(options)).Cycles);
        }
    }

    [Fact]
    public void Compiling_in_the_background_gives_the_same_run()
    {
        // The default: regions compile on a thread-pool thread while the run interprets; which blocks ran compiled varies.
        var program = Guests.Load(Guests.SampleElf("sha256"));
        var input = Guests.SampleInput("sha256");
        var expected = Interpreter.Run(program, input);
        for (int i = 0; i < 3; i++)
            AssertSameResult(expected, Interpreter.Run(program, input, new ExecutionOptions { Engine = ExecutionEngine.Jit, JitHotEntries = 2, JitAfterCycles = 1000 }));
    }
}
