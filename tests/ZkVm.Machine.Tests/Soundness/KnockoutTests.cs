using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Soundness;

/// <summary>
/// Constraint knockout: a check is shown necessary by a forged witness that is rejected with the code of
/// the check, and that verifies when the check is dropped from the prover and the verifier alike
/// (<see cref="KnockoutAir"/>). Covers the memory-map and WRITE checks, and the range checks the review
/// found untested (finding 8): timestamps of memory accesses and the boundary's key order.
/// </summary>
public class KnockoutTests
{
    static readonly SecurityParameters Proven100 = SecurityPresets.Parameters(SecurityPreset.Proven100);

    static int ConstraintIndex(TableTrace table, string name)
    {
        var (constraints, _) = KnockoutAir.List(table);
        int index = constraints.IndexOf(name);
        Assert.True(index >= 0, $"table '{table.Air.Name}' has no constraint '{name}'; it has: {string.Join(" | ", constraints)}");
        Assert.Equal(index, constraints.LastIndexOf(name));
        return index;
    }

    /// <summary>
    /// The forged traces (the byte table last, answering what it can) are rejected with <paramref name="code"/>;
    /// with the check knocked out of <paramref name="table"/>, the same forgery, its lookups recounted, verifies.
    /// </summary>
    static void AssertNeeded(MachineCircuit circuit, TableTrace[] forged, MachineClaim claim, string table, Func<IAir, IAir> knockOut, string code)
    {
        Verdict.ProofRejected(code, circuit, forged, claim);
        var bus = circuit.PublicBus(claim);

        TableTrace[] users = [.. forged[..^1].Select(t => t.Air.Name == table ? new TableTrace(knockOut(t.Air), t.Main, t.PublicValues) : t)];
        TableTrace[] knocked = [.. users, circuit.BytesTrace(users)];
        var accepted = StarkProver.Prove(knocked, Proven100, bus);
        StarkVerifier.Verify(StarkStatement.For(knocked, bus), accepted);
    }

    static (MachineCircuit Circuit, TableTrace[] Traces, MachineClaim Claim) ForgedRun(string trap)
    {
        var (program, witness) = TrapEquivalenceTests.Forged(trap);
        var circuit = new MachineCircuit(program);
        return (circuit, circuit.Traces(witness), MachineCircuit.ClaimOf(witness));
    }

    static TableTrace Table(TableTrace[] traces, string name) => traces.Single(t => t.Air.Name == name);

    /// <summary>A guest that commits one byte, in lane <paramref name="lane"/> of its data word, and halts.</summary>
    static (MachineProgram Program, MachineWitness Witness) CommitRun(int lane) => MachineRuns.Run(Guests.FromText($"commit_lane{lane}.S", $"""
            .text
            .globl _start
        _start:
            la a0, bytes
            addi a0, a0, {lane}
            li a1, 1
            li a7, 3
            ecall
            li a0, 0
            li a7, 0
            ecall
            .data
            .balign 4
        bytes: .word 0x44332211
        """, bare: true));

    /// <summary>
    /// The one-byte COMMIT with its transfer row dropped, as a forger builds it: the row becomes padding, the
    /// boundary closes the buffer word where the row had taken it, and the journal is claimed empty. Either the
    /// syscall row still hands the transfer its token (<paramref name="moves"/>), or it claims nothing moves.
    /// </summary>
    static (MachineCircuit Circuit, TableTrace[] Traces, MachineClaim Claim) CommitWithoutTransfer(bool moves)
    {
        var (program, witness) = CommitRun(0);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var (transfer, boundary, syscall) = (Table(traces, "transfer"), Table(traces, "boundary"), Table(traces, "syscall"));
        var evaluator = new RowEvaluator(transfer);
        evaluator.EvaluateRow(1);
        Assert.All(evaluator.Entries, e => Assert.True(e.Multiplicity.IsZero)); // one row moves the byte
        evaluator.EvaluateRow(0);
        var accesses = evaluator.Entries.Where(e => e.Bus.Id == MachineBuses.Memory.Id && !e.Multiplicity.IsZero)
            .Select(e => e.Values.Select(v => v.Value.C0).ToArray()).OrderBy(v => v[4].ToCanonical()).ToList();
        Assert.Equal(2, accesses.Count);
        var (index, opened, taken) = (accesses[0][1], accesses[0][4], accesses[1][4]);
        int word = Enumerable.Range(0, boundary.Height).Single(r => boundary.Main[r, Columns.Index(boundary.Air, "IsMemory")] == BabyBear.One
            && boundary.Main[r, Columns.Index(boundary.Air, "Index")] == index);
        Assert.Equal(taken, boundary.Main[word, Columns.Index(boundary.Air, "FinalTs")]);
        boundary.Main[word, Columns.Index(boundary.Air, "FinalTs")] = opened;
        for (int c = 0; c < transfer.Air.MainWidth; c++) transfer.Main[0, c] = BabyBear.Zero;
        if (!moves)
        {
            int row = CommitRow(syscall);
            syscall.Main[row, Columns.Index(syscall.Air, "Moves")] = BabyBear.Zero;
            syscall.Main[row, Columns.Index(syscall.Air, "MovesInv")] = BabyBear.Zero;
        }
        return (circuit, traces, MachineCircuit.ClaimOf(witness) with { Journal = [] });
    }

