using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests;

/// <summary>
/// For every table of real runs, every main column: changing it in a used row is caught by the debug
/// check, and for every table a proof made from such a changed trace is rejected.
/// </summary>
public class MachineMutationTests
{
    static readonly Lazy<(MachineProgram Program, MachineWitness Witness)>[] Runs =
    [
        new(() => MachineRuns.Sample("fibonacci")),
        new(() => MachineRuns.Directed("c_semantics.c")),
    ];

    /// <summary>Each run's traces, built once: a test changes cells only temporarily (the tests of a class run one at a time).</summary>
    static readonly Lazy<TableTrace[]>[] Traces = [.. Runs.Select(run => new Lazy<TableTrace[]>(() => new MachineCircuit(run.Value.Program).Traces(run.Value.Witness)))];

    public static TheoryData<int, string> Tables()
    {
        var data = new TheoryData<int, string>();
        for (int run = 0; run < Runs.Length; run++)
            foreach (var air in new MachineCircuit(Runs[run].Value.Program).Airs)
                data.Add(run, air.Name);
        return data;
    }

    /// <summary>Rows that carry something: interactions with a nonzero multiplicity.</summary>
    static List<int> UsedRows(TableTrace table)
    {
        var used = new List<int>();
        var evaluator = new RowEvaluator(table);
        for (int row = 0; row < table.Height && used.Count < 4096; row++)
        {
            evaluator.EvaluateRow(row);
            if (evaluator.Entries.Any(e => !e.Multiplicity.IsZero)) used.Add(row);
        }
        return used;
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_column_of_every_table_is_bound(int run, string table)
    {
        var (program, witness) = Runs[run].Value;
        var circuit = new MachineCircuit(program);
        var traces = Traces[run].Value;
        var trace = traces.Single(t => t.Air.Name == table);
        var used = UsedRows(trace);
        if (used.Count == 0) return; // the run never uses this family; Tables() covers it in the other run
        var sample = Enumerable.Range(0, 8).Select(k => used[k * (used.Count - 1) / 7]).Distinct().ToArray();
        var names = Columns.Names(trace.Air);
        var free = new List<string>();
        for (int column = 0; column < trace.Air.MainWidth; column++)
        {
            bool caught = sample.Any(row => Forgery.Caught(trace, row, column, trace.Main[row, column] + BabyBear.One, program));
            if (!caught) free.Add(names[column]);
        }
        Assert.True(free.Count == 0, $"table '{table}': changing these columns in used rows {string.Join(",", sample)} goes unnoticed: {string.Join(", ", free)}");

        // A proof made from the changed trace anyway is rejected.
        int target = sample[sample.Length / 2];
        int col = Enumerable.Range(0, trace.Air.MainWidth).First(c => Forgery.Caught(trace, target, c, trace.Main[target, c] + BabyBear.One, program));
        var claim = MachineCircuit.ClaimOf(witness);
        var original = trace.Main[target, col];
        trace.Main[target, col] += BabyBear.One;
        StarkProof proof;
        try
        {
            proof = StarkProver.Prove(traces, SecurityPresets.Parameters(SecurityPreset.Proven100), circuit.PublicBus(claim));
        }
        finally
        {
            trace.Main[target, col] = original;
        }
        var e = Assert.ThrowsAny<ZkVmException>(() => MachineVerifier.Verify(program, claim, proof));
        Assert.StartsWith("ZK3", e.Code);
    }
}
