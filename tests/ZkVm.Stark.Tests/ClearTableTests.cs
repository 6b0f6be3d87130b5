using System.Buffers.Binary;
using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

/// <summary>Tables sent in clear (<see cref="ClearTrace"/>): what the verifier derives from them, and how it checks them.</summary>
public class ClearTableTests
{
    private static readonly SecurityParameters Default = StarkProverTests.Default;

    /// <summary>A tall table whose random-looking values cost more in clear than opened, and a lookup pair that costs less.</summary>
    private static TableTrace[] Tables()
    {
        uint[] values = [.. Enumerable.Range(0, 16).Select(i => (uint)(37 * i + 5) % 256)];
        return [FibonacciAir.Trace(1 << 10), ByteValuesAir.Trace(values), ByteTableAir.Trace(values)];
    }

    private static readonly Lazy<(TableTrace[] Tables, StarkProof Proof)> Honest = new(() =>
    {
        var tables = Tables();
        return (tables, StarkProver.Prove(tables, Default));
    });

    private static void Verify(TableTrace[] tables, StarkProof proof) => StarkVerifier.Verify(StarkStatement.For(tables), proof);

    private static string Rejected(TableTrace[] tables, StarkProof proof) => Assert.Throws<ZkVmException>(() => Verify(tables, proof)).Code;

    [Fact]
    public void Small_tables_are_sent_in_clear_and_the_proof_verifies_smaller()
    {
        var (tables, proof) = Honest.Value;
        Verify(tables, proof);
        Assert.Equal([1, 2], proof.Clear.Select(c => c.Table));
        foreach (var clear in proof.Clear)
        {
            var o = proof.Openings[clear.Table];
            Assert.Empty(o.Main);
            Assert.Empty(o.Aux);
            Assert.Equal(tables[clear.Table].Main.Values.AsSpan(0, clear.Values.Length).ToArray(), clear.Values);
        }
        // Nothing else changes: the same commitments, challenges and FRI proof.
        var opened = StarkProver.Prove(tables, Default, clear: ClearTablePolicy.None);
        Verify(tables, opened);
        Assert.Empty(opened.Clear);
        Assert.Equal(opened.MainRoot, proof.MainRoot);
        Assert.Equal(opened.Fri.Commitments, proof.Fri.Commitments);
        Assert.True(StarkProofFormat.Write(proof).Length < StarkProofFormat.Write(opened).Length);
        Assert.True(proof.PartSizes().Single(p => p.Part == "clear").Bytes > 0);
    }

    [Fact]
    public void A_proof_with_tables_in_clear_reads_back_and_verifies()
    {
        var (tables, proof) = Honest.Value;
        byte[] bytes = StarkProofFormat.Write(proof);
        var read = StarkProofFormat.Read(bytes);
        Assert.Equal(proof.Clear.Count, read.Clear.Count);
        for (int i = 0; i < proof.Clear.Count; i++)
        {
            Assert.Equal(proof.Clear[i].Rows, read.Clear[i].Rows);
            Assert.Equal(proof.Clear[i].Values, read.Clear[i].Values);
        }
        Verify(tables, read);
        Assert.Equal(bytes, StarkProofFormat.Write(read));
    }

    [Fact]
    public void Zero_rows_at_the_end_of_a_table_in_clear_are_left_out()
    {
        // 16 looked-up values in a 256-row byte table: its multiplicities stop at the largest value.
        var (tables, proof) = Honest.Value;
        var byteTable = proof.Clear.Single(c => c.Table == 2);
        int last = Enumerable.Range(0, 256).Last(r => !tables[2].Main[r, 0].Equals(BabyBear.Zero));
        Assert.Equal(last + 1, byteTable.Rows);
    }

