using System.Collections.Concurrent;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;

namespace ZkVm.Machine.Tests.Support;

/// <summary>Witnesses of real guest runs, built once per ELF and input in a test run.</summary>
static class MachineRuns
{
    static readonly ConcurrentDictionary<string, Lazy<(MachineProgram, MachineWitness)>> Built = new();

    public static (MachineProgram Program, MachineWitness Witness) Run(string elf, byte[]? input = null) =>
        Built.GetOrAdd(elf + "|" + Convert.ToHexString(input ?? []), _ => new(() =>
        {
            var program = new MachineProgram(HarvardProgram.Load(elf));
            var (records, result) = ReExecutor.RunWithRecords(program.Program, input ?? []);
            Assert.Null(result.Trap);
            return (program, MemoryTimeline.Build(program, records, input ?? []));
        })).Value;

    public static (MachineProgram Program, MachineWitness Witness) Directed(string file) => Run(Guests.DirectedElf(file));

    public static (MachineProgram Program, MachineWitness Witness) Sample(string sample) =>
        Run(Guests.SampleElf(sample), Guests.SampleInput(sample));

    public static (MachineProgram Program, MachineWitness Witness) X0Writes() => Run(Guests.FromText("x0_writes.S", X0WritesSource, bare: true));

    /// <summary>An instruction of every family that writes a register, each with rd = x0: the rows whose rd
    /// access columns only the pins (Gadgets.ZeroWhen) bind.</summary>
    const string X0WritesSource = """
            .text
            .globl _start
        _start:
            li a1, 7
            li a2, 3
            la t0, word
            lui x0, 5
            auipc x0, 1
            addi x0, x0, 5
            add x0, a1, a2
            slt x0, a1, a2
            sltiu x0, a1, 9
            sll x0, a1, a2
            srai x0, a1, 1
            mul x0, a1, a2
            mulhu x0, a1, a2
            div x0, a1, a2
            remu x0, a1, a2
            lw x0, 0(t0)
            lbu x0, 1(t0)
            jal x0, next
        next:
            li a0, 0
            li a7, 0
            ecall
            .data
        word: .word 0x11223344
        """;
}
