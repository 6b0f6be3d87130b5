using ZkVm.Machine.Chips;
using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests;

/// <summary>
/// Forged witnesses and claims that a sound machine must reject (REFERENCES.md's real zkVM bugs): each is
/// caught by the debug check and the proof made from it anyway fails verification with a typed reason.
/// </summary>
public class MachineAttackTests
{
    const string Guest = """
            .data
        word:   .word 0x11223344
        slot:   .word 0
            .text
            .globl _start
        _start:
            la t0, word
            lw a1, 0(t0)
            lw a2, 4(t0)
            add a3, a1, a1
            add a3, a3, a3
            sw a3, 4(t0)
            lw a4, 4(t0)
            addi x0, x0, 5
            add a5, x0, a4
            mv a0, t0
            li a1, 4
            li a7, 3
            ecall
            mv a0, a5
            li a7, 0
            ecall
        """;

    internal static readonly Lazy<(MachineProgram Program, MachineWitness Witness, MachineProof Proof)> Honest = new(() =>
    {
        var program = new MachineProgram(HarvardProgram.Load(Guests.FromText("attack.S", Guest, bare: true)));
        var witness = MachineProver.Witness(program, ReadOnlyMemory<byte>.Empty);
        return (program, witness, MachineProver.Prove(program, ReadOnlyMemory<byte>.Empty));
    });

    [Fact]
    public void The_honest_run_is_what_the_guest_computes()
    {
        var (program, witness, proof) = Honest.Value;
        Assert.Equal(4u * 0x11223344u, proof.Claim.ExitCode);
        Assert.Equal(new byte[] { 0x44, 0x33, 0x22, 0x11 }, proof.Claim.Journal);
        new MachineCircuit(program).Check(witness);
        MachineVerifier.Verify(program, proof.Claim, proof.Proof);
    }

