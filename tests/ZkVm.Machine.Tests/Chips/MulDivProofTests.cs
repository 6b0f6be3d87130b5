using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Stark;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>
/// The MULTIPLY and DIVREM tables of a real run proved and verified by the real prover with the byte
/// table answering their lookups; their other bus terms (program, execution, memory) are balanced by
/// public terms standing in for the chips not yet written, so the proof checks these two tables and
/// their lookups only. A changed product or quotient byte then yields a proof the verifier rejects.
/// </summary>
public class MulDivProofTests
{
    static (TableTrace[] Tables, List<PublicBusEntry> Others) Statement(string directed, Func<TableTrace, TableTrace>? change = null)
    {
        var (program, witness) = MachineRuns.Directed(directed);
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness).Where(t => t.Air.Name is "multiply" or "divrem").Select(t => change?.Invoke(t) ?? t).ToArray();
        var tables = users.Append(circuit.BytesTrace(users)).ToArray();
        // The honest rows' non-byte terms, negated: what the rest of the machine would contribute.
        var net = new Dictionary<string, (Bus Bus, BabyBear[] Values, BabyBear M)>();
        foreach (var table in circuit.ByteTableUsers(witness).Where(t => t.Air.Name is "multiply" or "divrem"))
        {
            var evaluator = new RowEvaluator(table);
            for (int row = 0; row < table.Height; row++)
            {
                evaluator.EvaluateRow(row);
                foreach (var e in evaluator.Entries)
                {
                    if (e.Bus.Id == MachineBuses.Bytes.Id || e.Multiplicity.IsZero) continue;
                    var values = e.Values.Select(v => v.Value.C0).ToArray();
                    string key = e.Bus.Id + ":" + string.Join(",", values);
                    var m = net.TryGetValue(key, out var seen) ? seen.M : BabyBear.Zero;
                    net[key] = (e.Bus, values, m + e.Multiplicity.Value.C0);
                }
            }
        }
        var rest = net.Values.Where(v => !v.M.IsZero).Select(v => new PublicBusEntry(v.Bus, BabyBear.Zero - v.M, v.Values)).ToList();
        return (tables, rest);
    }

    static void ProveAndVerify(TableTrace[] tables, List<PublicBusEntry> rest)
    {
        var proof = StarkProver.Prove(tables, SecurityPresets.Parameters(SecurityPreset.Proven100), rest);
        StarkVerifier.Verify(StarkStatement.For(tables, rest), proof);
    }

    [Fact]
    public void The_tables_of_muldiv_S_prove_and_verify()
    {
        var (tables, rest) = Statement("muldiv.S");
        TraceChecker.Check(tables, rest);
        ProveAndVerify(tables, rest);
    }

    [Theory]
    [InlineData("multiply", "P[5]")]
    [InlineData("divrem", "Q[0]")]
    [InlineData("divrem", "R[3]")]
    public void A_proof_of_a_changed_result_byte_is_rejected(string name, string column)
    {
        // The first row's byte + 1: no constraint or lookup can hold, so either the prover refuses or
        // the verifier rejects; nothing may verify.
        TableTrace Change(TableTrace t)
        {
            if (t.Air.Name != name) return t;
            var m = t.Main.Clone();
            int c = Columns.Index(t.Air, column);
            m[0, c] = m[0, c] + BabyBear.One;
            return new TableTrace(t.Air, m, t.PublicValues);
        }
        var (tables, rest) = Statement("muldiv.S", Change);
        Assert.ThrowsAny<ZkVmException>(() => ProveAndVerify(tables, rest));
    }
}
