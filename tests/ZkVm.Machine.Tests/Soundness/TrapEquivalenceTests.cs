using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Soundness;

/// <summary>
/// Trap equivalence: for each trap of the emulator (memory map, WRITE's arguments, misaligned access,
/// EBREAK, illegal words, unknown syscalls), a tiny guest the emulator traps on, and the forger's best
/// witness for a run that goes on past the trap and halts. For the memory rules the
/// forger re-executes memorylessly (pass 2 checks no memory rule) with the read log it likes, builds the
/// witness against the real program, puts the real statement on the public bus and proves: the proof must
/// be rejected by the check that enforces the rule.
/// </summary>
public class TrapEquivalenceTests
{
    public sealed record Case(string Text, TrapCause Trap, uint[] ReadLog, string Rejection);

    const string Halt = """
            li a7, 0
            ecall
        """;

    const string Data = """
            .section .rodata
        constant: .word 5, 6
            .data
        message: .ascii "hey\n"
            .text
            .globl _start
        _start:
        """;

    static readonly Dictionary<string, Case> Cases = new()
    {
        // The review's repro: *(int *)0 = 1234, then the value read back as the exit code.
        ["null_store"] = new(Data + "li t0, 1234\nsw t0, 0(zero)\nlw a0, 0(zero)\n" + Halt, TrapCause.UnmappedAccess, [1234], StarkErrors.ConstraintsViolated),
        ["null_load"] = new(Data + "li t0, 0x100\nlw a0, 0(t0)\n" + Halt, TrapCause.UnmappedAccess, [0], StarkErrors.ConstraintsViolated),
        // The last access of x0 just before it: a forger with the load's space at 1 reads x0 (KnockoutTests).
        ["null_load_x0"] = new(Data + "li a7, 0\nlw a0, 0(zero)\necall\n", TrapCause.UnmappedAccess, [0], StarkErrors.ConstraintsViolated),
        ["code_as_data"] = new(Data + "la t0, _start\nlw a0, 0(t0)\n" + Halt, TrapCause.UnmappedAccess, [0], StarkErrors.ConstraintsViolated),
        // A store to read-only data: the store travels in the read-write space, the word lives in the read-only one.
        ["rodata_store"] = new(Data + "la t0, constant\nli t1, 9\nsw t1, 0(t0)\nlw a0, 0(t0)\n" + Halt, TrapCause.ReadOnlyWrite, [9], StarkErrors.BusUnbalanced),
        // READ into read-only data: the transfer row may not write a read-only word.
        ["rodata_store_inside"] = new(Data + "la t0, constant\naddi t0, t0, 4\nli t1, 9\nsw t1, 0(t0)\nlw a0, 0(t0)\n" + Halt, TrapCause.ReadOnlyWrite, [9], StarkErrors.BusUnbalanced),
        ["rodata_read"] = new(Data + "la a0, constant\nli a1, 4\nli a7, 1\necall\n" + Halt, TrapCause.ReadOnlyWrite, [4], StarkErrors.ConstraintsViolated),
        // The null-page word whose index is a0's register number: a forger with the transfer's space at 1 reads a0 (KnockoutTests).
        ["commit_register"] = new(Data + "li a0, 40\nli a1, 4\nli a7, 3\necall\nli a0, 0\n" + Halt, TrapCause.UnmappedAccess, [], StarkErrors.ConstraintsViolated),
        ["commit_unmapped"] = new(Data + "li a0, 0x200\nli a1, 4\nli a7, 3\necall\nli a0, 0\n" + Halt, TrapCause.UnmappedAccess, [], StarkErrors.ConstraintsViolated),
        ["write_bad_fd"] = new(Data + "li a0, 7\nla a1, message\nli a2, 4\nli a7, 2\necall\nli a0, 0\n" + Halt, TrapCause.BadSyscallArgument, [], StarkErrors.ConstraintsViolated),
        ["write_fd_65537"] = new(Data + "li a0, 0x10001\nla a1, message\nli a2, 4\nli a7, 2\necall\nli a0, 0\n" + Halt, TrapCause.BadSyscallArgument, [], StarkErrors.ConstraintsViolated),
        ["write_unmapped"] = new(Data + "li a0, 1\nli a1, 0x300\nli a2, 4\nli a7, 2\necall\nli a0, 0\n" + Halt, TrapCause.UnmappedAccess, [], StarkErrors.ConstraintsViolated),
        ["write_code"] = new(Data + "li a0, 2\nla a1, _start\nli a2, 8\nli a7, 2\necall\nli a0, 0\n" + Halt, TrapCause.UnmappedAccess, [], StarkErrors.ConstraintsViolated),
    };

