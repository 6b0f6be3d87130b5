using System.Text;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Tests;

/// <summary>The self-checking corpus in Directed/ (assembly and C): each program halts with 0 when
/// all its checks hold, or with the number of the first failing check.</summary>
public class DirectedTests
{
    public static TheoryData<string> Programs => new(Guests.DirectedPrograms);

    [Theory]
    [MemberData(nameof(Programs))]
    public void Passes_all_its_checks_in_the_interpreter(string file)
    {
        var program = Guests.Load(Guests.DirectedElf(file));
        var result = Interpreter.Run(program, "zk"u8.ToArray(), new ExecutionOptions { MaxCycles = 10_000_000 });
        Assert.Null(result.Trap);
        Assert.True(result.ExitCode == 0, $"{file}: check {result.ExitCode} failed");
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Passes_all_its_checks_in_the_record_stepper(string file)
    {
        var program = Guests.Load(Guests.DirectedElf(file));
        var (_, result) = ReExecutor.RunWithRecords(program, "zk"u8.ToArray(), new ExecutionOptions { MaxCycles = 10_000_000 });
        Assert.Null(result.Trap);
        Assert.True(result.ExitCode == 0, $"{file}: check {result.ExitCode} failed");
    }

    [Fact]
    public void Corpus_covers_every_RV32IM_instruction()
    {
        var executed = new HashSet<Isa.Opcode>();
        foreach (var file in Directory.GetFiles(Guests.DirectedDir, "*.S").Select(Path.GetFileName))
        {
            // Assembly only: every instruction is there because a check asked for it.
            var (records, _) = ReExecutor.RunWithRecords(Guests.Load(Guests.DirectedElf(file!)), "zk"u8.ToArray());
            executed.UnionWith(records.Select(r => r.Instruction.Op));
        }
        executed.Add(Isa.Opcode.Ebreak); // a trap, covered by TrapTests
        var missing = Enum.GetValues<Isa.Opcode>().Where(op => op != Isa.Opcode.Illegal && !executed.Contains(op)).ToList();
        Assert.True(missing.Count == 0, "never executed: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_wrong_expectation_fails_with_its_check_number()
    {
        var elf = Guests.FromText("wrong.S", """
            #include "directed.h"
            START
                TEST_RR(1, add, 3, 1, 2)
                TEST_RR(2, add, 4, 1, 2)
                PASS_FAIL
            """.Replace("#include \"directed.h\"", $"#include \"{Path.Combine(Guests.DirectedDir, "directed.h")}\""), bare: true);
        var result = Interpreter.Run(Guests.Load(elf), default);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void System_program_reads_input_commits_and_writes()
    {
        var result = Interpreter.Run(Guests.Load(Guests.DirectedElf("system.S")), "zk"u8.ToArray());
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("zk", Encoding.ASCII.GetString(result.Journal));
        Assert.Equal("zk", Encoding.ASCII.GetString(result.Stdout));
    }
}
