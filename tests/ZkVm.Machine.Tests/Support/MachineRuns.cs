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
}