    /// <summary>Guests whose skipped run the witness builder cannot lay out as it stands (a word above the map, an
    /// address of p or more): KnockoutTests edits the forged witness or its traces first.</summary>
    static readonly Dictionary<string, Case> Unfillable = new()
    {
        // A buffer at &w + p: its limbs sum to &w in the field (KnockoutTests).
        ["commit_wrapped"] = new(".data\n.balign 4\nw: .word 0x11\n.text\n.globl _start\n_start:\nla a0, w\nli t0, 0x78000001\nadd a0, a0, t0\nli a1, 1\nli a7, 3\necall\nli a0, 0\n" + Halt, TrapCause.UnmappedAccess, [], StarkErrors.BusUnbalanced),
        // A length of p + 1, which the witness builder would move byte by byte (KnockoutTests lays it out as 1).
        ["write_length_p"] = new(Data + "li a0, 1\nla a1, message\nli a2, 0x78000002\nli a7, 2\necall\nli a0, 0\n" + Halt, TrapCause.BadSyscallArgument, [], StarkErrors.BusUnbalanced),
        // Five bytes from the stack's top word: the fifth is above the map (KnockoutTests).
        ["write_past_stack"] = new(Data + "li a0, 1\nli a1, 0x1FFFFFFC\nli a2, 5\nli a7, 2\necall\nli a0, 0\n" + Halt, TrapCause.UnmappedAccess, [], StarkErrors.ConstraintsViolated),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    static byte[] Input => [1, 2, 3, 4];

    static MachineProgram Program(string name) =>
        new(HarvardProgram.Load(Guests.FromText($"trap_{name}.S", (Cases.GetValueOrDefault(name) ?? Unfillable[name]).Text, bare: true)));

    /// <summary>The guest of a case, which the emulator traps on, and the forger's witness of a run past the trap.</summary>
    internal static (MachineProgram Program, MachineWitness Witness) Forged(string name, Func<List<ExecutionRecord>, List<ExecutionRecord>>? edit = null)
    {
        var c = Cases.GetValueOrDefault(name) ?? Unfillable[name];
        var program = Program(name);
        var (records, result) = ReExecutor.RunWithRecords(program.Program, Input);
        Assert.Equal(c.Trap, result.Trap?.Cause);
        return (program, SkipTrap(program, (ulong)records.Count, c.ReadLog, edit));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_emulator_traps_and_a_proof_that_skips_the_trap_is_rejected(string name)
    {
        var c = Cases[name];
        var (program, witness) = Forged(name);
        var circuit = new MachineCircuit(program);
        Verdict.ProofRejected(c.Rejection, circuit, circuit.Traces(witness), MachineCircuit.ClaimOf(witness));
    }

    [Fact]
    public void A_word_above_the_stack_top_has_no_boundary_row_the_byte_table_can_range_check()
    {
        const string text = Data + "li t0, 0x20000000\nlw a0, 0(t0)\n" + Halt;
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText("trap_above_stack.S", text, bare: true)));
        var (records, result) = ReExecutor.RunWithRecords(program.Program, Input);
        Assert.Equal(TrapCause.UnmappedAccess, result.Trap?.Cause);
        var witness = SkipTrap(program, (ulong)records.Count, [0]);
        // The boundary's index limbs (index < 2^27) ask for a u16 the byte table does not hold.
        var e = Assert.Throws<ZkVmException>(() => new MachineCircuit(program).Traces(witness));
        Assert.Equal(MachineErrors.WitnessMismatch, e.Code);
        Assert.Contains("'boundary'", e.Message);
    }

    static string Guest(string body, string trapping) => Data + body + "\n" + trapping + "\nli a0, 0\n" + Halt;

