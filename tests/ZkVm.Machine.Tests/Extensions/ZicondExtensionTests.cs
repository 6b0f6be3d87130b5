using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Tests.Chips;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Samples.Zicond;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Extensions;

/// <summary>
/// A machine extension from its own assembly (samples/zicond): the emulator runs its instructions, its chip proves
/// them, and the extension set is bound into the ImageId and the verification key, so a proof on one machine never
/// verifies on another.
/// </summary>
public sealed class ZicondExtensionTests
{
    static readonly ExtensionSet Zicond = new([new ZicondExtension()]);

    /// <summary>Each case the chip distinguishes, checked by the guest itself: a condition of 0, one nonzero only in its
    /// high limb or only in its low limb, rs1 = rs2, rd = rs1 = rs2, rd = x0, and a result read again.</summary>
    const string Source = """
            li t0, 0x12345678
            li t1, 0
            li t2, 0x10000
            li t3, 1
            .insn r 0x33, 5, 7, a1, t0, t1
            bnez a1, fail
            .insn r 0x33, 5, 7, a2, t0, t2
            bne a2, t0, fail
            .insn r 0x33, 7, 7, a3, t0, t1
            bne a3, t0, fail
            .insn r 0x33, 7, 7, a4, t0, t3
            bnez a4, fail
            .insn r 0x33, 7, 7, a4, t0, t2
            bnez a4, fail
            .insn r 0x33, 5, 7, a5, t0, t0
            bne a5, t0, fail
            li t5, -1
            .insn r 0x33, 5, 7, t5, t5, t5
            li t6, -1
            bne t5, t6, fail
            .insn r 0x33, 5, 7, zero, t0, t2
            bnez zero, fail
            .insn r 0x33, 7, 7, t4, t0, zero
            .insn r 0x33, 5, 7, t4, t4, t4
            bne t4, t0, fail
            j ok
        fail:
            li a0, 1
            li a7, 0
            ecall
        ok:
        """;

    static readonly Lazy<string> Elf = new(() => ChipHarness.Bare("zicond_cases.S", Source));

    static readonly Lazy<(MachineProgram Program, MachineWitness Witness)> Run = new(() => MachineRuns.On(Zicond, Elf.Value));

    /// <summary>One proof of the cases on the Zicond machine, shared by the tests that verify it.</summary>
    static readonly Lazy<MachineProof> Proof = new(() => MachineProver.Prove(Run.Value.Program, ReadOnlyMemory<byte>.Empty));

    /// <summary>The same program parts on plain RV32IM: what a verifier without the extension rebuilds.</summary>
    static MachineProgram OnRv32im(MachineProgram p) => new(p.Entry, p.CodeBase, p.Words, p.Image, p.Map.Regions);

    [Fact]
    public void TheEmulatorRunsTheExtensionAndTrapsWithoutIt()
    {
        var result = Interpreter.Run(HarvardProgram.Load(Elf.Value, Zicond.Isa), ReadOnlyMemory<byte>.Empty);
        Assert.Null(result.Trap);
        Assert.Equal(0, result.ExitCode);
        var (_, reference) = ReExecutor.RunWithRecords(HarvardProgram.Load(Elf.Value, Zicond.Isa), ReadOnlyMemory<byte>.Empty);
        Assert.Equal(result.Registers, reference.Registers);
        Assert.Equal(result.Cycles, reference.Cycles);

        var plain = Interpreter.Run(HarvardProgram.Load(Elf.Value), ReadOnlyMemory<byte>.Empty);
        Assert.Equal(TrapCause.IllegalInstruction, plain.Trap?.Cause);
    }

    [Fact]
    public void TheRunPassesTheDebugCheckAndTheChipWritesWhatTheEmulatorComputed()
    {
        var (program, witness) = Run.Value;
        new MachineCircuit(program).Check(witness);
        var (table, steps) = ChipHarness.Fill(Zicond.Chips[^1], witness);
        Assert.Equal(10, steps.Length);
        ChipHarness.AssertHonest(table, steps);
    }