    /// <summary>
    /// The honest traces proved again under a forged claim: the transcript, and so the LogUp proof of work,
    /// is then the forged statement's, and only the bus balance that binds the claim can reject it.
    /// </summary>
    static void AssertClaimRejected(Func<MachineClaim, MachineClaim> forge)
    {
        var (program, witness, proof) = Honest.Value;
        var circuit = new MachineCircuit(program);
        var forged = forge(proof.Claim);
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, circuit.Traces(witness), forged);
    }

    [Fact]
    public void A_journal_changed_after_proving_is_rejected()
    {
        AssertClaimRejected(c => c with { Journal = [0x45, .. c.Journal[1..]] });
        AssertClaimRejected(c => c with { Journal = [.. c.Journal, 0] });
        AssertClaimRejected(c => c with { Journal = c.Journal[..^1] });
        AssertClaimRejected(c => c with { Journal = [c.Journal[1], c.Journal[0], .. c.Journal[2..]] });
    }

    [Fact]
    public void A_changed_exit_code_or_cycle_count_is_rejected()
    {
        AssertClaimRejected(c => c with { ExitCode = c.ExitCode ^ 1 });
        AssertClaimRejected(c => c with { ExitCode = c.ExitCode ^ 0x10000 });
        AssertClaimRejected(c => c with { Cycles = c.Cycles - 1 });
        AssertClaimRejected(c => c with { Cycles = c.Cycles + 1 });
    }

    [Fact]
    public void A_changed_claim_under_the_honest_proof_fails_its_transcript()
    {
        // Without proving again, the claim's public terms change the transcript: the proof of work fails first.
        var (program, _, proof) = Honest.Value;
        Verdict.Rejected(StarkErrors.LogUpProofOfWork,
            () => MachineVerifier.Verify(program, proof.Claim with { ExitCode = proof.Claim.ExitCode ^ 1 }, proof.Proof));
    }

    [Fact]
    public void A_proof_checked_against_another_program_is_rejected()
    {
        var (_, _, proof) = Honest.Value;
        var other = new MachineProgram(HarvardProgram.Load(Guests.DirectedElf("alu.S")));
        // Another ROM is another program table height: the proof's shape is not the statement's.
        Verdict.Rejected(StarkErrors.StatementMismatch, () => MachineVerifier.Verify(other, proof.Claim, proof.Proof));
    }

    [Fact]
    public void A_swapped_or_edited_rom_entry_is_another_program()
    {
        var (program, witness, _) = Honest.Value;
        var words = program.Words.ToArray();
        (words[2], words[3]) = (words[3], words[2]);
        var swapped = new MachineProgram(program.Entry, program.CodeBase, words, program.Image, program.Map.Regions);
        Assert.NotEqual(program.ImageId, swapped.ImageId);
        // The honest run proved against the swapped ROM: its rows fetch instructions the ROM does not hold.
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, new MachineCircuit(swapped), new MachineCircuit(swapped).Traces(witness), MachineCircuit.ClaimOf(witness));

        words = program.Words.ToArray();
        words[^1] ^= 1 << 20; // ecall → ebreak
        var edited = new MachineProgram(program.Entry, program.CodeBase, words, program.Image, program.Map.Regions);
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, new MachineCircuit(edited), new MachineCircuit(edited).Traces(witness), MachineCircuit.ClaimOf(witness));
    }

    [Fact]
    public void An_image_word_changed_or_left_out_is_rejected()
    {
        var (program, witness, _) = Honest.Value;
        var image = program.Image.Select(w => w.Space == MachineLayout.MemorySpace ? w with { Value = w.Value + 1 } : w).ToList();
        var other = new MachineProgram(program.Entry, program.CodeBase, program.Words, image, program.Map.Regions);
        Assert.NotEqual(program.ImageId, other.ImageId);

        // The boundary opens the image word with a value the image does not hold, consistently with the loads.
        // The image words opened as ordinary zero cells instead; the loads still read the image's values.
        var forged = Forge(witness, boundary: b => b.Select(e => e.InImage && e.Space == MachineLayout.MemorySpace ? e with { InImage = false, Initial = 0 } : e).ToArray());
        AssertRejected(StarkErrors.BusUnbalanced, program, witness, forged);
    }

    [Fact]
    public void A_run_cut_before_halt_is_rejected()
    {
        var (program, witness, _) = Honest.Value;
        var steps = witness.Steps[..^1];
        var forged = new MachineWitness(steps, witness.Transfers, witness.Boundary, witness.ExitCode, witness.Journal);
        AssertRejected(StarkErrors.BusUnbalanced, program, witness, forged, MachineCircuit.ClaimOf(witness));
        AssertRejected(StarkErrors.BusUnbalanced, program, witness, forged, MachineCircuit.ClaimOf(witness) with { Cycles = witness.Cycles - 1 });
    }

    [Fact]
    public void A_timestamp_that_goes_backwards_is_rejected()
    {
        var (program, witness, _) = Honest.Value;
        var circuit = new MachineCircuit(program);
        var traces = BackwardsTimestamp(circuit, witness, out _);
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, traces, MachineCircuit.ClaimOf(witness));
    }

    /// <summary>
    /// add a3, a1, a1 reads a1 at ts (rs1) and ts + 1 (rs2). The forger swaps the two reads in a1's chain:
    /// rs2 takes the state before the instruction, rs1 the state rs2 leaves (ts + 1, a read from the future),
    /// and a1's next access (li a1, 4) the state rs1 leaves (ts). Every memory tuple balances, and rs1's gap
    /// ts − (ts + 1) − 1 = −2 is solved in the field: lo = 0xFFFF a u16, hi = 0x77FF no byte. Only the
    /// range check on hi can tell; the byte table answers every other lookup.
    /// </summary>
    internal static TableTrace[] BackwardsTimestamp(MachineCircuit circuit, MachineWitness witness, out int row)
    {
        int i = Array.FindIndex(witness.Steps, s => s.Record.Instruction is { Op: Opcode.Add, Rs1: 11, Rs2: 11 });
        int next = Array.FindIndex(witness.Steps, i + 1, s => s.Record.Instruction.Rd == 11);
        Assert.True(i >= 0 && next > i);
        var forged = Forge(witness, steps: s =>
        {
            uint ts = s[i].Ts;
            s[i].Rs2 = s[i].Rs2 with { PrevTs = s[i].Rs1.PrevTs };
            s[i].Rs1 = s[i].Rs1 with { PrevTs = ts + 1 };
            s[next].Rd = s[next].Rd with { PrevTs = ts };
        });
        var traces = circuit.ByteTableUsers(forged);
        var alu = traces.Single(t => t.Air.Name == "alu");
        row = witness.Steps.Take(i).Count(s => AluChip.Opcodes.Contains(s.Record.Instruction.Op));
        int lo = Columns.Index(alu.Air, "Rs1.DiffLo"), hi = Columns.Index(alu.Air, "Rs1.DiffHi");
        alu.Main[row, lo] = BabyBear.FromCanonical((BabyBear.P - 2) & 0xFFFF);
        alu.Main[row, hi] = BabyBear.Zero;
        var bytes = circuit.BytesTrace(traces);
        alu.Main[row, hi] = BabyBear.FromCanonical((BabyBear.P - 2) >> 16);
        foreach (var table in traces) TraceChecker.CheckConstraints(table);
        return [.. traces, bytes];
    }

    [Fact]
    public void A_stale_operand_when_rs1_rs2_and_rd_are_one_register_is_rejected()
    {
        var (program, witness, _) = Honest.Value;
        int i = Array.FindIndex(witness.Steps, s => s.Record.Instruction is { Op: Opcode.Add, Rd: 13, Rs1: 13, Rs2: 13 });
        Assert.True(i > 0);
        // rs2 claims the register's state from before rs1's read (RISC Zero's aliasing bug).
        var forged = Forge(witness, steps: s => s[i].Rs2 = s[i].Rs2 with { PrevTs = s[i].Rs1.PrevTs });
        // The gap limbs follow the forged prevTs, so only the memory bus (the old state taken twice) can tell.
        AssertRejected(StarkErrors.BusUnbalanced, program, witness, forged);
    }

    [Fact]
    public void A_load_returning_a_value_never_stored_is_rejected()
    {
        var (program, witness, _) = Honest.Value;
        int i = Array.FindIndex(witness.Steps, s => s.Record.Instruction.Op == Opcode.Lw && s.Record.Instruction.Rd == 12);
        var forged = Forge(witness, steps: s =>
        {
            s[i].Mem = s[i].Mem with { PrevValue = 77, Value = 77 };
            s[i].Record = s[i].Record with { MemValue = 77, RdValue = 77 };
            s[i].Rd = s[i].Rd with { Value = 77 };
        });
        AssertRejected(StarkErrors.BusUnbalanced, program, witness, forged);
    }

    [Fact]
    public void A_write_to_x0_that_sticks_is_rejected()
    {
        var (program, witness, _) = Honest.Value;
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        int t = Array.FindIndex(traces, x => x.Air.Name == "alu");
        int column = Columns.Index(traces[t].Air, "WritesRd");
        int row = witness.Steps.Where(s => AluChip.Opcodes.Contains(s.Record.Instruction.Op)).ToList()
            .FindIndex(s => s.Record.Instruction is { Op: Opcode.Addi, Rd: 0, Imm: 5 });
        Assert.True(Forgery.Caught(traces[t], row, column, BabyBear.One));
        traces[t].Main[row, column] = BabyBear.One;
        // The write's timestamp gap is filled in consistently (from x0's opening at 0), so every constraint
        // holds: only the ROM's WritesRd = 0 for rd = x0, on the program bus, can refuse the write.
        var m = traces[t].Main;
        uint gap = m[row, Columns.Index(traces[t].Air, "Ts")].ToCanonical() + MachineLayout.SlotRd - 1;
        m[row, Columns.Index(traces[t].Air, "Rd.DiffLo")] = BabyBear.FromCanonical(gap & 0xFFFF);
        m[row, Columns.Index(traces[t].Air, "Rd.DiffHi")] = BabyBear.FromCanonical(gap >> 16);
        TraceChecker.CheckConstraints(traces[t]);
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, traces, MachineCircuit.ClaimOf(witness));
    }

    /// <summary>A copy of the witness with its steps or boundary edited.</summary>
    static MachineWitness Forge(MachineWitness w, Action<MachineStep[]>? steps = null, Func<BoundaryEntry[], BoundaryEntry[]>? boundary = null)
    {
        var s = w.Steps.ToArray();
        steps?.Invoke(s);
        return new MachineWitness(s, w.Transfers, boundary?.Invoke(w.Boundary) ?? w.Boundary, w.ExitCode, w.Journal);
    }

    /// <summary>The forged run fails the debug check, and its proof (a cheating prover's best) is rejected.</summary>
    static void AssertRejected(string code, MachineProgram program, MachineWitness honest, MachineWitness forged, MachineClaim? claim = null)
    {
        claim ??= MachineCircuit.ClaimOf(honest);
        var circuit = new MachineCircuit(program);
        var traces = ForgedTraces(circuit, honest, forged);
        Assert.ThrowsAny<ZkVmException>(() => TraceChecker.Check(traces, circuit.PublicBus(claim)));
        Verdict.ProofRejected(code, circuit, traces, claim);
    }

    /// <summary>
    /// The forged run's traces. A forged row may ask the byte table for a value it does not hold; no byte
    /// table can answer that, so the cheating prover keeps the honest run's byte table.
    /// </summary>
    static TableTrace[] ForgedTraces(MachineCircuit circuit, MachineWitness honest, MachineWitness forged)
    {
        try
        {
            return circuit.Traces(forged);
        }
        catch (ZkVmException e) when (e.Code == MachineErrors.WitnessMismatch)
        {
            var honestBytes = circuit.Traces(honest).Single(t => t.Air.Name == "bytes");
            return [.. circuit.ByteTableUsers(forged), honestBytes];
        }
    }

}
