using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

/// <summary>Proofs of wrong witnesses, tampered proofs and wrong statements are rejected with typed reasons.</summary>
public class StarkSoundnessTests
{
    /// <summary>
    /// A light parameter set for sweeps of many proofs: the rejections below come from the constraint,
    /// bus and opening checks, not from FRI's query count, so a few queries suffice (and the verifier
    /// is told to accept the low security explicitly).
    /// </summary>
    internal static readonly SecurityParameters Light = new(1, 8, 0, 1, BatchingMode.IndependentCoefficients);

    private static void Verify(TableTrace[] tables, StarkProof proof) => StarkVerifier.Verify(StarkStatement.For(tables), proof, minimumBits: 0);

    private static TableTrace[] Example(string name) => name switch
    {
        "fibonacci" => [FibonacciAir.Trace(8)],
        "range-check" => StarkProverTests.RangeCheck(8, 3),
        _ => StarkProverTests.Permutation(8, 4),
    };

    public static TheoryData<string> Examples() => ["fibonacci", "range-check", "permutation"];

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_proof_of_any_single_changed_cell_is_rejected(string example)
    {
        TableTrace[] honest = Example(example);
        Verify(honest, StarkProver.Prove(honest, Light));
        var cells = honest.SelectMany((t, ti) => Enumerable.Range(0, t.Main.Values.Length).Select(i => (ti, i))).ToArray();
        Parallel.ForEach(cells, cell =>
        {
            TableTrace[] tables = Example(example);
            tables[cell.ti].Main.Values[cell.i] += BabyBear.One;
            // The prover does not run the debug check: it proves whatever it is given.
            StarkProof proof = StarkProver.Prove(tables, Light);
            var e = Assert.Throws<ZkVmException>(() => Verify(tables, proof));
            Assert.True(e.Code is StarkErrors.ConstraintsViolated or StarkErrors.BusUnbalanced, $"table {cell.ti} element {cell.i}: {e.Message}");
        });
    }