    [Fact]
    public void AProofVerifiesOnlyOnTheMachineItWasMadeOn()
    {
        var (program, _) = Run.Value;
        var proof = Proof.Value;
        MachineVerifier.Verify(program, proof.Claim, proof.Proof);
        // Without the extension the ROM decodes the czero words as illegal and the machine has no zicond table:
        // the proof has one table too many for the verifier's statement.
        var plain = OnRv32im(program);
        Assert.NotEqual(program.ImageId, plain.ImageId);
        Verdict.Rejected(StarkErrors.Malformed, () => MachineVerifier.Verify(plain, proof.Claim, proof.Proof));
    }

    [Fact]
    public void APlainProofIsRejectedByAVerifierThatExpectsTheExtension()
    {
        var (plain, _) = MachineRuns.X0Writes();
        var proof = MachineProver.Prove(plain, ReadOnlyMemory<byte>.Empty);
        MachineVerifier.Verify(plain, proof.Claim, proof.Proof);
        var extended = new MachineProgram(plain.Entry, plain.CodeBase, plain.Words, plain.Image, plain.Map.Regions, Zicond);
        Assert.NotEqual(plain.ImageId, extended.ImageId);
        Verdict.Rejected(StarkErrors.Malformed, () => MachineVerifier.Verify(extended, proof.Claim, proof.Proof));
    }

    /// <summary>The row of the chip's table that proves the <paramref name="nth"/> zicond instruction of the run.</summary>
    static (TableTrace Table, int Row, MachineStep Step) RowOf(int nth)
    {
        var (table, steps) = ChipHarness.Fill(Zicond.Chips[^1], Run.Value.Witness);
        return (table, nth, steps[nth]);
    }

    static int Col(string name) => Columns.Index(Zicond.Chips[^1], name);

    [Fact]
    public void AZeroConditionCannotPassForNonzero()
    {
        // czero.eqz a1, t0, t1 with t1 = 0: claim "nonzero" and the result rs1 it would then give.
        var (table, row, step) = RowOf(0);
        Assert.Equal(0u, step.Record.Rs2Value);
        var forged = ChipHarness.With(table, m =>
        {
            m[row, Col("NonZero")] = BabyBear.One;
            m[row, Col("ConditionInverse")] = BabyBear.FromCanonical(7);
            m[row, Col("ResultLo")] = m[row, Col("ValueLo")];
            m[row, Col("ResultHi")] = m[row, Col("ValueHi")];
        });
        Assert.Equal("constraint 18 (local.NonZero - sum * local.ConditionInverse)", ChipHarness.Rejects(table, forged, row));
    }

    [Fact]
    public void ANonzeroConditionCannotPassForZero()
    {
        // czero.eqz a2, t0, t2 with t2 = 0x10000 (low limb 0): claim "zero" and the result 0.
        var (table, row, step) = RowOf(1);
        Assert.Equal(0x10000u, step.Record.Rs2Value);
        var forged = ChipHarness.With(table, m =>
        {
            m[row, Col("NonZero")] = BabyBear.Zero;
            m[row, Col("ConditionInverse")] = BabyBear.Zero;
            m[row, Col("ResultLo")] = BabyBear.Zero;
            m[row, Col("ResultHi")] = BabyBear.Zero;
        });
        Assert.Equal("constraint 19 (sum * (one - local.NonZero))", ChipHarness.Rejects(table, forged, row));
    }

    [Theory]
    [InlineData("ResultLo", "constraint 20 (local.ResultLo - local.ValueLo * keep)")]
    [InlineData("ResultHi", "constraint 21 (local.ResultHi - local.ValueHi * keep)")]
    public void TheResultIsTheSelectedValue(string column, string constraint)
    {
        var (table, row, _) = RowOf(1);
        var forged = ChipHarness.With(table, m => m[row, Col(column)] += BabyBear.One);
        Assert.Equal(constraint, ChipHarness.Rejects(table, forged, row));
    }

    [Fact]
    public void TheOtherInstructionsSelectorIsTheOtherOpcode()
    {
        // czero.eqz zero, t0, t2 keeps t0 (unwritten); as czero.nez it gives 0, consistently, but the ROM says eqz.
        var (table, row, _) = RowOf(7);
        var forged = ChipHarness.With(table, m =>
        {
            m[row, Col("IsEqz")] = BabyBear.Zero;
            m[row, Col("IsNez")] = BabyBear.One;
            m[row, Col("ResultLo")] = BabyBear.Zero;
            m[row, Col("ResultHi")] = BabyBear.Zero;
        });
        Assert.Equal("bus program", ChipHarness.Rejects(table, forged, row));
    }