    /// <summary>
    /// Instructions that trap and that no chip row stands for (EBREAK, words that are no RV32IM instruction,
    /// an unknown syscall): the forger runs the same program with a FENCE in their place and claims that run.
    /// The FENCE row fetches a tuple the ROM does not hold at that pc, so the program bus refuses it.
    /// </summary>
    [Theory]
    [InlineData("ebreak", "", "ebreak", TrapCause.Breakpoint)]
    [InlineData("illegal_word", "", ".word 0xffffffff", TrapCause.IllegalInstruction)]
    [InlineData("csr_read", "", ".word 0xc0001073", TrapCause.IllegalInstruction)]
    [InlineData("unknown_syscall", "li a7, 99", "ecall", TrapCause.UnknownSyscall)]
    public void An_instruction_that_traps_cannot_be_claimed_as_a_fence(string name, string body, string trapping, TrapCause trap)
    {
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText($"trap_{name}.S", Guest(body, trapping), bare: true)));
        Assert.Equal(trap, ReExecutor.RunWithRecords(program.Program, Input).Result.Trap?.Cause);
        var fence = HarvardProgram.Load(Guests.FromText($"trap_{name}_as_fence.S", Guest(body, "fence"), bare: true));
        var (records, result) = ReExecutor.RunWithRecords(fence, Input);
        Assert.Null(result.Trap);
        Assert.Equal(program.Words.Length, fence.Words.Length);

        var witness = MemoryTimeline.Build(program, records, Input);
        var circuit = new MachineCircuit(program);
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, circuit.Traces(witness), MachineCircuit.ClaimOf(witness));
    }

    [Theory]
    [InlineData("lw a1, 0(t0)", 2)]
    [InlineData("lh a1, 0(t0)", 1)]
    [InlineData("lhu a1, 0(t0)", 3)]
    [InlineData("sw a1, 0(t0)", 2)]
    [InlineData("sh a1, 0(t0)", 1)]
    public void A_misaligned_access_claimed_done_fails_the_alignment_constraint(string access, int offset)
    {
        var (program, witness) = Misaligned(access, offset);
        Assert.Equal(TrapCause.MisalignedAccess, ReExecutor.RunWithRecords(program.Program, Input).Result.Trap?.Cause);
        var circuit = new MachineCircuit(program);
        Verdict.ProofRejected(StarkErrors.ConstraintsViolated, circuit, circuit.Traces(witness), MachineCircuit.ClaimOf(witness));
    }

    /// <summary>
    /// An access <paramref name="offset"/> bytes into a data word, which the emulator traps on, claimed done. The
    /// forger runs the aligned variant and moves the address by the offset, so the ROM, the registers and memory all
    /// agree with the claim. The words are chosen so that the load and store chips, whose byte selection assumes an
    /// aligned offset, read and write there what the forger's memory does: a load reads 0x2211 (its bytes above the
    /// offset's are 0), a store writes 0 (a1) over 0.
    /// </summary>
    internal static (MachineProgram Program, MachineWitness Witness) Misaligned(string access, int offset)
    {
        const string Words = ".data\nhalf: .byte 0x11, 0x22, 0, 0\nzero: .word 0\n.text\n";
        string op = access.Split(' ')[0];
        string label = op.StartsWith('l') ? "half" : "zero";
        string Text(int by) => Guest($"{Words}la t0, {label}\naddi t0, t0, {by}", access);
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText($"trap_misaligned_{op}_{offset}.S", Text(offset), bare: true)));
        var aligned = HarvardProgram.Load(Guests.FromText($"trap_misaligned_{op}_{offset}_aligned.S", Text(0), bare: true));
        var (records, result) = ReExecutor.RunWithRecords(aligned, Input);
        Assert.Null(result.Trap);

        int at = records.FindIndex(r => r.Instruction.Spec.Family is Riscv.Isa.InstructionFamily.Load or Riscv.Isa.InstructionFamily.Store);
        var a = records[at - 1]; // addi t0, t0, 0 (la's own addi comes before it)
        Assert.Equal(Riscv.Isa.Opcode.Addi, a.Instruction.Op);
        records[at - 1] = a with { Instruction = program.Rom[program.IndexOf(a.Pc)], RdValue = a.RdValue + (uint)offset };
        var m = records[at];
        records[at] = m with { Rs1Value = m.Rs1Value + (uint)offset, MemAddress = m.MemAddress + (uint)offset };
        if (m.Instruction.Spec.Family == Riscv.Isa.InstructionFamily.Load)
        {
            int size = Alu.AccessSize(m.Instruction.Op);
            uint raw = size == 4 ? 0x2211u : 0x2211u >> 8 * offset & 0xFFFF;
            records[at] = records[at] with { MemValue = 0x2211u >> 8 * offset & (size == 4 ? uint.MaxValue : 0xFFFF), RdValue = Alu.Extend(m.Instruction.Op, raw) };
        }
        return (program, MemoryTimeline.Build(program, records, Input));
    }

    /// <summary>
    /// The run the emulator refused, as a forger builds it: memoryless re-execution from the start (it
    /// checks no memory rule and no WRITE argument) with chosen load values, up to the first HALT; the forger
    /// may <paramref name="edit"/> the records before the memory replay (say, where an access lands).
    /// </summary>
    internal static MachineWitness SkipTrap(MachineProgram program, ulong trapCycle, uint[] readLog, Func<List<ExecutionRecord>, List<ExecutionRecord>>? edit = null)
    {
        var registers = new uint[32];
        registers[2] = GuestMemoryMap.StackTop;
        var start = new Checkpoint(0, program.Entry, registers, 0);
        for (ulong cycles = trapCycle + 1; cycles < trapCycle + 16; cycles++)
        {
            List<ExecutionRecord> records;
            try
            {
                records = ReExecutor.ReExecute(program.Program, start, readLog, cycles);
            }
            catch (ZkVmException)
            {
                continue;
            }
            if (records[^1].Instruction.Op == Riscv.Isa.Opcode.Ecall && records[^1].Rs1Value == Syscalls.Halt)
                return MemoryTimeline.Build(program, edit is null ? records : edit(records), Input);
        }
        throw new InvalidOperationException("the forged run does not halt");
    }
}