    /// <summary>
    /// A prover that commits a table, then, once the main root and so the challenges are fixed, proves and sends in clear
    /// another valid one (the same bytes in another order, so every bus still balances): every check at ζ and FRI pass,
    /// and only the Merkle openings of the rows the verifier derives from it tell it from the committed one.
    /// </summary>
    [Fact]
    public void A_table_in_clear_other_than_the_committed_one_is_rejected_by_its_derived_openings()
    {
        var tables = Tables();
        Verify(tables, StarkProver.ProveChangingAfterCommit(tables, Default, (_, t) => t));
        var forged = StarkProver.ProveChangingAfterCommit(tables, Default, (i, t) => i != 1 ? t : Swapped(t, 0, 1));
        Assert.Contains(forged.Clear, c => c.Table == 1);
        Assert.Equal(StarkErrors.OpeningMismatch, Rejected(tables, forged));
    }

    private static TableTrace Swapped(TableTrace table, int a, int b)
    {
        var m = table.Main.Clone();
        Assert.NotEqual(m[a, 0], m[b, 0]);
        var row = m.Row(a).ToArray();
        m.Row(b).CopyTo(m.Row(a));
        row.CopyTo(m.Row(b));
        return new TableTrace(table.Air, m, table.PublicValues);
    }

    [Fact]
    public void A_changed_value_in_clear_is_rejected()
    {
        static StarkProof Changed(StarkProof proof)
        {
            var clear = proof.Clear[0];
            var values = (BabyBear[])clear.Values.Clone();
            values[0] += BabyBear.One;
            return proof with { Clear = [clear with { Values = values }, .. proof.Clear.Skip(1)] };
        }
        var (tables, proof) = Honest.Value;
        // The values it derives at ζ are absorbed: the proof of work ground after the prover's no longer passes.
        Assert.Equal(StarkErrors.ChallengeProofOfWork, Rejected(tables, Changed(proof)));
        // Without that grinding, they do not satisfy the constraints with the committed quotient.
        var unground = StarkProver.Prove(tables, Default with { ChallengePowBits = 0 });
        var statement = StarkStatement.For(tables);
        StarkVerifier.Verify(statement, unground, minimumBits: 0);
        Assert.Equal(StarkErrors.ConstraintsViolated, Assert.Throws<ZkVmException>(() => StarkVerifier.Verify(statement, Changed(unground), minimumBits: 0)).Code);
    }

    [Fact]
    public void Tables_in_clear_must_fit_the_statement()
    {
        var (tables, proof) = Honest.Value;
        var first = proof.Clear[0];
        var cases = new (string Case, StarkProof Proof)[]
        {
            ("twice", proof with { Clear = [first, first, .. proof.Clear.Skip(1)] }),
            ("descending", proof with { Clear = [.. proof.Clear.Reverse()] }),
            ("no such table", proof with { Clear = [.. proof.Clear, first with { Table = tables.Length }] }),
            ("narrower", proof with { Clear = [first with { Width = first.Width - 1, Values = first.Values[..(first.Rows * (first.Width - 1))] }, .. proof.Clear.Skip(1)] }),
            ("taller", proof with { Clear = [first with { Rows = 2 * 16 + 1, Values = new BabyBear[(2 * 16 + 1) * first.Width] }, .. proof.Clear.Skip(1)] }),
            ("also opened at ζ", proof with { Clear = [] }),
            ("not opened at ζ", proof with { Clear = [new ClearTrace(0, 1, 2, [BabyBear.One, BabyBear.One]), .. proof.Clear] }),
        };
        foreach (var (name, changed) in cases)
        {
            var e = Assert.Throws<ZkVmException>(() => Verify(tables, changed));
            Assert.True(e.Code == StarkErrors.Malformed, $"{name}: {e.Message}");
        }
    }

    /// <summary>The verifier extends every clear table over its full height: their cells are bounded before any work.</summary>
    [Fact]
    public void Tables_in_clear_are_bounded_in_cells_before_the_verifier_extends_them()
    {
        var (tables, proof) = Honest.Value;
        var statement = StarkStatement.For(tables);
        var layouts = statement.Airs.Select(a => LogUp.LogUpLayout.For(AirShape.ForAir(a))).ToArray();
        // The fibonacci table (two columns, no LogUp) claimed at 2^21 rows and sent in clear with no rows: 2^22 cells, the bound.
        int[] heights = [21, .. proof.LogHeights.Skip(1)];
        var atBound = proof with { LogHeights = heights, Clear = [new ClearTrace(0, 0, 2, [])] };
        DerivedTables.CheckShape(statement, atBound, layouts);
        var e = Assert.Throws<ZkVmException>(() => DerivedTables.CheckShape(statement, atBound with { LogHeights = [22, .. heights.Skip(1)] }, layouts));
        Assert.Equal(StarkErrors.Malformed, e.Code);
        Assert.Contains($"more than {ClearTables.MaxCells} trace cells", e.Message);
    }

