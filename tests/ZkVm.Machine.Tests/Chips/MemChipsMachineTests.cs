using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>
/// The branch, jump, load and store chips inside the whole machine: a bare guest built only from their
/// instructions, LUI/AUIPC and the final HALT balances every bus.
/// </summary>
public class MemChipsMachineTests
{
    const string Guest = """
        .data
        .align 2
    src: .word 0x80FF7F01, 0x7FFF8000
    dst: .word 0, 0, 0, 0
        .text
        .globl _start
    _start:
        lui s0, %hi(src)
        lw a1, %lo(src)(s0)
        lh a2, %lo(src+4)(s0)
        lbu a3, %lo(src+3)(s0)
        lb a4, %lo(src+1)(s0)
        lhu a5, %lo(src+6)(s0)
        lui s1, %hi(dst)
        sw a1, %lo(dst)(s1)
        sb a2, %lo(dst+1)(s1)
        sh a4, %lo(dst+6)(s1)
        sb a3, %lo(dst+11)(s1)
        sh a1, %lo(dst+8)(s1)
        lw a6, %lo(dst)(s1)
        lb a7, %lo(dst+1)(s1)
        blt a1, a2, 1f
        lui a0, 1
    1:  bge a1, a2, 2f
        lui a0, 2
    2:  bltu a3, a5, 3f
        lui a0, 3
    3:  bgeu a3, a5, 4f
        lui a0, 4
    4:  beq a1, a6, 5f
        lui a0, 5
    5:  bne a1, a1, 6f
        lui a0, 6
    6:  jal ra, func
        auipc t0, 0
        jalr t1, 17(t0)
        lui a0, 7
        lui a0, 8
        lui a0, 0
        lui a7, 0
        ecall
    func:
        lw t2, %lo(src)(s0)
        jalr x0, 0(ra)
    """;

    static (MachineProgram Program, MachineWitness Witness) Run() =>
        MachineRuns.Run(Guests.FromText("mem_chips_machine.S", Guest, bare: true));

    static void CheckMachine(MachineCircuit circuit, MachineWitness witness, TableTrace[] traces)
    {
        // The byte table's multiplicities follow the (possibly forged) chips, as a forger would fill them.
        traces[^1] = circuit.BytesTrace(traces[..^1]);
        TraceChecker.Check(traces, circuit.PublicBus(MachineCircuit.ClaimOf(witness)));
    }

    [Fact]
    public void A_whole_run_balances_every_bus()
    {
        var (program, witness) = Run();
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var families = witness.Steps.Select(s => s.Record.Instruction.Spec.Family).ToHashSet();
        Assert.Subset(new HashSet<InstructionFamily> { InstructionFamily.UpperImmediate, InstructionFamily.Branch, InstructionFamily.Jump,
            InstructionFamily.Load, InstructionFamily.Store, InstructionFamily.Syscall }, families);
        CheckMachine(circuit, witness, traces);
    }

    [Fact]
    public void A_whole_run_proves_and_verifies()
    {
        // The engine's own degree and shape checks on the four chips, and the STARK over the real traces.
        var (program, witness) = Run();
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var claim = MachineCircuit.ClaimOf(witness);
        var proof = StarkProver.Prove(traces, SecurityPresets.Parameters(SecurityPreset.Proven100), circuit.PublicBus(claim));
        MachineVerifier.Verify(program, claim, proof);
        // The run proved again under a claim with another exit code: the halt bus refuses it.
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, traces, claim with { ExitCode = claim.ExitCode + 1 });
    }

    public static IEnumerable<object[]> ChipNames() => [["branch"], ["jump"], ["load"], ["store"]];

    [Theory]
    [MemberData(nameof(ChipNames))]
    public void Every_column_mutation_fails_the_whole_machine(string chip)
    {
        var (program, witness) = Run();
        var circuit = new MachineCircuit(program);
        var honest = circuit.Traces(witness);
        int t = Array.FindIndex(honest, x => x.Air.Name == chip);
        var table = honest[t];
        var air = (IInstructionChip)table.Air;
        int real = witness.Steps.Count(s => air.Opcodes.Contains(s.Record.Instruction.Op));
        var uncaught = new List<string>();
        for (int c = 0; c < table.Main.Width; c++)
        {
            // One row per column, rotating over the real rows.
            int row = c % real;
            var traces = (TableTrace[])honest.Clone();
            var main = table.Main.Clone();
            main[row, c] = main[row, c] + BabyBear.One;
            traces[t] = new TableTrace(air, main, table.PublicValues);
            try
            {
                CheckMachine(circuit, witness, traces);
                uncaught.Add($"column {c} row {row}");
            }
            catch (ZkVmException) { }
            // A lookup the byte table does not hold: counting the multiplicities (in parallel) refuses it.
            catch (AggregateException a) when (a.Flatten().InnerExceptions.All(e => e is ZkVmException)) { }
        }
        Assert.Empty(uncaught);
    }
}
