using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>
/// The alu, compare, shift and fence chips inside the whole machine: a bare guest built only from
/// their instructions, LUI and the final HALT, the directed programs and a sample balance every bus;
/// changed columns and forged results fail the whole-machine check or the proof.
/// </summary>
public class AluChipsMachineTests
{
    const string Guest = """
        .text
        .globl _start
    _start:
        li t0, 0x9234abcd
        li t1, 0x6a5b5c2d
        li t2, -1
        li t3, 33
        add a1, t0, t1
        sub a2, t0, t1
        sub a3, t1, t0
        xor a4, t0, t1
        or a5, t0, t1
        and a6, t0, t1
        addi a1, a1, -2048
        xori a2, a2, -256
        ori a3, a3, 0x0f0
        andi a4, a4, 0x7ff
        add t2, t2, t2
        add x0, t0, t1
        slt s2, t0, t1
        sltu s3, t0, t1
        slti s4, t1, -1
        sltiu s5, t0, -1
        slt s6, t2, t2
        sll s7, t0, t3
        srl s8, t0, t3
        sra s9, t0, t3
        slli s10, t1, 31
        srli s11, t0, 17
        srai a7, t0, 9
        sra t4, t2, t3
        fence
        fence r, w
        li a0, 0
        li a7, 0
        ecall
    """;

    static (MachineProgram Program, MachineWitness Witness) Run() =>
        MachineRuns.Run(Guests.FromText("alu_chips_machine.S", Guest, bare: true));

    /// <summary>The whole-machine debug check; the byte table's multiplicities follow the (possibly
    /// forged) chips, as a forger would fill them.</summary>
    static void CheckMachine(MachineCircuit circuit, MachineWitness witness, TableTrace[] traces)
    {
        int bytes = Array.FindIndex(traces, t => t.Air.Name == "bytes");
        var users = traces.Where((_, i) => i != bytes).ToArray();
        traces[bytes] = new TableTrace(traces[bytes].Air, ByteTable.Fill(ByteLookups.Count(users)));
        TraceChecker.Check(traces, circuit.PublicBus(MachineCircuit.ClaimOf(witness)));
    }

    static bool Rejected(MachineCircuit circuit, MachineWitness witness, TableTrace[] traces)
    {
        try
        {
            CheckMachine(circuit, witness, traces);
            return false;
        }
        catch (ZkVmException) { return true; }
        // A lookup the byte table does not hold: counting the multiplicities (in parallel) refuses it.
        catch (AggregateException a) when (a.Flatten().InnerExceptions.All(e => e is ZkVmException)) { return true; }
    }

    [Fact]
    public void A_whole_run_balances_every_bus()
    {
        var (program, witness) = Run();
        var families = witness.Steps.Select(s => s.Record.Instruction.Spec.Family).ToHashSet();
        Assert.Subset(families, new HashSet<InstructionFamily> { InstructionFamily.Alu, InstructionFamily.Compare,
            InstructionFamily.Shift, InstructionFamily.Fence });
        var circuit = new MachineCircuit(program);
        CheckMachine(circuit, witness, circuit.Traces(witness));
    }

    [Theory]
    [InlineData("alu.S")]
    [InlineData("shifts.S")]
    public void A_directed_program_balances_every_bus(string file)
    {
        var (program, witness) = MachineRuns.Directed(file);
        new MachineCircuit(program).Check(witness);
    }

    [Fact]
    public void The_sort_sample_balances_every_bus()
    {
        var (program, witness) = MachineRuns.Sample("sort");
        new MachineCircuit(program).Check(witness);
    }