    [Fact]
    public void Rows_of_a_table_in_clear_in_the_query_openings_are_rejected()
    {
        var (tables, proof) = Honest.Value;
        var opened = StarkProver.Prove(tables, Default, clear: ClearTablePolicy.None);
        // The opened proof's main rows in place of the stripped ones: right values, but the proof must not carry them.
        var e = Assert.Throws<ZkVmException>(() => Verify(tables, proof with { Queries = proof.Queries with { Main = opened.Queries.Main } }));
        Assert.Equal(StarkErrors.Malformed, e.Code);
        Assert.Contains("sent in clear and its rows are opened", e.Message);
    }

    /// <summary>The encoding of a table in clear is unique: exact bit widths, zero padding, canonical values, no zero last row.</summary>
    [Fact]
    public void A_table_in_clear_is_encoded_one_way_only()
    {
        var (_, proof) = Honest.Value;
        // A one-row, one-column trace appended to a real proof: the reader checks the format, not the statement.
        byte[] With(ClearTrace trace, Action<byte[], int> patch)
        {
            byte[] bytes = StarkProofFormat.Write(proof with { Clear = [trace] });
            // The section is the count, then table, rows, width, and the column's bit count and bytes.
            int column = bytes.Length - (1 + (int)((trace.Rows * (long)trace.ColumnBits(0) + 7) / 8));
            patch(bytes, column);
            return bytes;
        }
        string Code(byte[] bytes) => Assert.Throws<ZkVmException>(() => StarkProofFormat.Read(bytes)).Code;

        var one = new ClearTrace(1, 1, 1, [BabyBear.One]);
        StarkProofFormat.Read(With(one, (_, _) => { }));
        Assert.Equal(ProofFormatErrors.InvalidValue, Code(With(one, (b, at) => b[at] = 8)));          // 8 bits for a 1-bit value
        Assert.Equal(ProofFormatErrors.InvalidValue, Code(With(one, (b, at) => b[at + 1] = 0b11)));   // a padding bit set
        Assert.Equal(ProofFormatErrors.InvalidValue, Code(With(one, (b, at) => b[at] = 32)));
        var large = new ClearTrace(1, 1, 1, [BabyBear.FromCanonical(BabyBear.P - 1)]);
        StarkProofFormat.Read(With(large, (_, _) => { }));
        Assert.Equal(FieldErrors.NonCanonical, Code(With(large, (b, at) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at + 1), 0x7FFF_FFFF))));
        Assert.Equal(ProofFormatErrors.InvalidValue, Code(StarkProofFormat.Write(proof with { Clear = [new ClearTrace(1, 2, 1, [BabyBear.One, BabyBear.Zero])] })));
        Assert.Equal(ProofFormatErrors.InvalidValue, Code(StarkProofFormat.Write(proof with { Clear = [new ClearTrace(1, 17, 1, new BabyBear[17]) with { Values = [.. Enumerable.Repeat(BabyBear.One, 17)] }] })));
        Assert.Equal(ProofFormatErrors.InvalidValue, Code(StarkProofFormat.Write(proof with { Clear = [new ClearTrace(3, 1, 1, [BabyBear.One])] })));
        // More values than the bound, announced before any is read: refused before allocation. Table 0 has 2^10 rows.
        var tall = new ClearTrace(0, 1, 1, [BabyBear.One]);
        byte[] counts = With(tall, (b, at) =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at - 8), 1024);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at - 4), (uint)(ClearTables.MaxCells / 1024 + 1));
        });
        Assert.Equal(ProofFormatErrors.CountOutOfRange, Code(counts));
    }
}
