using ZkVm.Field;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Precompiles;
using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Trace;
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
    /// <param name="recounted">The byte table with the check dropped, where the forger's own recount is not what
    /// the circuit would count (a lookup it answers with a negative multiplicity elsewhere).</param>
    static void AssertNeeded(MachineCircuit circuit, TableTrace[] forged, MachineClaim claim, string table, Func<IAir, IAir> knockOut, string code, TableTrace? recounted = null)
    {
        Verdict.ProofRejected(code, circuit, forged, claim);
        var bus = circuit.PublicBus(claim);

        TableTrace[] users = [.. forged[..^1].Select(t => t.Air.Name == table ? new TableTrace(knockOut(t.Air), t.Main, t.PublicValues) : t)];
        TableTrace[] knocked = [.. users, recounted ?? circuit.BytesTrace(users)];
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
        var closing = new Closing(traces);
        Assert.Equal(taken, closing.LastTs(word));
        closing.SetLastTs(word, opened);
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
    [InlineData("null_load", "boundary", "(local.IsMemory - local.Mapped) * local.FinalTag")]
    [InlineData("code_as_data", "boundary", "(local.IsMemory - local.Mapped) * local.FinalTag")]
    [InlineData("commit_unmapped", "boundary", "(local.IsMemory - local.Mapped) * local.FinalTag")]
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
                Assert.Equal(-1, new Closing(traces).PageRow(row));
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
        ClaimWritable(traces, row);
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
            ClaimWritable(traces, r);
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

    static void Set(TableTrace table, int row, string column, BabyBear value) => table.Main[row, Columns.Index(table.Air, column)] = value;

    static BabyBear Cell(TableTrace table, int row, string column) => table.Main[row, Columns.Index(table.Air, column)];

    static int RowWhere(TableTrace table, params (string Column, uint Value)[] cells) => Enumerable.Range(0, table.Height)
        .Single(r => cells.All(c => Cell(table, r, c.Column) == BabyBear.FromCanonical(c.Value)));

    static BabyBear Neg(uint value) => BabyBear.Zero - BabyBear.FromCanonical(value);

    static (MachineCircuit Circuit, TableTrace[] Traces, MachineClaim Claim) Traced(string name, string body, byte[]? input = null)
    {
        var (program, witness) = MachineRuns.Run(Guests.FromText(name, ".text\n.globl _start\n_start:\n" + body, bare: true), input);
        var circuit = new MachineCircuit(program);
        return (circuit, circuit.Traces(witness), MachineCircuit.ClaimOf(witness));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_journal_byte_sent_by_a_padding_row_is_caught_by_its_sent_rule_alone(int lane)
    {
        // The guest commits [0x11]; a padding transfer row sends 0x77 as journal byte 1 from its lane, and the
        // forger claims [0x11, 0x77]. Only Sent[lane] − IsCommit·moved refuses a send from a row that moves nothing.
        var (program, witness) = CommitRun(0);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var transfer = Table(traces, "transfer");
        const int row = 1;
        Assert.True(Cell(transfer, row, "IsCommit").IsZero && Cell(transfer, row, "IsRead").IsZero && Cell(transfer, row, "IsWrite").IsZero);
        Set(transfer, row, $"sent[{lane}]", BabyBear.One);
        Set(transfer, row, "Position", BabyBear.One - BabyBear.FromCanonical((uint)lane));
        Set(transfer, row, $"old[{lane}]", BabyBear.FromCanonical(0x77));
        Set(transfer, row, $"new[{lane}]", BabyBear.FromCanonical(0x77));
        var claim = MachineCircuit.ClaimOf(witness) with { Journal = [0x11, 0x77] };
        int index = ConstraintIndex(transfer, $"local.Sent[{lane}] - local.IsCommit * moved{lane}");
        AssertNeeded(circuit, traces, claim, "transfer", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    const string CyclesThenHalt = "li a7, 4\necall\nli a7, 0\necall\n";

    /// <summary>The CYCLES rule on a0's low limb: the shard's first cycle plus the cycles into the shard.</summary>
    const string CyclesRule = "local.IsCycles * (TE.From(4) * local.OutLo + TE.From(1 << 18) * local.CycleCarry - TE.From(4) * b.Public(0) - local.Ts + TE.From(4))";

    [Fact]
    public void A_cycle_count_the_guest_never_had_is_caught_by_the_cycles_rule_alone()
    {
        // CYCLES returns 1 in a0 and the guest exits with it; the forger returns 42 and the claim is exit 42.
        var (circuit, traces, claim) = Traced("cycles_exit.S", CyclesThenHalt);
        Assert.Equal(1u, claim.ExitCode);
        var (syscall, boundary) = (Table(traces, "syscall"), Table(traces, "boundary"));
        var forty2 = BabyBear.FromCanonical(42);
        Set(syscall, RowWhere(syscall, ("IsCycles", 1)), "OutLo", forty2);
        Set(syscall, RowWhere(syscall, ("IsHalt", 1)), "A0Lo", forty2);
        new Closing(traces).SetFinal(RowWhere(boundary, ("IsRegister", 1), ("Index", 10)), forty2, BabyBear.Zero);
        int index = ConstraintIndex(syscall, CyclesRule);
        AssertNeeded(circuit, traces, claim with { ExitCode = 42 }, "syscall", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void A_cycle_count_with_another_high_limb_is_caught_by_the_high_limb_rule_alone()
    {
        // CYCLES returns 1 in a0; the forger returns 1 + 2^16 (the low limb and the carry as they were) and the claim is exit 0x10001.
        var (circuit, traces, claim) = Traced("cycles_exit_hi.S", CyclesThenHalt);
        Assert.Equal(1u, claim.ExitCode);
        var (syscall, boundary) = (Table(traces, "syscall"), Table(traces, "boundary"));
        Set(syscall, RowWhere(syscall, ("IsCycles", 1)), "OutHi", BabyBear.One);
        Set(syscall, RowWhere(syscall, ("IsHalt", 1)), "A0Hi", BabyBear.One);
        new Closing(traces).SetFinal(RowWhere(boundary, ("IsRegister", 1), ("Index", 10)), BabyBear.One, BabyBear.One);
        int index = ConstraintIndex(syscall, "local.IsCycles * (local.OutHi - b.Public(1) - local.CycleCarry)");
        AssertNeeded(circuit, traces, claim with { ExitCode = 0x10001 }, "syscall", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void A_page_row_of_real_two_beside_one_of_real_minus_one_is_caught_by_its_booleanity_alone()
    {
        // A page row taken twice (Real = 2) and a copy of it in a padding row taken back once (Real = −1): every bus term
        // and byte lookup nets to the honest row's, so only Real's booleanity refuses the pair.
        var (circuit, traces, claim) = Traced("page_real_two.S", "li a0, 5\nli a7, 0\necall\n");
        var page = Table(traces, "page");
        int row = RowWhere(page, ("Space", MachineLayout.RegisterSpace), ("Index", 10));
        int padding = Enumerable.Range(0, page.Height).First(r => Cell(page, r, "Real").IsZero);
        for (int c = 0; c < page.Air.MainWidth; c++) page.Main[padding, c] = page.Main[row, c];
        Set(page, row, "Real", BabyBear.FromCanonical(2));
        Set(page, padding, "Real", Neg(1));
        AssertNeeded(circuit, traces, claim, "page", air => new KnockoutAir(air, constraint: ConstraintIndex(page, "local.Real * (local.Real - one)")),
            StarkErrors.ConstraintsViolated, recounted: traces[^1]);
    }

    [Fact]
    public void A_register_limb_above_a_u16_written_by_a_syscall_is_caught_by_its_range_check_alone()
    {
        // CYCLES writes a0 = 1 as the limbs (1 − 2^16, 1), the same field value; the next writer of a0 takes those
        // limbs back as its previous value, which nothing else range-checks.
        var (circuit, traces, claim) = Traced("cycles_limbs.S", "li a7, 4\necall\nli a0, 0\nli a7, 0\necall\n");
        var (syscall, alu) = (Table(traces, "syscall"), Table(traces, "alu"));
        int cycles = RowWhere(syscall, ("IsCycles", 1));
        Assert.Equal(BabyBear.One, Cell(syscall, cycles, "OutLo"));
        var lo = BabyBear.One - BabyBear.FromCanonical(1 << 16);
        Set(syscall, cycles, "OutLo", lo);
        Set(syscall, cycles, "OutHi", BabyBear.One);
        Set(syscall, cycles, "CycleCarry", BabyBear.One); // 4·(1 − 2^16) + 2^18·1 = 4·0 + ts − 4 still
        int next = RowWhere(alu, ("Rd.Index", 10), ("WritesRd", 1));
        Set(alu, next, "Rd.PrevLo", lo);
        Set(alu, next, "Rd.PrevHi", BabyBear.One);
        int index = KnockoutAir.InteractionIndex(syscall, cycles, e => e.Bus.Id == MachineBuses.Bytes.Id && e.Values[1].Value == (BabyBearExt4)lo);
        AssertNeeded(circuit, traces, claim, "syscall", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }

    /// <summary>A COMMIT of the bytes 0x11…0x55 from <paramref name="offset"/> bytes into its word: two transfer rows,
    /// the first of which the forger makes the last, dropping the second (the word it reads closed where it opened).</summary>
    static (MachineCircuit Circuit, TableTrace[] Traces, MachineClaim Claim) CommitTruncated(int offset, int length)
    {
        var (circuit, traces, claim) = Traced($"commit_{offset}_{length}.S", $"la a0, bytes\naddi a0, a0, {offset}\nli a1, {length}\nli a7, 3\necall\nli a0, 0\nli a7, 0\necall\n"
            + ".data\n.balign 4\nbytes: .word 0x44332211, 0x55\n");
        var (transfer, boundary) = (Table(traces, "transfer"), Table(traces, "boundary"));
        Assert.Equal(BabyBear.One, Cell(transfer, 1, "Last"));
        var word = Cell(transfer, 1, "Word");
        int cell = RowWhere(boundary, ("IsMemory", 1), ("Index", word.ToCanonical()));
        new Closing(traces).SetLastTs(cell, Cell(transfer, 1, "PrevTs"));
        for (int c = 0; c < transfer.Air.MainWidth; c++) transfer.Main[1, c] = BabyBear.Zero;
        return (circuit, traces, claim with { Journal = claim.Journal[..^1] });
    }

    [Fact]
    public void A_commit_whose_last_row_is_dropped_is_caught_by_the_transfer_send_alone()
    {
        // Five bytes: the first row moves four and hands the fifth on; without its send, the journal ends after four.
        var (circuit, traces, claim) = CommitTruncated(0, 5);
        var transfer = Table(traces, "transfer");
        int index = KnockoutAir.InteractionIndex(transfer, 0, e => e.Bus.Id == MachineBuses.Transfer.Id && e.Multiplicity.Value == BabyBearExt4.One);
        AssertNeeded(circuit, traces, claim, "transfer", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }

    [Fact]
    public void A_row_that_moves_past_its_word_is_caught_by_the_word_end_rule_alone()
    {
        // Four bytes from offset 1: the first row claims all four (k = 4 from offset 1 ends past its word) and is the last.
        var (circuit, traces, claim) = CommitTruncated(1, 4);
        var transfer = Table(traces, "transfer");
        Assert.Equal(BabyBear.One, Cell(transfer, 0, "count[2]"));
        Set(transfer, 0, "count[2]", BabyBear.Zero);
        Set(transfer, 0, "count[3]", BabyBear.One);
        Set(transfer, 0, "Last", BabyBear.One);
        int index = KnockoutAir.List(transfer).Constraints.FindIndex(c => c.StartsWith("local.Offset[1] * local.Count[3]", StringComparison.Ordinal));
        AssertNeeded(circuit, traces, claim, "transfer", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    /// <summary>A small run's boundary and its first padding row (there are at least two).</summary>
    static (MachineCircuit Circuit, TableTrace[] Traces, MachineClaim Claim, TableTrace Boundary, int Padding) BoundaryRun()
    {
        var (circuit, traces, claim) = Traced("boundary_small.S", "li a0, 5\nli a7, 0\necall\n");
        var boundary = Table(traces, "boundary");
        int padding = Enumerable.Range(0, boundary.Height).First(r => Cell(boundary, r, "Real").IsZero);
        Assert.True(padding <= boundary.Height - 2, $"boundary: {padding} real rows of {boundary.Height}");
        return (circuit, traces, claim, boundary, padding);
    }

    static void AssertBoundaryNeeds(MachineCircuit circuit, TableTrace[] traces, MachineClaim claim, string constraint)
    {
        SolvePieceGaps(Table(traces, "boundary"));
        AssertNeeded(circuit, traces, claim, "boundary", air => new KnockoutAir(air, constraint: ConstraintIndex(Table(traces, "boundary"), constraint)), StarkErrors.ConstraintsViolated);
    }

    /// <summary>The forger's completion of a boundary it changed: every row that is real (or claims a Real other than 1) gets
    /// its key's distances to the piece's range [0, KeyEnd) as its gap limbs, so only the check under test can refuse it.</summary>
    static void SolvePieceGaps(TableTrace boundary)
    {
        for (int r = 0; r < boundary.Height; r++)
        {
            if (Cell(boundary, r, "Real").IsZero) continue;
            var key = (Cell(boundary, r, "IsRegister") + BabyBear.FromCanonical(2) * Cell(boundary, r, "IsMemory")) * BabyBear.FromCanonical(1u << 27) + Cell(boundary, r, "Index");
            uint above = key.ToCanonical(), below = (BabyBear.FromCanonical(MachineLayout.KeyEnd - 1) - key).ToCanonical();
            Set(boundary, r, "LoGapLo", BabyBear.FromCanonical(above & 0xFFFF));
            Set(boundary, r, "LoGapHi", BabyBear.FromCanonical(above >> 16));
            Set(boundary, r, "HiGapLo", BabyBear.FromCanonical(below & 0xFFFF));
            Set(boundary, r, "HiGapHi", BabyBear.FromCanonical(below >> 16));
        }
    }

    [Fact]
    public void A_padding_row_of_register_flag_minus_one_is_caught_by_its_booleanity_alone()
    {
        // IsRegister = −1 beside IsMemory = 1 keeps the sum at Real = 0; the row before inherits into it.
        var (circuit, traces, claim, boundary, _) = BoundaryRun();
        int row = boundary.Height - 1;
        Set(boundary, row, "IsRegister", Neg(1));
        Set(boundary, row, "IsMemory", BabyBear.One);
        Set(boundary, row - 1, "NextInherits", BabyBear.One);
        AssertBoundaryNeeds(circuit, traces, claim, "local.IsRegister * (local.IsRegister - one)");
    }

    [Fact]
    public void A_padding_row_of_memory_flag_minus_one_is_caught_by_its_booleanity_alone()
    {
        var (circuit, traces, claim, boundary, _) = BoundaryRun();
        int row = boundary.Height - 1;
        Set(boundary, row, "IsRegister", BabyBear.One);
        Set(boundary, row, "IsMemory", Neg(1));
        Set(boundary, row - 1, "NextInherits", Neg(1));
        AssertBoundaryNeeds(circuit, traces, claim, "local.IsMemory * (local.IsMemory - one)");
    }

    [Fact]
    public void A_region_fence_taken_by_a_padding_row_is_caught_by_the_fence_rule_alone()
    {
        // The padding row takes region 0's map term (word 0, no access); word 0 drops its fence and inherits
        // "no access" from the last register row.
        var (circuit, traces, claim, boundary, _) = BoundaryRun();
        int word0 = RowWhere(boundary, ("IsMemory", 1), ("Index", 0));
        Assert.Equal(BabyBear.One, Cell(boundary, word0, "Fence"));
        Assert.True(Cell(boundary, word0, "Mapped").IsZero && Cell(boundary, word0 - 1, "IsRegister") == BabyBear.One);
        Set(boundary, word0, "Fence", BabyBear.Zero);
        Set(boundary, word0 - 1, "NextInherits", BabyBear.One);
        Set(boundary, boundary.Height - 1, "Fence", BabyBear.One);
        AssertBoundaryNeeds(circuit, traces, claim, "local.Fence * (one - local.IsMemory)");
    }

    [Fact]
    public void A_second_sorted_run_started_by_a_padding_row_is_caught_by_the_padding_rule_alone()
    {
        // The first padding row (key 0) points on to a real row that opens x0 again and closes it untouched.
        var (circuit, traces, claim, boundary, n) = BoundaryRun();
        Set(boundary, n, "NextReal", BabyBear.One);
        Set(boundary, n, "GapLo", BabyBear.FromCanonical(0xFFFF));
        Set(boundary, n, "GapHi", BabyBear.FromCanonical(2047)); // 2^27 − 1: register x0's key after key 0
        Set(boundary, n + 1, "Real", BabyBear.One);
        Set(boundary, n + 1, "IsRegister", BabyBear.One);
        AssertBoundaryNeeds(circuit, traces, claim, "(one - local.Real) * local.NextReal");
    }

    [Fact]
    public void A_row_of_real_two_is_caught_by_its_booleanity_alone()
    {
        // Real = 2 with both space flags set (space 3): an extra last row that opens and closes a cell of space 3
        // twice, the last real row pointing on to it with its gap solved.
        var (circuit, traces, claim, boundary, n) = BoundaryRun();
        var two = BabyBear.FromCanonical(2);
        Set(boundary, n, "Real", two);
        Set(boundary, n, "IsRegister", BabyBear.One);
        Set(boundary, n, "IsMemory", BabyBear.One);
        Set(boundary, n, "Mapped", Cell(boundary, n - 1, "Mapped"));
        Set(boundary, n, "Writable", Cell(boundary, n - 1, "Writable"));
        Set(boundary, n - 1, "NextReal", two);
        Set(boundary, n - 1, "NextInherits", BabyBear.One);
        Assert.Equal(BabyBear.One, Cell(boundary, n - 1, "IsMemory"));
        uint gap = (3u << 27) - (2u << 27) - Cell(boundary, n - 1, "Index").ToCanonical() - 1;
        Set(boundary, n - 1, "GapLo", BabyBear.FromCanonical(gap & 0xFFFF));
        Set(boundary, n - 1, "GapHi", BabyBear.FromCanonical(gap >> 16));
        AssertBoundaryNeeds(circuit, traces, claim, "local.Real * (local.Real - one)");
    }

    [Fact]
    public void A_transfer_row_no_ecall_asked_for_is_caught_by_the_transfer_receive_alone()
    {
        // The guest loads its data word and halts; a padding transfer row, after that last access, READs 42 into the
        // word with no ECALL handing it a token, and the boundary closes the word with it.
        var (circuit, traces, claim) = Traced("transfer_unasked.S", "la t0, word\nlw a0, 0(t0)\nli a7, 0\necall\n.data\n.balign 4\nword: .word 7\n");
        var (transfer, boundary) = (Table(traces, "transfer"), Table(traces, "boundary"));
        int cell = RowWhere(boundary, ("IsMemory", 1), ("InImage", 1));
        var closing = new Closing(traces);
        var (word, last) = (Cell(boundary, cell, "Index"), closing.LastTs(cell));
        var ts = last; // any timestamp after the word's last access
        var access = ts + BabyBear.FromCanonical(MachineLayout.SlotMemory);
        uint gap = (access - last - BabyBear.One).ToCanonical();
        const int row = 0;
        Assert.True(Cell(transfer, row, "IsRead").IsZero && Cell(transfer, row, "IsCommit").IsZero && Cell(transfer, row, "IsWrite").IsZero);
        foreach (var (column, value) in new (string, BabyBear)[]
        {
            ("IsRead", BabyBear.One), ("Ts", ts), ("Word", word), ("Address", BabyBear.FromCanonical(4) * word), ("offset[0]", BabyBear.One),
            ("count[0]", BabyBear.One), ("Remaining", BabyBear.One), ("Last", BabyBear.One), ("old[0]", BabyBear.FromCanonical(7)),
            ("new[0]", BabyBear.FromCanonical(42)), ("PrevTs", last), ("DiffLo", BabyBear.FromCanonical(gap & 0xFFFF)), ("DiffHi", BabyBear.FromCanonical(gap >> 16)),
        })
            Set(transfer, row, column, value);
        closing.SetFinal(cell, BabyBear.FromCanonical(42), Cell(boundary, cell, "FinalHi"));
        closing.SetLastTs(cell, access);
        int index = InteractionText.Of(transfer.Air).FindIndex(t => t.StartsWith("transfer(", StringComparison.Ordinal));
        AssertNeeded(circuit, traces, claim, "transfer", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }

    [Fact]
    public void A_jump_row_of_jal_minus_one_reading_x0_is_caught_by_its_booleanity_alone()
    {
        // IsJal = −1 beside IsJalr = 1 is a row of real 0 that still reads rs1: a read of x0 at timestamp 1, which
        // the first real reader of x0 then takes as its previous access. Harmless (x0 stays 0), yet only c0 refuses it.
        var (circuit, traces, claim) = Traced("ghost_read.S", "li a0, 5\nli a7, 0\necall\n");
        var (jump, alu) = (Table(traces, "jump"), Table(traces, "alu"));
        Assert.True(Cell(jump, 0, "IsJal").IsZero && Cell(jump, 0, "IsJalr").IsZero);
        Set(jump, 0, "IsJal", Neg(1));
        Set(jump, 0, "IsJalr", BabyBear.One);
        Set(jump, 0, "Ts", BabyBear.One);
        int reader = RowWhere(alu, ("Rd.Index", 10), ("Rs1.Index", 0), ("Rs1.PrevTs", 0));
        Set(alu, reader, "Rs1.PrevTs", BabyBear.One);
        Set(alu, reader, "Rs1.DiffLo", Cell(alu, reader, "Rs1.DiffLo") - BabyBear.One);
        int index = ConstraintIndex(jump, "local.IsJal * (local.IsJal - one)");
        AssertNeeded(circuit, traces, claim, "jump", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void Two_half_fence_rows_standing_for_an_addi_into_x0_are_caught_by_the_fence_booleanity_alone()
    {
        // real = 1/2 fetches opcode 38/2 = 19, ADDI: two such fence rows stand for `addi x0, x0, 5` (a no-op, so
        // nothing false follows), its ALU row dropped and x0's next reader taking the access before it.
        var (circuit, traces, claim) = Traced("half_fences.S", "addi x0, x0, 5\nli a0, 0\nli a7, 0\necall\n");
        var (fence, alu) = (Table(traces, "fence"), Table(traces, "alu"));
        int addi = RowWhere(alu, ("IsAddi", 1), ("Rd.Index", 0));
        int next = RowWhere(alu, ("Rd.Index", 10));
        var (pc, ts) = (Cell(alu, addi, "Pc"), Cell(alu, addi, "Ts"));
        Assert.Equal(ts, Cell(alu, next, "Rs1.PrevTs"));
        Set(alu, next, "Rs1.PrevTs", Cell(alu, addi, "Rs1.PrevTs"));
        Set(alu, next, "Rs1.DiffLo", Cell(alu, next, "Rs1.DiffLo") + ts - Cell(alu, addi, "Rs1.PrevTs"));
        for (int c = 0; c < alu.Air.MainWidth; c++) alu.Main[addi, c] = BabyBear.Zero;
        var half = BabyBear.FromCanonical(2).Inverse();
        foreach (int row in new[] { 0, 1 })
        {
            Assert.True(Cell(fence, row, "IsFence").IsZero);
            Set(fence, row, "IsFence", half);
            Set(fence, row, "Pc", pc);
            Set(fence, row, "Ts", ts);
            Set(fence, row, "ImmLo", BabyBear.FromCanonical(5));
        }
        AssertNeeded(circuit, traces, claim, "fence", air => new KnockoutAir(air, constraint: ConstraintIndex(fence, "real * (real - one)")), StarkErrors.ConstraintsViolated);
    }

    /// <summary>
    /// An access at rs1 + imm = D + K, which the emulator traps on (nothing is mapped at or above 0x2000_0000),
    /// claimed done at the data word D: the forger's run lands the access at D, and its row splits the address so
    /// that the word index, a field element, is D/4 again. With K = 2p the low limb is divided by 4 in the field
    /// (offset 0 where the address says 2); with K = 0xE000_0008 and imm −4 (D + K − 4 + 2^32 = D + 4p) the high
    /// limb takes 2^16 more and the carry out of it none. Only the range check of the limb that went wrong refuses it.
    /// </summary>
    [Theory]
    [InlineData("lb a0, 0(t2)", 0xF0000002u, 0x44u, "load", "bytes U16(WordLo)")]
    [InlineData("lw a0, -4(t2)", 0xE0000008u, 0x11223344u, "load", "bytes U16(AddrHi)")]
    [InlineData("sb a1, 0(t2)", 0xF0000002u, 0x1122335Au, "store", "bytes U16(WordLo)")]
    [InlineData("sw a1, -4(t2)", 0xE0000008u, 0x5Au, "store", "bytes U16(AddrHi)")]
    public void An_access_above_the_map_wrapped_onto_a_data_word_is_caught_by_its_limb_range_check_alone(string access, uint k, uint read, string table, string check)
    {
        bool store = table == "store";
        string text = $".text\n.globl _start\n_start:\nla t0, w\nli t1, {k}\nadd t2, t0, t1\nli a1, 0x5A\n{access}\n" + (store ? "lw a0, 0(t0)\n" : "")
            + "li a7, 0\necall\n.data\n.balign 4\nw: .word 0x11223344\n";
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText($"wrapped_{access.Split(' ')[0]}.S", text, bare: true)));
        var (honest, result) = ReExecutor.RunWithRecords(program.Program, Array.Empty<byte>());
        Assert.Equal(TrapCause.UnmappedAccess, result.Trap?.Cause);
        uint a = 0;
        var witness = TrapEquivalenceTests.SkipTrap(program, (ulong)honest.Count, [read], records =>
        {
            int at = records.FindIndex(r => r.Instruction.Spec.Family is InstructionFamily.Load or InstructionFamily.Store);
            var r = records[at];
            a = r.Rs1Value + (uint)r.Instruction.Imm;
            uint d = r.Rs1Value - k; // t0, the address of w
            records[at] = store ? r with { MemAddress = d } : r with { MemAddress = d, MemValue = read, RdValue = read };
            return records;
        });
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness);
        var chip = Table(users, table);
        const int row = 0; // the one load or store
        if (k == 0xF0000002u)
        {
            Set(chip, row, "WordLo", BabyBear.FromCanonical(a & 0xFFFF) * BabyBear.FromCanonical(4).Inverse());
            Set(chip, row, "AddrHi", BabyBear.FromCanonical(a >> 16));
        }
        else
        {
            Set(chip, row, "WordLo", BabyBear.FromCanonical((a & 0xFFFF) >> 2));
            Set(chip, row, "AddrHi", BabyBear.FromCanonical((a >> 16) + 0x10000));
            Set(chip, row, "Carry1", BabyBear.Zero);
        }
        var claim = MachineCircuit.ClaimOf(witness);
        Assert.Equal(read, claim.ExitCode); // what the forger claims the guest exits with
        AssertLookupNeeded(circuit, users, claim, table, t => t == check);
    }

    [Fact]
    public void A_jump_above_the_map_wrapped_onto_a_rom_pc_is_caught_by_the_next_pc_bound_alone()
    {
        // JALR to T + 2p: the emulator traps (no code there), but the next pc's limbs, each a u16, name T as a field
        // element. The forger's run goes on at T; only the bound next pc ≤ 0x77FF_FFFF refuses it.
        const string text = ".text\n.globl _start\n_start:\nla t0, ok\nli t1, 0xF0000002\nadd t0, t0, t1\njalr x0, 0(t0)\nli a0, 1\nli a7, 0\necall\n"
            + "ok:\nli a0, 7\nli a7, 0\necall\n";
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText("wrapped_jalr.S", text, bare: true)));
        var (records, result) = ReExecutor.RunWithRecords(program.Program, Array.Empty<byte>());
        Assert.NotNull(result.Trap);
        var registers = new uint[32];
        registers[2] = GuestMemoryMap.StackTop;
        foreach (var r in records)
            if (r.Instruction.Rd != 0) registers[r.Instruction.Rd] = r.RdValue;
        // The JALR the emulator refused to retire, retired at T.
        uint pc = records[^1].NextPc, target = registers[5] - 0xF0000002u;
        var jalr = program.Rom[program.IndexOf(pc)];
        Assert.Equal(Opcode.Jalr, jalr.Op);
        records.Add(new ExecutionRecord((ulong)records.Count, pc, jalr, registers[5], 0, 0, 0, 0, target));
        var rest = ReExecutor.ReExecute(program.Program, new Checkpoint((ulong)records.Count, target, registers, 0), Array.Empty<uint>(), 3);
        var witness = MemoryTimeline.Build(program, [.. records, .. rest], Array.Empty<byte>());
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness);
        var claim = MachineCircuit.ClaimOf(witness);
        Assert.Equal(7u, claim.ExitCode);
        AssertLookupNeeded(circuit, users, claim, "jump", t => t == "bytes U16(30719 − NextHi)");
    }

    /// <summary>
    /// A forged run one byte lookup of <paramref name="table"/> refuses (the first whose text <paramref name="lookup"/>
    /// accepts, as <see cref="InteractionText"/> writes it): the forger's byte table answers every other lookup, and
    /// the run verifies once that lookup is dropped.
    /// </summary>
    static void AssertLookupNeeded(MachineCircuit circuit, TableTrace[] users, MachineClaim claim, string table, Predicate<string> lookup)
    {
        int index = InteractionText.Of(Table(users, table).Air).FindIndex(lookup);
        Assert.True(index >= 0, $"table '{table}' has no such lookup");
        IAir Drop(IAir air) => new KnockoutAir(air, interaction: index);
        TableTrace[] forged = [.. users, circuit.BytesTrace([.. users.Select(t => t.Air.Name == table ? new TableTrace(Drop(t.Air), t.Main, t.PublicValues) : t)])];
        AssertNeeded(circuit, forged, claim, table, Drop, StarkErrors.BusUnbalanced);
    }

    [Fact]
    public void A_read_of_length_p_claimed_empty_is_caught_by_the_length_byte_check_alone()
    {
        // READ with a1 = 0x7800_0001, which the emulator refuses (a transfer moves at most 2^24 − 1 bytes): its limbs
        // (1, 0x7800) sum to p ≡ 0 in the field, so the row moves nothing, with no slack. Only the byte check of the
        // length's high limb refuses it.
        const string text = ".text\n.globl _start\n_start:\nla a0, buf\nli a1, 0x78000001\nli a7, 1\necall\nli a0, 0\nli a7, 0\necall\n.data\n.balign 4\nbuf: .word 0\n";
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText("read_length_p.S", text, bare: true)));
        var (honest, result) = ReExecutor.RunWithRecords(program.Program, Array.Empty<byte>());
        Assert.Equal(TrapCause.BadSyscallArgument, result.Trap?.Cause);
        var witness = TrapEquivalenceTests.SkipTrap(program, (ulong)honest.Count, [0]);
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness);
        var syscall = Table(users, "syscall");
        int row = RowWhere(syscall, ("IsRead", 1));
        Assert.Equal(BabyBear.FromCanonical(0x7800), Cell(syscall, row, "LenHi"));
        Set(syscall, row, "SlackLo", BabyBear.Zero);
        Set(syscall, row, "SlackHi", BabyBear.Zero);
        AssertLookupNeeded(circuit, users, MachineCircuit.ClaimOf(witness), "syscall", t => t == "bytes BytePair(LenHi)");
    }

    [Fact]
    public void A_load_from_the_null_page_claimed_from_x0_is_caught_by_the_read_only_booleanity_alone()
    {
        // lw a0, 0(zero) traps; with ReadOnly = −1 the load's access names space 1, register x0, whose value is
        // the 0 the forger claims it read. Word 0 closes untouched; x0 closes at the load's access.
        var (program, witness) = TrapEquivalenceTests.Forged("null_load_x0");
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var (load, boundary) = (Table(traces, "load"), Table(traces, "boundary"));
        var (rs1Ts, access) = (Cell(load, 0, "Ts"), Cell(load, 0, "Ts") + BabyBear.FromCanonical(MachineLayout.SlotMemory));
        Set(load, 0, "ReadOnly", Neg(1));
        Set(load, 0, "MemPrevTs", rs1Ts);
        Set(load, 0, "MemDiffLo", access - rs1Ts - BabyBear.One);
        Set(load, 0, "MemDiffHi", BabyBear.Zero);
        var closing = new Closing(traces);
        closing.Untouched(RowWhere(boundary, ("IsMemory", 1), ("Index", 0)));
        int x0 = RowWhere(boundary, ("IsRegister", 1), ("Index", 0));
        Assert.Equal(rs1Ts, closing.LastTs(x0));
        closing.SetLastTs(x0, access);
        int index = ConstraintIndex(load, "local.ReadOnly * (local.ReadOnly - one)");
        AssertNeeded(circuit, traces, MachineCircuit.ClaimOf(witness), "load", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void A_commit_from_the_null_page_claimed_from_a_register_is_caught_by_the_read_only_booleanity_alone()
    {
        // COMMIT of 4 bytes at address 40 traps; with ReadOnly = −1 the transfer row's access names space 1, word 10:
        // register a0, which holds 40. The forger claims the journal [40, 0, 0, 0]. Word 10 closes untouched; a0's
        // chain runs through the transfer row (after the syscall's read of a0, before `li a0, 0`).
        var (program, witness) = TrapEquivalenceTests.Forged("commit_register");
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var (transfer, syscall, alu, boundary) = (Table(traces, "transfer"), Table(traces, "syscall"), Table(traces, "alu"), Table(traces, "boundary"));
        Assert.Equal(BabyBear.FromCanonical(10), Cell(transfer, 0, "Word"));
        var ts = Cell(transfer, 0, "Ts");
        var (read, access) = (ts + BabyBear.FromCanonical(MachineLayout.SlotRs2), ts + BabyBear.FromCanonical(MachineLayout.SlotMemory));
        Assert.Equal(read, Cell(syscall, RowWhere(syscall, ("IsCommit", 1)), "Ts") + BabyBear.FromCanonical(MachineLayout.SlotRs2));
        Set(transfer, 0, "ReadOnly", Neg(1));
        Set(transfer, 0, "PrevTs", read);
        Set(transfer, 0, "DiffLo", access - read - BabyBear.One);
        Set(transfer, 0, "DiffHi", BabyBear.Zero);
        Set(transfer, 0, "old[0]", BabyBear.FromCanonical(40));
        Set(transfer, 0, "new[0]", BabyBear.FromCanonical(40));
        int next = RowWhere(alu, ("Rd.Index", 10), ("WritesRd", 1), ("Rd.PrevTs", read.ToCanonical()));
        Set(alu, next, "Rd.PrevTs", access);
        Set(alu, next, "Rd.DiffLo", Cell(alu, next, "Rd.DiffLo") - (access - read));
        new Closing(traces).Untouched(RowWhere(boundary, ("IsMemory", 1), ("Index", 10)));
        var claim = MachineCircuit.ClaimOf(witness) with { Journal = [40, 0, 0, 0] };
        int index = ConstraintIndex(transfer, "local.ReadOnly * (local.ReadOnly - one)");
        AssertNeeded(circuit, traces, claim, "transfer", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    /// <summary>The forger opens the word of boundary row <paramref name="row"/> as writable: the boundary row, and the page
    /// row that takes it into the shard, move it in the read-write space.</summary>
    static void ClaimWritable(TableTrace[] traces, int row)
    {
        var (boundary, page) = (Table(traces, "boundary"), Table(traces, "page"));
        int paged = new Closing(traces).PageRow(row);
        Set(boundary, row, "Writable", BabyBear.One);
        if (paged >= 0) Set(page, paged, "Space", BabyBear.FromCanonical(MachineLayout.MemorySpace));
    }

    /// <summary>The boundary without its last real row (a cell the forged run never really opens): the row before
    /// it ends the sorted run.</summary>
    static void DropLastBoundaryRow(TableTrace[] traces)
    {
        var boundary = Table(traces, "boundary");
        int last = Enumerable.Range(0, boundary.Height).Last(r => Cell(boundary, r, "Real") == BabyBear.One);
        new Closing(traces).Untouched(last); // no page row either
        for (int c = 0; c < boundary.Air.MainWidth; c++) boundary.Main[last, c] = BabyBear.Zero;
        foreach (var column in new[] { "NextReal", "GapLo", "GapHi", "NextInherits" }) Set(boundary, last - 1, column, BabyBear.Zero);
    }

    [Fact]
    public void A_commit_buffer_above_the_map_wrapped_onto_a_data_word_is_caught_by_the_buffer_bound_alone()
    {
        // COMMIT of one byte at a0 = &w + p traps (nothing is mapped there), but a0's limbs sum to &w in the field:
        // the forger's transfer reads w's byte 0x11 instead and claims the journal [0x11]. Only 8·a0's high limb
        // < 2^16 (the buffer below 2^29) refuses it.
        var (program, skipped) = TrapEquivalenceTests.Forged("commit_wrapped");
        var transfer = Assert.Single(skipped.Transfers);
        uint d = transfer.Address - BabyBear.P;
        var word = transfer.Word with { PrevValue = 0x11, Value = 0x11, ReadOnly = false };
        BoundaryEntry[] boundary = [.. skipped.Boundary.Where(e => e.Index != transfer.WordIndex)
            .Select(e => e.Space == MachineLayout.MemorySpace && e.Index == d >> 2 ? e with { FinalTs = word.Ts } : e)];
        var witness = new MachineWitness(skipped.Steps, [transfer with { Address = d, Word = word }], boundary, skipped.ExitCode, [0x11]);
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness);
        AssertLookupNeeded(circuit, users, MachineCircuit.ClaimOf(witness), "syscall", t => t.StartsWith("bytes U16(((IsRead + IsCommit)·A0Hi", StringComparison.Ordinal));
    }

    [Fact]
    public void A_write_past_the_stack_top_in_one_row_is_caught_by_a_count_booleanity_alone()
    {
        // WRITE of 5 bytes from 0x1FFF_FFFC traps at 0x2000_0000; one row with counts (−1, 1, 0, 1), k = 5, moves them
        // all from the stack's top word, and the word above the map is never opened.
        var (program, witness) = TrapEquivalenceTests.Forged("write_past_stack");
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness);
        var (transfer, boundary) = (Table(users, "transfer"), Table(users, "boundary"));
        Assert.Equal(BabyBear.One, Cell(transfer, 0, "count[3]"));
        Set(transfer, 0, "count[0]", Neg(1));
        Set(transfer, 0, "count[1]", BabyBear.One);
        Set(transfer, 0, "Last", BabyBear.One);
        for (int c = 0; c < transfer.Air.MainWidth; c++) transfer.Main[1, c] = BabyBear.Zero;
        DropLastBoundaryRow(users);
        TableTrace[] traces = [.. users, circuit.BytesTrace(users)];
        int index = KnockoutAir.List(transfer).Constraints.IndexOf("local.Count[i] * (local.Count[i] - one)");
        AssertNeeded(circuit, traces, MachineCircuit.ClaimOf(witness), "transfer", air => new KnockoutAir(air, constraint: index), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void A_write_of_length_p_plus_one_claimed_as_one_byte_is_caught_by_the_length_byte_check_alone()
    {
        // WRITE with a2 = p + 1 traps (a transfer moves at most 2^24 − 1 bytes), but a2's limbs (2, 0x7800) sum to 1
        // in the field: the forger's run writes one byte. It is laid out with a2 = 1 (the witness builder moves
        // a2 bytes), then a2's value put back where the ADDI writes it, the WRITE reads it and the boundary closes it.
        const uint a2 = BabyBear.P + 1;
        var (program, skipped) = TrapEquivalenceTests.Forged("write_length_p", records =>
        {
            int addi = records.FindIndex(r => r.Instruction is { Op: Opcode.Addi, Rd: 12, Rs1: 12 });
            int ecall = records.FindIndex(r => r.Instruction.Op == Opcode.Ecall);
            Assert.Equal(a2, records[addi].RdValue);
            records[addi] = records[addi] with { RdValue = 1 };
            records[ecall] = records[ecall] with { MemValue = 1 };
            return records;
        });
        int at = Array.FindIndex(skipped.Steps, s => s.Record.Instruction is { Op: Opcode.Addi, Rd: 12, Rs1: 12 });
        skipped.Steps[at].Record = skipped.Steps[at].Record with { RdValue = a2 };
        skipped.Steps[at].Rd = skipped.Steps[at].Rd with { Value = a2 };
        BoundaryEntry[] boundary = [.. skipped.Boundary.Select(e => e.Space == MachineLayout.RegisterSpace && e.Index == 12 ? e with { Final = a2 } : e)];
        var witness = new MachineWitness(skipped.Steps, skipped.Transfers, boundary, skipped.ExitCode, skipped.Journal);
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness);
        var syscall = Table(users, "syscall");
        int row = RowWhere(syscall, ("IsWrite", 1));
        Set(syscall, row, "A2Lo", BabyBear.FromCanonical(a2 & 0xFFFF));
        Set(syscall, row, "A2Hi", BabyBear.FromCanonical(a2 >> 16));
        AssertLookupNeeded(circuit, users, MachineCircuit.ClaimOf(witness), "syscall", t => t == "bytes BytePair(A2Hi)");
    }

    [Fact]
    public void A_halt_taken_back_by_a_row_of_halt_minus_one_is_caught_by_the_halt_booleanity_alone()
    {
        // The guest halts with 0 after four instructions. A syscall row with IsHalt = −1 beside IsRead = 1 (real 0)
        // takes that halt's message back and hands on an execution token: a READ of a1 = 0 bytes writes a0 = 0. The
        // run goes on past the HALT and the forger claims exit 1 after seven.
        const string text = ".text\n.globl _start\n_start:\nli a1, 0\nli a0, 0\nli a7, 0\necall\nli a0, 1\nli a7, 0\necall\n";
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText("halt_taken_back.S", text, bare: true)));
        var (records, result) = ReExecutor.RunWithRecords(program.Program, Array.Empty<byte>());
        Assert.Null(result.Trap);
        Assert.Equal(4, records.Count);
        var registers = new uint[32];
        registers[2] = GuestMemoryMap.StackTop;
        var rest = ReExecutor.ReExecute(program.Program, new Checkpoint((ulong)records.Count, records[^1].Pc + 4, registers, 0), Array.Empty<uint>(), 3);
        var witness = MemoryTimeline.Build(program, [.. records, .. rest], Array.Empty<byte>());
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var (syscall, alu, boundary) = (Table(traces, "syscall"), Table(traces, "alu"), Table(traces, "boundary"));
        int halt = Enumerable.Range(0, syscall.Height).First(r => Cell(syscall, r, "IsHalt") == BabyBear.One);
        int taken = Enumerable.Range(0, syscall.Height).First(r => Cell(syscall, r, "IsHalt").IsZero && Cell(syscall, r, "Ts").IsZero);
        var ts = Cell(syscall, halt, "Ts");
        var (slotRd, slotRs2) = (BabyBear.FromCanonical(MachineLayout.SlotRd), BabyBear.FromCanonical(MachineLayout.SlotRs2));
        int a1 = RowWhere(boundary, ("IsRegister", 1), ("Index", 11));
        var closing = new Closing(traces);
        var a1Written = closing.LastTs(a1);
        foreach (var (column, value) in new (string, BabyBear)[]
        {
            ("IsHalt", Neg(1)), ("IsRead", BabyBear.One), ("Pc", Cell(syscall, halt, "Pc")), ("Ts", ts),
            ("Len.PrevTs", a1Written), ("Len.DiffLo", ts - a1Written - BabyBear.One), ("Out.PrevTs", ts + slotRs2),
        })
            Set(syscall, taken, column, value);
        closing.SetLastTs(a1, ts);
        // `li a0, 1` now writes over the READ's a0 rather than over the HALT's read of it.
        int next = RowWhere(alu, ("Rd.Index", 10), ("Rd.PrevTs", (ts + slotRs2).ToCanonical()));
        Set(alu, next, "Rd.PrevTs", ts + slotRd);
        Set(alu, next, "Rd.DiffLo", Cell(alu, next, "Rd.DiffLo") - BabyBear.One);
        var claim = new MachineClaim(1, 7, []);
        AssertNeeded(circuit, traces, claim, "syscall", air => new KnockoutAir(air, constraint: ConstraintIndex(syscall, "local.IsHalt * (local.IsHalt - one)")), StarkErrors.ConstraintsViolated);
    }

    [Fact]
    public void A_last_boundary_row_pointing_back_to_the_first_is_caught_by_the_last_row_rule_alone()
    {
        // Every boundary row real (registers nothing touches, opened and closed at 0, fill the padding), and the last
        // row's NextReal = −1: its gap to the first row (wrapped) is −K = a − 2^13·s, which needs 8·GapHi = p − s,
        // not a u16; with multiplicity −1 that lookup cancels a register row's IndexLo = p − s (its Index split as
        // (p − s) + 2^16·1). Every other lookup balances once the forger recounts; only IsLastRow·NextReal refuses it.
        var (program, honest) = MachineRuns.Run(Guests.FromText("boundary_small.S", ".text\n.globl _start\n_start:\nli a0, 5\nli a7, 0\necall\n", bare: true));
        var circuit = new MachineCircuit(program);
        int height = Table(circuit.ByteTableUsers(honest), "boundary").Height;
        var entries = honest.Boundary.ToList();
        uint span = entries.Max(e => e.Key) - entries.Min(e => e.Key) + 1;
        uint a = (8192 - span % 8192) % 8192, s = (span + a) / 8192, donor = 65536 - s;
        int extra = height - entries.Count is > 0 and var d ? d : height;
        Assert.DoesNotContain(entries, e => e.Space == MachineLayout.RegisterSpace && e.Index == donor);
        entries.Add(new BoundaryEntry(MachineLayout.RegisterSpace, donor, 0, 0, 0, false));
        for (uint r = 33; entries.Count < honest.Boundary.Length + extra; r++) entries.Add(new BoundaryEntry(MachineLayout.RegisterSpace, r, 0, 0, 0, false));
        var witness = new MachineWitness(honest.Steps, honest.Transfers, [.. entries.OrderBy(e => e.Key)], honest.ExitCode, honest.Journal);
        var users = circuit.ByteTableUsers(witness);
        var boundary = Table(users, "boundary");
        Assert.All(Enumerable.Range(0, boundary.Height), r => Assert.Equal(BabyBear.One, Cell(boundary, r, "Real")));
        int last = boundary.Height - 1, row = RowWhere(boundary, ("IsRegister", 1), ("Index", donor));
        var bytes = circuit.BytesTrace(users);
        Set(boundary, last, "NextReal", Neg(1));
        Set(boundary, last, "GapLo", BabyBear.FromCanonical(a));
        Set(boundary, last, "GapHi", Neg(s) * BabyBear.FromCanonical(8).Inverse());
        Set(boundary, row, "IndexLo", Neg(s));
        Set(boundary, row, "IndexHi", BabyBear.One);
        // The forger's recount: the donor no longer asks for its index (and twice for 0) but for 1 and 32; the last
        // row takes one (U16, a) back. (U16, p − s) is asked once and taken back once.
        foreach (var (value, delta) in new[] { (donor, Neg(1)), (0u, Neg(2)), (1u, BabyBear.One), (32u, BabyBear.One), (a, Neg(1)) })
            bytes.Main[(int)value, 0] += delta;
        TableTrace[] traces = [.. users, bytes];
        AssertNeeded(circuit, traces, MachineCircuit.ClaimOf(witness), "boundary", air => new KnockoutAir(air, constraint: ConstraintIndex(boundary, "b.IsLastRow * local.NextReal")), StarkErrors.ConstraintsViolated, bytes);
    }

    [Fact]
    public void A_halt_passed_on_as_an_accelerator_call_of_number_0_is_caught_by_the_accelerator_booleanity_alone()
    {
        // The guest halts with 0 after four instructions. The forger proves that HALT as an extension syscall of number 0
        // (IsAccel = 1, AccelNumber = a7 = 0): it reads a1 and a0, hands the execution on and sends (0, ts, 0, 0, 0) on the
        // precompile bus, which no table receives. A padding row of IsAccel = −1 beside IsRead = 1 (real 0, so it reads
        // neither a0 nor a1) takes that message back at the same ts; its READ writes a0 = n = 0 ≤ len = 0 after the call's
        // read of it. The run goes on past the HALT and the forger claims exit 1 after seven.
        const string text = ".text\n.globl _start\n_start:\nli a1, 0\nli a0, 0\nli a7, 0\necall\nli a0, 1\nli a7, 0\necall\n";
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText("halt_as_accelerator.S", text, bare: true)));
        var (records, result) = ReExecutor.RunWithRecords(program.Program, Array.Empty<byte>());
        Assert.Null(result.Trap);
        Assert.Equal(4, records.Count);
        var registers = new uint[32];
        registers[2] = GuestMemoryMap.StackTop;
        var rest = ReExecutor.ReExecute(program.Program, new Checkpoint((ulong)records.Count, records[^1].Pc + 4, registers, 0), Array.Empty<uint>(), 3);
        var witness = MemoryTimeline.Build(program, [.. records, .. rest], Array.Empty<byte>());
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var (syscall, alu, boundary) = (Table(traces, "syscall"), Table(traces, "alu"), Table(traces, "boundary"));
        int halt = Enumerable.Range(0, syscall.Height).First(r => Cell(syscall, r, "IsHalt") == BabyBear.One);
        int taken = Enumerable.Range(0, syscall.Height).First(r => Cell(syscall, r, "IsHalt").IsZero && Cell(syscall, r, "Ts").IsZero);
        Assert.All(new[] { "IsRead", "IsWrite", "IsCommit", "IsCycles", "IsAccel" }, c => Assert.True(Cell(syscall, taken, c).IsZero)); // a padding row
        var ts = Cell(syscall, halt, "Ts");
        var (slotRd, slotRs2) = (BabyBear.FromCanonical(MachineLayout.SlotRd), BabyBear.FromCanonical(MachineLayout.SlotRs2));
        Assert.True(Cell(syscall, halt, "A0Lo").IsZero && Cell(syscall, halt, "A0Hi").IsZero);
        int a1 = RowWhere(boundary, ("IsRegister", 1), ("Index", 11));
        var closing = new Closing(traces);
        var a1Written = closing.LastTs(a1);
        // The HALT row, now a call of number 0: it also reads a1 (0) at slot 0.
        foreach (var (column, value) in new (string, BabyBear)[]
        {
            ("IsHalt", BabyBear.Zero), ("IsAccel", BabyBear.One), ("AccelNumber", BabyBear.Zero),
            ("Len.PrevTs", a1Written), ("Len.DiffLo", ts - a1Written - BabyBear.One),
        })
            Set(syscall, halt, column, value);
        closing.SetLastTs(a1, ts);
        // `li a0, 1` now writes over the READ's a0 rather than over the call's read of it.
        int next = RowWhere(alu, ("Rd.Index", 10), ("Rd.PrevTs", (ts + slotRs2).ToCanonical()));
        Set(alu, next, "Rd.PrevTs", ts + slotRd);
        Set(alu, next, "Rd.DiffLo", Cell(alu, next, "Rd.DiffLo") - BabyBear.One);
        Set(syscall, taken, "Ts", ts);
        Set(syscall, taken, "Out.PrevTs", ts + slotRs2);
        // The forger's recount: every lookup but the taking row's, then its own in the field (its U16 of 0 at −1).
        traces[^1] = circuit.BytesTrace(traces[..^1]);
        Set(syscall, taken, "IsAccel", Neg(1));
        Set(syscall, taken, "IsRead", BabyBear.One);
        AddLookups(traces[^1], syscall, taken);
        var claim = new MachineClaim(1, 7, []);
        AssertNeeded(circuit, traces, claim, "syscall", air => new KnockoutAir(air, constraint: ConstraintIndex(syscall, "local.IsAccel * (local.IsAccel - one)")),
            StarkErrors.ConstraintsViolated, recounted: traces[^1]);
    }

    /// <summary>Adds the byte lookups of <paramref name="table"/>'s row <paramref name="row"/> to the byte table's counts in the
    /// field, so that a lookup of multiplicity −1 takes one back (<see cref="MachineCircuit.BytesTrace"/> counts in integers).</summary>
    static void AddLookups(TableTrace bytes, TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        foreach (var e in evaluator.Entries.Where(e => e.Bus.Id == MachineBuses.Bytes.Id && !e.Multiplicity.IsZero))
        {
            var (op, x, y) = (e.Values[0].Value.C0.ToCanonical(), e.Values[1].Value.C0.ToCanonical(), e.Values[2].Value.C0.ToCanonical());
            Assert.True(op is ByteOp.U16 or ByteOp.BytePair && ByteTable.Holds(op, x, y, e.Values[3].Value.C0.ToCanonical()), $"lookup ({op}, {x}, {y})");
            var (at, column) = op == ByteOp.U16 ? ((int)x, 0) : ((int)(256 * x + y), 1);
            bytes.Main[at, column] += e.Multiplicity.Value.C0;
        }
    }

    static readonly ExtensionSet Accelerated = new([AcceleratorsExtension.Instance]);

    /// <summary>A bare guest on the accelerators machine: a data word (its region's first, a fence), then 16 zero words
    /// nothing else touches, the Poseidon2 state.</summary>
    static MachineProgram AcceleratedProgram(string name, string body) => new(HarvardProgram.Load(Guests.FromText(name,
        ".text\n.globl _start\n_start:\n" + body + "li a0, 0\nli a7, 0\necall\n.data\n.balign 4\nhead: .word 1\nstate: .zero 64\n", bare: true), Accelerated.Isa), Accelerated);

    [Fact]
    public void An_accelerator_call_that_never_reaches_its_table_is_caught_by_the_precompile_send_alone()
    {
        // The guest permutes its 16 zero words with Poseidon2 and halts. The forger's run has the ECALL but no table row
        // (its call dropped) and the state never rewritten (the 16 cells left out of the boundary): only the syscall row's
        // send on the precompile bus asks for the permutation.
        var program = AcceleratedProgram("poseidon2_dropped.S", $"la a0, state\nli a7, {Poseidon2Chip.Number}\necall\n");
        var (records, result) = ReExecutor.RunWithRecords(program.Program, Array.Empty<byte>());
        Assert.Null(result.Trap);
        var honest = MemoryTimeline.Build(program, records, Array.Empty<byte>());
        var call = Assert.Single(honest.Calls);
        Assert.Equal(Poseidon2Chip.Number, call.Number);
        uint first = call.StateAddress >> 2;
        BoundaryEntry[] boundary = [.. honest.Boundary.Where(e => e.Space != MachineLayout.MemorySpace || e.Index - first >= Poseidon2Chip.Width)];
        Assert.Equal(honest.Boundary.Length - Poseidon2Chip.Width, boundary.Length);
        var witness = new MachineWitness(honest.Steps, honest.Transfers, boundary, honest.ExitCode, honest.Journal) { Calls = [] };
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        var syscall = Table(traces, "syscall");
        int index = InteractionText.Of(syscall.Air).FindIndex(t => t.StartsWith("precompile(", StringComparison.Ordinal));
        Assert.Equal(index, KnockoutAir.InteractionIndex(syscall, RowWhere(syscall, ("IsAccel", 1)), e => e.Bus.Id == MachineBuses.Precompile.Id));
        AssertNeeded(circuit, traces, MachineCircuit.ClaimOf(witness), "syscall", air => new KnockoutAir(air, interaction: index), StarkErrors.BusUnbalanced);
    }

    [Fact]
    public void An_accelerator_state_above_the_map_wrapped_onto_a_data_word_is_caught_by_the_state_bound_alone()
    {
        // Poseidon2 of the state at a0 = &state + p traps (misaligned, and nothing is mapped there), but a0's limbs sum to
        // &state in the field, which the table receives as 4·StateWord: the forger's table permutes the 16 words at &state.
        // Only 8·a0's high limb < 2^16 (a0 below 2^29) refuses it. The run is laid out with a0 = &state (the witness builder
        // refuses a misaligned state), then a0's value put back where the ADD writes it, the ECALL reads it and `li a0, 0`
        // overwrites it.
        var program = AcceleratedProgram("poseidon2_wrapped.S", $"la a0, state\nli t0, 0x78000001\nadd a0, a0, t0\nli a7, {Poseidon2Chip.Number}\necall\n");
        var (honest, result) = ReExecutor.RunWithRecords(program.Program, Array.Empty<byte>());
        Assert.NotNull(result.Trap);
        uint v = 0;
        var skipped = TrapEquivalenceTests.SkipTrap(program, (ulong)honest.Count, [], records =>
        {
            int add = records.FindIndex(r => r.Instruction is { Op: Opcode.Add, Rd: 10 });
            int ecall = records.FindIndex(r => r.Instruction.Op == Opcode.Ecall);
            v = records[add].RdValue;
            Assert.Equal(v, records[ecall].Syscall.A0);
            records[add] = records[add] with { RdValue = v - BabyBear.P };
            records[ecall] = records[ecall] with { Rs2Value = v - BabyBear.P, RdValue = v - BabyBear.P };
            return records;
        });
        Assert.True(v >= 1u << 29 && (v & 3) != 0);
        var steps = skipped.Steps;
        int at = Array.FindIndex(steps, s => s.Record.Instruction is { Op: Opcode.Add, Rd: 10 });
        int ecall = Array.FindIndex(steps, s => s.Record.Instruction.Op == Opcode.Ecall);
        int over = Array.FindIndex(steps, ecall, s => s.Record.Instruction is { Op: Opcode.Addi, Rd: 10 });
        steps[at].Record = steps[at].Record with { RdValue = v };
        steps[at].Rd = steps[at].Rd with { Value = v };
        steps[ecall].Record = steps[ecall].Record with { Rs2Value = v, RdValue = v };
        var sys = steps[ecall].Syscall;
        steps[ecall].Syscall = sys with { A0 = sys.A0 with { PrevValue = v, Value = v } };
        steps[over].Rd = steps[over].Rd with { PrevValue = v };
        var call = Assert.Single(skipped.Calls);
        Assert.Equal(v - BabyBear.P, call.StateAddress);
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(skipped);
        var syscall = Table(users, "syscall");
        Assert.Equal(BabyBear.FromCanonical(v >> 16), Cell(syscall, RowWhere(syscall, ("IsAccel", 1)), "A0Hi"));
        AssertLookupNeeded(circuit, users, MachineCircuit.ClaimOf(skipped), "syscall", t => t == "bytes U16(A0Hi·8)");
    }
}