    [Fact]
    public void A_whole_run_proves_and_verifies_and_a_forged_xor_byte_is_rejected()
    {
        var (program, witness) = Run();
        var circuit = new MachineCircuit(program);
        var claim = MachineCircuit.ClaimOf(witness);
        var parameters = SecurityPresets.Parameters(SecurityPreset.Proven100);
        var traces = circuit.Traces(witness);
        MachineVerifier.Verify(program, claim, StarkProver.Prove(traces, parameters, circuit.PublicBus(claim)));

        // The same run with one XOR result byte (and its limb) raised: the byte table holds no such row.
        int t = Array.FindIndex(traces, x => x.Air.Name == "bitwise");
        var steps = witness.Steps.Where(s => BitwiseChip.Opcodes.Contains(s.Record.Instruction.Op)).ToArray();
        int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == Opcode.Xor);
        traces[t].Main[row, BitwiseChip.Columns.ResBytes + 1] += BabyBear.One;
        // Every constraint holds (rd's limb is composed from the bytes); only the XOR lookup, which no byte-table row answers, can refuse it.
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, traces, claim);
    }

    /// <summary>Replaces cells of the first row of <paramref name="op"/> in its table and checks the machine.</summary>
    static bool ForgedRejected(Opcode op, Action<RowMajorMatrix, int> forge)
    {
        var (program, witness) = Run();
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        int t = Array.FindIndex(traces, x => x.Air is IInstructionChip c && c.Opcodes.Contains(op));
        var chip = (IInstructionChip)traces[t].Air;
        var steps = witness.Steps.Where(s => chip.Opcodes.Contains(s.Record.Instruction.Op)).ToArray();
        int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == op);
        var main = traces[t].Main.Clone();
        forge(main, row);
        traces[t] = new TableTrace(traces[t].Air, main, traces[t].PublicValues);
        return Rejected(circuit, witness, traces);
    }

    [Fact]
    public void An_add_with_a_dropped_carry_fails_the_whole_machine()
    {
        // 0x9234abcd + 0x6a5b5c2d: the low limbs carry. Drop it and recompute both limbs so every
        // constraint holds: lo = 0x107fa is not a u16, and rd gets the wrong high limb.
        Assert.True(ForgedRejected(Opcode.Add, (m, row) =>
        {
            Assert.Equal(BabyBear.One, m[row, AluChip.Columns.Carry0]);
            m[row, AluChip.Columns.Carry0] = BabyBear.Zero;
            m[row, AluChip.Columns.ResLo] = BabyBear.FromCanonical(0xabcd + 0x5c2d);
            m[row, AluChip.Columns.ResHi] = BabyBear.FromCanonical((0x9234 + 0x6a5b) & 0xFFFF);
        }));
    }

    [Fact]
    public void A_wrong_xor_byte_fails_the_whole_machine()
    {
        Assert.True(ForgedRejected(Opcode.Xor, (m, row) => m[row, BitwiseChip.Columns.ResBytes + 1] += BabyBear.One));
    }

    [Fact]
    public void An_slt_with_a_flipped_sign_fails_the_whole_machine()
    {
        // slt(0x9234abcd, 0x6a5b5c2d) = 1; as if a were non-negative it would be 0.
        Assert.True(ForgedRejected(Opcode.Slt, (m, row) =>
        {
            m[row, CompareChip.Columns.SignA] = BabyBear.Zero;
            m[row, CompareChip.Columns.SignXor] = BabyBear.Zero;
            m[row, CompareChip.Columns.Result] = BabyBear.Zero;
        }));
    }

    [Fact]
    public void An_unmasked_shift_by_33_fails_the_whole_machine()
    {
        // sll/srl by rs2 = 33 shift by 1; a result of 0 (as if unmasked) is refused, also with the
        // byte shift cleared (the only way every selected byte vanishes).
        Assert.True(ForgedRejected(Opcode.Sll, (m, row) =>
        {
            m[row, ShiftChip.Columns.ResLo] = BabyBear.Zero;
            m[row, ShiftChip.Columns.ResHi] = BabyBear.Zero;
        }));
        Assert.True(ForgedRejected(Opcode.Srl, (m, row) =>
        {
            m[row, ShiftChip.Columns.ResLo] = BabyBear.Zero;
            m[row, ShiftChip.Columns.ResHi] = BabyBear.Zero;
            for (int q = 0; q < 4; q++) m[row, ShiftChip.Columns.ByteShift + q] = BabyBear.Zero;
        }));
    }

    [Fact]
    public void A_shift_by_33_claimed_as_a_shift_by_0_fails_the_whole_machine()
    {
        // A consistent row for sll by 0 of a = 0x9234abcd, except that rs2 = 33 = 0 + 32·(33/32):
        // BRest is not an integer, so its u16 lookup is refused.
        Assert.True(ForgedRejected(Opcode.Sll, (m, row) =>
        {
            uint a = 0x9234abcd;
            m[row, ShiftChip.Columns.Bits] = BabyBear.Zero;
            m[row, ShiftChip.Columns.BRest] = BabyBear.FromCanonical(33) * BabyBear.FromCanonical(32).Inverse();
            m[row, ShiftChip.Columns.PowLeft01] = BabyBear.One;
            m[row, ShiftChip.Columns.Pow] = BabyBear.One;
            for (int k = 0; k < 4; k++)
            {
                m[row, ShiftChip.Columns.Low + k] = BabyBear.FromCanonical((a >> (8 * k)) & 0xFF);
                m[row, ShiftChip.Columns.High + k] = BabyBear.Zero;
            }
            m[row, ShiftChip.Columns.Top] = BabyBear.Zero;
            m[row, ShiftChip.Columns.ResLo] = BabyBear.FromCanonical(a & 0xFFFF);
            m[row, ShiftChip.Columns.ResHi] = BabyBear.FromCanonical(a >> 16);
        }));
    }

    [Fact]
    public void The_shift_by_0_forgery_is_consistent_but_for_the_amount_lookup()
    {
        // The forgery above satisfies every constraint of the shift table: only the lookup refuses it.
        var (program, witness) = Run();
        var table = new MachineCircuit(program).Traces(witness).Single(x => x.Air.Name == "shift");
        var steps = witness.Steps.Where(s => s.Record.Instruction.Spec.Family == InstructionFamily.Shift).ToArray();
        int row = Array.FindIndex(steps, s => s.Record.Instruction.Op == Opcode.Sll);
        uint a = 0x9234abcd;
        var forged = ChipHarness.With(table, m =>
        {
            m[row, ShiftChip.Columns.Bits] = BabyBear.Zero;
            m[row, ShiftChip.Columns.BRest] = BabyBear.FromCanonical(33) * BabyBear.FromCanonical(32).Inverse();
            m[row, ShiftChip.Columns.PowLeft01] = BabyBear.One;
            m[row, ShiftChip.Columns.Pow] = BabyBear.One;
            for (int k = 0; k < 4; k++)
            {
                m[row, ShiftChip.Columns.Low + k] = BabyBear.FromCanonical((a >> (8 * k)) & 0xFF);
                m[row, ShiftChip.Columns.High + k] = BabyBear.Zero;
            }
            m[row, ShiftChip.Columns.Top] = BabyBear.Zero;
            m[row, ShiftChip.Columns.ResLo] = BabyBear.FromCanonical(a & 0xFFFF);
            m[row, ShiftChip.Columns.ResHi] = BabyBear.FromCanonical(a >> 16);
        });
        TraceChecker.CheckConstraints(forged);
        Assert.NotNull(ChipHarness.BadLookup(forged, row));
    }
}