    /// <summary>
    /// The tables share one quotient (docs/PROTOCOL.md §8.3), so a forger would make two tables' violations cancel in it:
    /// two Fibonacci tables of one height, one with a cell raised by e and the other with the same cell lowered by e.
    /// Every constraint's values on the two add up to zero on the whole domain (their cellwise sum is a valid trace with
    /// doubled public values), so with the tables weighted alike the quotient would be a polynomial and the proof accepted.
    /// Each table's fold is weighted by its own powers of α (γ_t), and the verifier rejects it.
    /// </summary>
    [Fact]
    public void Two_tables_whose_violations_cancel_in_the_shared_quotient_are_rejected()
    {
        TableTrace a = FibonacciAir.Trace(16), b = FibonacciAir.Trace(16);
        BabyBear e = BabyBear.FromCanonical(5);
        a.Main[7, 0] += e;
        b.Main[7, 0] -= e;
        Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(a));
        Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(b));
        var sum = new RowMajorMatrix(a.Main.Values.Zip(b.Main.Values, (x, y) => x + y).ToArray(), 2);
        TraceChecker.CheckConstraints(new TableTrace(a.Air, sum, [.. a.PublicValues.Zip(b.PublicValues, (x, y) => x + y)]));

        TableTrace[] tables = [a, b];
        var e2 = Assert.Throws<ZkVmException>(() => Verify(tables, StarkProver.Prove(tables, Light)));
        Assert.Equal(StarkErrors.ConstraintsViolated, e2.Code);
    }

    /// <summary>
    /// Only the columns the constraints read on the next row are opened at ζω (<see cref="NextColumns"/>): of the LogUp
    /// columns, the suffix sum's four parts. A proof that opens all of them there, as format 5 did, or fewer, is malformed.
    /// </summary>
    [Fact]
    public void Openings_at_the_next_row_are_exactly_the_columns_read_there()
    {
        // Three lookups per row: two LogUp groups, so one fraction column beside S.
        var values = new uint[16, 3];
        for (int i = 0; i < 16; i++) for (int c = 0; c < 3; c++) values[i, c] = (uint)(7 * i + c) % 256;
        TableTrace[] tables = [TripleByteValuesAir.Trace(values), ByteTableAir.Trace(Enumerable.Range(0, 16).SelectMany(i => new[] { values[i, 0], values[i, 1], values[i, 2] }))];
        var proof = StarkProver.Prove(tables, Light, clear: ClearTablePolicy.None);
        Verify(tables, proof);
        int t = Array.FindIndex(proof.Openings, o => o.Aux.Length > 4);
        var o = proof.Openings[t];
        Assert.Equal(4, o.AuxNext.Length);
        StarkProof With(TableOpenings changed)
        {
            var openings = (TableOpenings[])proof.Openings.Clone();
            openings[t] = changed;
            return proof with { Openings = openings };
        }
        foreach (var (changed, expected) in new[]
        {
            (o with { AuxNext = [.. o.Aux] }, $"{o.Aux.Length} values for LogUp columns at ζω, expected 4"),
            (o with { AuxNext = o.AuxNext[..^1] }, "3 values for LogUp columns at ζω, expected 4"),
            (o with { MainNext = [.. o.MainNext, BabyBearExt4.One] }, $"{o.MainNext.Length + 1} values for main columns at ζω, expected {o.MainNext.Length}"),
        })
        {
            var e = Assert.Throws<ZkVmException>(() => Verify(tables, With(changed)));
            Assert.Equal(StarkErrors.Malformed, e.Code);
            Assert.Contains(expected, e.Message);
        }
    }

    [Fact]
    public void A_logup_proof_of_work_witness_that_was_not_ground_is_rejected()
    {
        TableTrace[] tables = Example("range-check");
        var proof = StarkProver.Prove(tables, Light with { LogUpPowBits = 8 });
        Verify(tables, proof);
        var e = Assert.Throws<ZkVmException>(() => Verify(tables, proof with { LogUpPowWitness = proof.LogUpPowWitness + BabyBear.One }));
        Assert.Equal(StarkErrors.LogUpProofOfWork, e.Code);
    }

    [Fact]
    public void Challenge_proof_of_work_witnesses_that_were_not_ground_are_rejected()
    {
        TableTrace[] tables = Example("range-check");
        var proof = StarkProver.Prove(tables, Light with { ChallengePowBits = 8 });
        Verify(tables, proof);
        Assert.Equal(StarkErrors.ChallengeProofOfWork,
            Assert.Throws<ZkVmException>(() => Verify(tables, proof with { DeepPowWitness = proof.DeepPowWitness + BabyBear.One })).Code);
        Assert.Equal(StarkErrors.ChallengeProofOfWork,
            Assert.Throws<ZkVmException>(() => Verify(tables, proof with { BatchingPowWitness = proof.BatchingPowWitness + BabyBear.One })).Code);
        BabyBear[] layers = [.. proof.Fri.CommitPowWitnesses];
        layers[^1] += BabyBear.One;
        Assert.Equal(Fri.FriErrors.CommitProofOfWork,
            Assert.Throws<ZkVmException>(() => Verify(tables, proof with { Fri = proof.Fri with { CommitPowWitnesses = layers } })).Code);
        Assert.Equal(SecurityErrors.InvalidParameters,
            Assert.Throws<ZkVmException>(() => Verify(tables, proof with { Parameters = proof.Parameters with { ChallengePowBits = 28 } })).Code);
    }

    [Fact]
    public void A_lookup_of_a_value_not_in_the_table_is_rejected()
    {
        uint[] values = [1, 2, 3, 300];
        TableTrace[] tables = [ByteValuesAir.Trace(values), ByteTableAir.Trace(values.Where(v => v < 256))];
        var e = Assert.Throws<ZkVmException>(() => Verify(tables, StarkProver.Prove(tables, Light)));
        Assert.Equal(StarkErrors.BusUnbalanced, e.Code);
    }

    /// <summary>The byte table's AIR without its pinned height: what a cheating prover would like to prove with.</summary>
    private sealed class UnpinnedByteTableAir : IAir
    {
        private readonly ByteTableAir inner = new();
        public string Name => inner.Name;
        public int MainWidth => 1;
        public int PreprocessedWidth => 1;
        public RowMajorMatrix? Preprocessed(int height) => inner.Preprocessed(height);
        public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => inner.Eval<TB, TE>(b);
    }

    [Fact]
    public void A_lookup_table_of_the_wrong_height_is_rejected()
    {
        // A 512-row "byte table" holds 300, so the lookup balances; only the pinned height stops it.
        uint[] values = [1, 2, 3, 300];
        var table = new RowMajorMatrix(1, 512);
        foreach (uint v in values) table[(int)v, 0] += BabyBear.One;
        TableTrace[] forged = [ByteValuesAir.Trace(values), new TableTrace(new UnpinnedByteTableAir(), table)];
        StarkProof proof = StarkProver.Prove(forged, Light);
        StarkVerifier.Verify(StarkStatement.For(forged), proof, minimumBits: 0); // balanced for the wrong statement
        var honestStatement = new StarkStatement([new ByteValuesAir(), new ByteTableAir()], [[], []], []);
        var e = Assert.Throws<ZkVmException>(() => StarkVerifier.Verify(honestStatement, proof, minimumBits: 0));
        Assert.Equal(StarkErrors.StatementMismatch, e.Code);
        Assert.Equal(AirErrors.TraceShape, Assert.Throws<ZkVmException>(() => new TableTrace(new ByteTableAir(), table)).Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void A_multiplicity_off_by_one_is_rejected(int delta)
    {
        uint[] values = [7, 7, 9, 200];
        TableTrace[] tables = [ByteValuesAir.Trace(values), ByteTableAir.Trace(values)];
        tables[1].Main[7, 0] += delta > 0 ? BabyBear.One : -BabyBear.One;
        var e = Assert.Throws<ZkVmException>(() => Verify(tables, StarkProver.Prove(tables, Light)));
        Assert.Equal(StarkErrors.BusUnbalanced, e.Code);
    }

    [Fact]
    public void A_changed_public_value_is_rejected()
    {
        TableTrace[] tables = [FibonacciAir.Trace(16)];
        StarkProof proof = StarkProver.Prove(tables, Light);
        for (int i = 0; i < 3; i++)
        {
            var publics = (BabyBear[])tables[0].PublicValues.Clone();
            publics[i] += BabyBear.One;
            var statement = new StarkStatement([tables[0].Air], [publics], []);
            Assert.Throws<ZkVmException>(() => StarkVerifier.Verify(statement, proof, minimumBits: 0));
        }
    }

    /// <summary>The byte table with one fixed entry changed: a different verification key.</summary>
    private sealed class AlteredByteTableAir : IAir
    {
        private readonly ByteTableAir inner = new();
        public string Name => inner.Name;
        public int MainWidth => inner.MainWidth;
        public int PreprocessedWidth => inner.PreprocessedWidth;
        public RowMajorMatrix? Preprocessed(int height)
        {
            var m = inner.Preprocessed(height)!;
            m[255, 0] = BabyBear.FromCanonical(300);
            return m;
        }
        public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> => inner.Eval<TB, TE>(b);
    }

    [Fact]
    public void A_different_verification_key_is_rejected()
    {
        TableTrace[] tables = StarkProverTests.RangeCheck(8, 5);
        StarkProof proof = StarkProver.Prove(tables, Light);
        var statement = new StarkStatement([tables[0].Air, new AlteredByteTableAir()], [[], []], []);
        Assert.Throws<ZkVmException>(() => StarkVerifier.Verify(statement, proof, minimumBits: 0));
    }

    [Fact]
    public void A_proof_below_the_verifiers_minimum_security_is_rejected()
    {
        TableTrace[] tables = [FibonacciAir.Trace(8)];
        StarkProof weak = StarkProver.Prove(tables, Light);
        var e = Assert.Throws<ZkVmException>(() => StarkVerifier.Verify(StarkStatement.For(tables), weak));
        Assert.Equal(SecurityErrors.BelowMinimum, e.Code);
        // The conjectured preset clears a conjectured minimum but not the default proven one.
        StarkProof conjectured = StarkProver.Prove(tables, SecurityPresets.Parameters(SecurityPreset.Conjectured100));
        StarkVerifier.Verify(StarkStatement.For(tables), conjectured, 100, SecurityRegime.Conjectured);
        Assert.Equal(SecurityErrors.BelowMinimum, Assert.Throws<ZkVmException>(() => StarkVerifier.Verify(StarkStatement.For(tables), conjectured)).Code);
    }

    [Fact]
    public void A_proof_that_misstates_its_statement_shape_is_rejected()
    {
        TableTrace[] tables = StarkProverTests.RangeCheck(8, 7);
        StarkProof proof = StarkProver.Prove(tables, Light);
        // A smaller claimed LogUp load would make the proof's bit table look better than it is.
        var lying = proof with { Shape = proof.Shape with { NumLogUpFractions = 0 } };
        Assert.Equal(StarkErrors.StatementMismatch, Assert.Throws<ZkVmException>(() => Verify(tables, lying)).Code);
    }

    private static TableTrace[] TamperSubject() => [FibonacciAir.Trace(4), .. StarkProverTests.Permutation(4, 6)];

    [Fact]
    public void Flipping_any_of_2000_sampled_bytes_is_rejected_with_a_typed_reason()
    {
        TableTrace[] tables = TamperSubject();
        byte[] good = StarkProofFormat.Write(StarkProver.Prove(tables, Light));
        StarkVerifier.Verify(StarkStatement.For(tables), StarkProofFormat.Read(good), minimumBits: 0);
        var r = new Random(11);
        int[] positions = [.. Enumerable.Range(0, 2000).Select(_ => r.Next(good.Length))];
        Parallel.ForEach(positions, position =>
        {
            byte[] bad = (byte[])good.Clone();
            bad[position] ^= (byte)(1 + position % 255);
            AssertRejected(tables, bad, $"byte {position}");
        });
    }

    [Fact]
    public void Truncation_at_every_length_and_appended_bytes_are_rejected()
    {
        TableTrace[] tables = TamperSubject();
        byte[] good = StarkProofFormat.Write(StarkProver.Prove(tables, Light));
        Parallel.For(0, good.Length, length =>
        {
            var e = Assert.Throws<ZkVmException>(() => StarkProofFormat.Read(good.AsSpan(0, length)));
            Assert.StartsWith("ZK30", e.Code);
        });
        foreach (byte[] extra in new[] { new byte[] { 0 }, new byte[] { 1, 2, 3 }, new byte[1000] })
            Assert.Equal(ProofFormatErrors.TrailingBytes, Assert.Throws<ZkVmException>(() => StarkProofFormat.Read([.. good, .. extra])).Code);
    }

    private static void AssertRejected(TableTrace[] tables, byte[] bytes, string what)
    {
        try
        {
            StarkVerifier.Verify(StarkStatement.For(tables), StarkProofFormat.Read(bytes), minimumBits: 0);
        }
        catch (ZkVmException)
        {
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: untyped {e.GetType().Name}: {e.Message}");
        }
        Assert.Fail($"{what}: tampered proof accepted");
    }
}