    static int CommitRow(TableTrace syscall) => Enumerable.Range(0, syscall.Height)
        .Single(r => syscall.Main[r, Columns.Index(syscall.Air, "IsCommit")] == BabyBear.One);

    [Fact]
    public void A_commit_whose_bytes_never_move_is_caught_by_the_syscall_transfer_send_alone()
    {
        var (circuit, traces, claim) = CommitWithoutTransfer(moves: true);
        var syscall = Table(traces, "syscall");
        int index = KnockoutAir.InteractionIndex(syscall, CommitRow(syscall), e => e.Bus.Id == MachineBuses.Transfer.Id && !e.Multiplicity.IsZero);
        AssertNeeded(circuit, traces, claim, "syscall", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }

    [Fact]
    public void A_commit_claiming_nothing_moves_is_caught_by_the_moves_rule_alone()
    {
        var (circuit, traces, claim) = CommitWithoutTransfer(moves: false);
        int index = ConstraintIndex(Table(traces, "syscall"), "count * (one - local.Moves)");
        AssertNeeded(circuit, traces, claim, "syscall", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    /// <summary>The boundary row that opens the read-only region: the one fence mapped and not writable.</summary>
    static int ReadOnlyFence(TableTrace boundary)
    {
        int Col(string name) => Columns.Index(boundary.Air, name);
        return Enumerable.Range(0, boundary.Height).Single(r =>
            boundary.Main[r, Col("Fence")] == BabyBear.One && boundary.Main[r, Col("Mapped")] == BabyBear.One && boundary.Main[r, Col("Writable")].IsZero);
    }

    [Theory]
    [InlineData("null_load", "boundary", "(local.IsMemory - local.Mapped) * local.FinalTs")]
    [InlineData("code_as_data", "boundary", "(local.IsMemory - local.Mapped) * local.FinalTs")]
    [InlineData("commit_unmapped", "boundary", "(local.IsMemory - local.Mapped) * local.FinalTs")]
    [InlineData("rodata_read", "transfer", "local.ReadOnly * (one - local.IsCommit - local.IsWrite)")]
    [InlineData("write_fd_65537", "syscall", "local.IsWrite * local.A0Hi")]
    [InlineData("write_bad_fd", "syscall", "local.IsWrite * (local.A0Lo - one) * (local.A0Lo - TE.Constant(BabyBear.FromCanonical(2)))")]
    public void A_trap_skipped_in_the_witness_is_caught_by_its_constraint_alone(string trap, string table, string constraint)
    {
        var (circuit, traces, claim) = ForgedRun(trap);
        int index = ConstraintIndex(Table(traces, table), constraint);
        AssertNeeded(circuit, traces, claim, table, air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Theory]
    [InlineData("lw a1, 0(t0)", 2, "load", "local.IsLw * (local.Offset[1] + local.Offset[2] + local.Offset[3])")]
    [InlineData("lh a1, 0(t0)", 1, "load", "(local.IsLh + local.IsLhu) * (local.Offset[1] + local.Offset[3])")]
    [InlineData("sw a1, 0(t0)", 2, "store", "local.IsSw * (local.Offset[1] + local.Offset[2] + local.Offset[3])")]
    [InlineData("sh a1, 0(t0)", 1, "store", "local.IsSh * (local.Offset[1] + local.Offset[3])")]
    public void A_misaligned_access_claimed_done_is_caught_by_its_alignment_check_alone(string access, int offset, string table, string constraint)
    {
        var (program, witness) = TrapEquivalenceTests.Misaligned(access, offset);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        int index = ConstraintIndex(Table(traces, table), constraint);
        AssertNeeded(circuit, traces, MachineCircuit.ClaimOf(witness), table, air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void Initialized_data_opened_as_zeros_is_caught_by_the_image_send_alone()
    {
        // The guest exits with its data word, 42. The forger runs the same code over zeroed data (it exits 0), which
        // leaves that word out of the image, and opens the image's one other cell, sp (never accessed), as 0 outside
        // it: no boundary row takes a word from the image table.
        string Source(int answer) => $"""
                .data
            answer: .word {answer}
                .text
                .globl _start
            _start:
                la t0, answer
                lw a0, 0(t0)
                li a7, 0
                ecall
            """;
        var (program, honest) = MachineRuns.Run(Guests.FromText("image_answer.S", Source(42), bare: true));
        Assert.Equal(42u, MachineCircuit.ClaimOf(honest).ExitCode);
        var (zeroed, witness) = MachineRuns.Run(Guests.FromText("image_answer_zeroed.S", Source(0), bare: true));
        Assert.Equal(program.Rom, zeroed.Rom);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var boundary = Table(traces, "boundary");
        int Col(string name) => Columns.Index(boundary.Air, name);
        var opened = new List<int>();
        for (int row = 0; row < boundary.Height; row++)
            if (!boundary.Main[row, Col("InImage")].IsZero)
            {
                Assert.True(boundary.Main[row, Col("FinalTs")].IsZero);
                foreach (var name in new[] { "InImage", "InitLo", "InitHi", "FinalLo", "FinalHi" }) boundary.Main[row, Col(name)] = BabyBear.Zero;
                opened.Add(row);
            }
        Assert.Single(opened);
        var claim = MachineCircuit.ClaimOf(witness);
        Assert.Equal(0u, claim.ExitCode);
        AssertNeeded(circuit, traces, claim, "image", air => new KnockoutAir(air, interaction: 0), StarkErrors.BusUnbalanced);
    }

    [Fact]
    public void A_halt_at_an_instruction_that_is_not_ecall_is_caught_by_the_syscall_fetch_alone()
    {
        // The guest sets its exit code, 7, then halts. The forger runs the same code with an ECALL where
        // `li a0, 7` stands (it halts with a0 = 0 one cycle early) and proves that run against the real ROM,
        // counting that word as never executed: only the syscall row's fetch sees an ECALL where there is none.
        string Source(string exit) => $$"""
                .text
                .globl _start
            _start:
                li a7, 0
                {{exit}}
                ecall
            """;
        var (program, honest) = MachineRuns.Run(Guests.FromText("halt_seven.S", Source("li a0, 7"), bare: true));
        Assert.Equal(7u, MachineCircuit.ClaimOf(honest).ExitCode);
        var (early, witness) = MachineRuns.Run(Guests.FromText("halt_early.S", Source("ecall"), bare: true));
        Assert.Equal(program.Rom.Length, early.Rom.Length);
        Assert.Single(program.Rom.Where((ins, i) => ins != early.Rom[i]));
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var rom = Table(traces, "program");
        var syscall = Table(traces, "syscall");
        var halt = MachineCircuit.ClaimOf(witness);
        Assert.Equal(0u, halt.ExitCode);
        uint pc = syscall.Main[0, Columns.Index(syscall.Air, "Pc")].ToCanonical();
        rom.Main[(int)((pc - program.CodeBase) / 4), 0] = BabyBear.Zero; // the forger's count: the real `li a0, 7` never ran
        int index = KnockoutAir.InteractionIndex(syscall, 0, e => e.Bus.Id == MachineBuses.Program.Id);
        AssertNeeded(circuit, traces, halt, "syscall", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }

    [Fact]
    public void An_unmapped_word_claimed_mapped_is_caught_by_the_inherited_access_alone()
    {
        // The forger marks the null-page word it loads as mapped (read-only, so the load's space matches):
        // the fence before it says the region is unmapped.
        var (circuit, traces, claim) = ForgedRun("null_load");
        var boundary = Table(traces, "boundary");
        int row = Enumerable.Range(0, boundary.Height).Single(r =>
            boundary.Main[r, Columns.Index(boundary.Air, "IsMemory")] == BabyBear.One && boundary.Main[r, Columns.Index(boundary.Air, "Index")] == BabyBear.FromCanonical(0x100 >> 2));
        Assert.True(boundary.Main[row, Columns.Index(boundary.Air, "Fence")].IsZero);
        boundary.Main[row, Columns.Index(boundary.Air, "Mapped")] = BabyBear.One;
        int index = ConstraintIndex(boundary, "local.NextInherits * (next.Mapped - local.Mapped)");
        AssertNeeded(circuit, traces, claim, "boundary", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void A_read_only_word_claimed_writable_is_caught_by_the_inherited_access_alone()
    {
        // The store to the second word of read-only data, with the forger opening that word (no fence) as
        // writable and the load reading it back from the read-write space: only the inheritance refuses it.
        var (circuit, traces, claim) = ForgedRun("rodata_store_inside");
        var boundary = Table(traces, "boundary");
        var load = Table(traces, "load");
        int fence = ReadOnlyFence(boundary);
        int row = fence + 1;
        Assert.Equal(boundary.Main[fence, Columns.Index(boundary.Air, "Index")] + BabyBear.One, boundary.Main[row, Columns.Index(boundary.Air, "Index")]);
        boundary.Main[row, Columns.Index(boundary.Air, "Writable")] = BabyBear.One;
        load.Main[0, Columns.Index(load.Air, "ReadOnly")] = BabyBear.Zero;
        int index = ConstraintIndex(boundary, "local.NextInherits * (next.Writable - local.Writable)");
        AssertNeeded(circuit, traces, claim, "boundary", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void A_read_only_region_claimed_writable_is_caught_by_the_memory_map_bus()
    {
        // The store to read-only data, with the forger opening the region's first word (a fence) as writable:
        // then the store's read-write space matches, and only the verifier's map term disagrees. (Without the
        // fences' receive the verifier's map terms go unanswered in every proof, so no knockout is shown.)
        var (circuit, traces, claim) = ForgedRun("rodata_store");
        var boundary = Table(traces, "boundary");
        var load = Table(traces, "load");
        int row = ReadOnlyFence(boundary);
        // The whole region: the fence and the rows that inherit from it (the region's other image words).
        for (int r = row; r == row || boundary.Main[r - 1, Columns.Index(boundary.Air, "NextInherits")] == BabyBear.One; r++)
            boundary.Main[r, Columns.Index(boundary.Air, "Writable")] = BabyBear.One;
        load.Main[0, Columns.Index(load.Air, "ReadOnly")] = BabyBear.Zero; // the load reads the word back from the read-write space
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, traces, claim);
    }

    [Fact]
    public void A_timestamp_that_goes_backwards_is_caught_by_the_gap_range_check_alone()
    {
        var (program, witness, _) = MachineAttackTests.Honest.Value;
        var circuit = new MachineCircuit(program);
        var traces = MachineAttackTests.BackwardsTimestamp(circuit, witness, out int row);
        var alu = Table(traces, "alu");
        int index = KnockoutAir.InteractionIndex(alu, row, e => e.Bus.Id == MachineBuses.Bytes.Id
            && e.Values[0].Value == (BabyBearExt4)BabyBear.FromCanonical(ByteOp.BytePair) && e.Values[1].Value == (BabyBearExt4)BabyBear.FromCanonical((BabyBear.P - 2) >> 16));
        AssertNeeded(circuit, traces, MachineCircuit.ClaimOf(witness), "alu", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_committed_byte_left_out_of_the_journal_is_caught_by_its_lane_send_alone(int lane)
    {
        // The guest commits one byte, in lane `lane` of its word; the forger claims an empty journal.
        var (program, witness) = CommitRun(lane);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var transfer = Table(traces, "transfer");
        int index = KnockoutAir.InteractionIndex(transfer, 0, e => e.Bus.Id == MachineBuses.Journal.Id && !e.Multiplicity.IsZero);
        Assert.Equal(lane, KnockoutAir.List(transfer).Interactions.Take(index).Count(b => b == MachineBuses.Journal.Name));
        var claim = MachineCircuit.ClaimOf(witness) with { Journal = [] };
        AssertNeeded(circuit, traces, claim, "transfer", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }
}