    [Fact]
    public void TheInverseIsZeroWhereTheConditionIs()
    {
        // czero.eqz a1, t0, t1 with t1 = 0: any inverse satisfies NonZero = s·inverse there; only its own constraint fixes it.
        var (table, row, _) = RowOf(0);
        var forged = ChipHarness.With(table, m => m[row, Col("ConditionInverse")] = BabyBear.FromCanonical(5));
        Assert.Equal("constraint 22 (local.ConditionInverse * (one - local.NonZero))", ChipHarness.Rejects(table, forged, row));
    }

    [Theory]
    [InlineData("ValueLo", "constraint 23 (idle * column)")]
    [InlineData("ValueHi", "constraint 24 (idle * column)")]
    [InlineData("ConditionLo", "constraint 25 (idle * column)")]
    [InlineData("ConditionHi", "constraint 26 (idle * column)")]
    public void APaddingRowHoldsNoOperands(string column, string constraint)
    {
        var (table, steps) = ChipHarness.Fill(Zicond.Chips[^1], Run.Value.Witness);
        int padding = steps.Length;
        Assert.True(padding < table.Height);
        // A consistent witness: a nonzero condition comes with NonZero = 1 and its inverse (1/1).
        var forged = ChipHarness.With(table, m =>
        {
            m[padding, Col(column)] = BabyBear.One;
            if (column.StartsWith("Condition")) m[padding, Col("NonZero")] = m[padding, Col("ConditionInverse")] = BabyBear.One;
        });
        Assert.Equal(constraint, ChipHarness.Rejects(table, forged, padding));
    }

    [Fact]
    public void AForgedResultReprovedIsRejected()
    {
        // The cheating prover's whole machine, re-proved: czero.eqz zero, t0, t2 (t2 = 0x10000) claims "t2 is zero" and
        // the result 0; rd = x0 writes nothing, so every bus still balances and only the chip's constraint can object.
        var (program, witness) = Run.Value;
        var (_, row, step) = RowOf(7);
        Assert.Equal(0, step.Record.Instruction.Rd);
        var circuit = new MachineCircuit(program);
        var traces = circuit.Traces(witness);
        int t = Array.FindIndex(traces, x => x.Air.Name == "zicond");
        traces[t] = ChipHarness.With(traces[t], m =>
        {
            m[row, Col("NonZero")] = BabyBear.Zero;
            m[row, Col("ConditionInverse")] = BabyBear.Zero;
            m[row, Col("ResultLo")] = BabyBear.Zero;
            m[row, Col("ResultHi")] = BabyBear.Zero;
        });
        Verdict.ProofRejected(StarkErrors.ConstraintsViolated, circuit, traces, MachineCircuit.ClaimOf(witness));
    }

    [Fact]
    public void TheSetIsCanonicalAndBoundIntoTheImageId()
    {
        Assert.Equal("rv32im+zicond", Zicond.ToString());
        Assert.Equal(["zicond"], Zicond.Names);
        Assert.Equal(Zicond.Commitment, new ExtensionSet([new ZicondExtension()]).Commitment);
        Assert.NotEqual(ExtensionSet.Rv32im.Commitment, Zicond.Commitment);
        var (program, _) = Run.Value;
        Assert.Equal(program.ImageId, new MachineProgram(program.Entry, program.CodeBase, program.Words, program.Image, program.Map.Regions, new ExtensionSet([new ZicondExtension()])).ImageId);
        Assert.Equal(["program", "image", "boundary", "page", "edge", .. Rv32imExtension.Instance.Chips.Select(c => c.Name), "zicond", "transfer", "bytes"],
            new MachineCircuit(program).Airs.Select(a => a.Name));
    }

    [Fact]
    public void TheDisassemblerNamesTheInstructions()
    {
        uint word = 0x0E000033 | 5u << 12 | 12u << 7 | 30u << 15 | 7u << 20; // funct3 5, rd a2, rs1 t5, rs2 t2
        Assert.Equal("czero.eqz\ta2,t5,t2", Disassembler.Format(word, 0x1000, Zicond.Isa));
        Assert.Equal($".word\t0x{word:x8}", Disassembler.Format(word, 0x1000));
    }
}
