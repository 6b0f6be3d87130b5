using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests;

/// <summary>
/// For every table of real runs, every main column: changing it in a used row (evenly spaced rows, a row of
/// each opcode, a row writing x0) is caught by the debug check, and for every table a proof made from such a
/// changed trace, on the smallest run that uses the table, is rejected. The chips' own tests (tests/…/Chips)
/// do not mutate columns again.
/// </summary>
public class MachineMutationTests
{
    static readonly Lazy<(MachineProgram Program, ShardedRun Run, MachineWitness Witness)> Middle = new(() => MachineRuns.MiddleShard(Guests.DirectedElf("c_semantics.c")));

    static readonly Lazy<(MachineProgram Program, MachineWitness Witness)>[] Runs =
    [
        new(() => MachineRuns.Sample("fibonacci")),
        new(() => MachineRuns.Directed("c_semantics.c")),
        new(() => MachineRuns.Directed("system.S")), // FENCE, and every syscall
        new(MachineRuns.X0Writes),
        new(() => MachineRuns.Directed("muldiv.S")), // every MUL and DIV opcode, division by zero, INT_MIN / −1
        new(() => MachineRuns.Directed("memory.S")), // every load and store width
        new(() => (Middle.Value.Program, Middle.Value.Witness)), // a middle shard: pages with earlier tags, both ends of the edge
    ];


    /// <summary>The tables a run is tested on: every table for the first two; for system.S the ones they leave
    /// unused (fence) and the syscall and transfer tables it exercises fully (WRITE included); for the x0
    /// guest every table with an rd access; muldiv.S and memory.S for the opcodes the others may lack; a middle shard for
    /// the tables that join shards (the first two runs are one shard each, so their edge carries nothing).</summary>
    static readonly string[][] Only = [[], [], ["fence", "syscall", "transfer"], ["alu", "upper", "compare", "shift", "jump", "load", "multiply", "divrem"], ["multiply", "divrem"], ["load", "store"], ["boundary", "page", "edge"]];

    /// <summary>Each run's traces, built once: a test changes cells only temporarily (the tests of a class run one at a time).</summary>
    static readonly Lazy<TableTrace[]>[] Traces = [.. Runs.Select(run => new Lazy<TableTrace[]>(() => new MachineCircuit(run.Value.Program).Traces(run.Value.Witness)))];

    public static TheoryData<int, string> Tables()
    {
        var data = new TheoryData<int, string>();
        for (int run = 0; run < Runs.Length; run++)
            foreach (var air in new MachineCircuit(Runs[run].Value.Program).Airs)
                if (Only[run].Length == 0 || Only[run].Contains(air.Name))
                    data.Add(run, air.Name);
        return data;
    }

    /// <summary>Rows that carry something (interactions with a nonzero multiplicity), looked for across the
    /// whole trace: every row of a small table, and evenly spaced rows of a large one.</summary>
    static List<int> UsedRows(TableTrace table)
    {
        var used = new List<int>();
        var evaluator = new RowEvaluator(table);
        int stride = Math.Max(1, table.Height / 8192);
        for (int row = 0; row < table.Height; row += stride)
        {
            evaluator.EvaluateRow(row);
            if (evaluator.Entries.Any(e => !e.Multiplicity.IsZero)) used.Add(row);
        }
        return used;
    }

    /// <summary>
    /// The run whose case also proves a changed trace and has it rejected: of the runs that test the table and
    /// use it, the one with the fewest cycles. Each table is so proven once, on a small trace, rather than once
    /// per run (the debug check above is what every run repeats).
    /// </summary>
    static int ProvingRun(string table) => ProvingRuns.Value[table];

    static readonly Lazy<Dictionary<string, int>> ProvingRuns = new(() =>
        new MachineCircuit(Runs[0].Value.Program).Airs.ToDictionary(air => air.Name, air => Enumerable.Range(0, Runs.Length)
            .Where(r => (Only[r].Length == 0 || Only[r].Contains(air.Name)) && UsedRows(Traces[r].Value.Single(t => t.Air.Name == air.Name)).Count > 0)
            .MinBy(r => Runs[r].Value.Witness.Steps.Length)));

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_column_of_every_table_is_bound(int run, string table)
    {
        var (program, witness) = Runs[run].Value;
        var circuit = new MachineCircuit(program);
        var traces = Traces[run].Value;
        var trace = traces.Single(t => t.Air.Name == table);
        var used = UsedRows(trace);
        if (used.Count == 0)
        {
            // Every table is used by some run, so no table's case passes vacuously everywhere.
            Assert.Contains(Enumerable.Range(0, Runs.Length), r => r != run && UsedRows(Traces[r].Value.Single(t => t.Air.Name == table)).Count > 0);
            return;
        }
        var names = Columns.Names(trace.Air);
        // Evenly spaced rows, and a row of each instruction (selector Is… set), so every opcode's constraints are tried.
        var perOpcode = Enumerable.Range(0, names.Length).Where(c => names[c].StartsWith("Is", StringComparison.Ordinal) && names[c].Length > 2 && char.IsUpper(names[c][2]))
            .Select(c => used.FirstOrDefault(r => trace.Main[r, c] == BabyBear.One, -1)).Where(r => r >= 0);
        var sample = Enumerable.Range(0, 8).Select(k => used[k * (used.Count - 1) / 7]).Concat(perOpcode).Distinct().ToArray();
        var free = new List<string>();
        for (int column = 0; column < trace.Air.MainWidth; column++)
        {
            bool caught = sample.Any(row => Forgery.Caught(trace, row, column, trace.Main[row, column] + BabyBear.One, program));
            if (!caught) free.Add(names[column]);
        }
        Assert.True(free.Count == 0, $"table '{table}': changing these columns in used rows {string.Join(",", sample)} goes unnoticed: {string.Join(", ", free)}");

        // A real row that writes no register (rd = x0): every column of it is bound too, the rd access's
        // included (Gadgets.ZeroWhen pins them), so no row has cells a forger may fill at will.
        if (names.Contains("WritesRd") && used.FirstOrDefault(r => trace.Main[r, Columns.Index(trace.Air, "WritesRd")].IsZero, -1) is int x0 and >= 0)
        {
            var freeInX0 = Enumerable.Range(0, trace.Air.MainWidth)
                .Where(c => !Forgery.Caught(trace, x0, c, trace.Main[x0, c] + BabyBear.One, program)).Select(c => names[c]).ToList();
            Assert.True(freeInX0.Count == 0, $"table '{table}': in row {x0} (rd = x0) these columns go unnoticed: {string.Join(", ", freeInX0)}");
        }

        // A proof made from the changed trace anyway is rejected.
        if (run != ProvingRun(table)) return;
        int target = sample[sample.Length / 2];
        int col = Enumerable.Range(0, trace.Air.MainWidth).First(c => Forgery.Caught(trace, target, c, trace.Main[target, c] + BabyBear.One, program));
        var claim = MachineCircuit.ClaimOf(witness);
        var original = trace.Main[target, col];
        trace.Main[target, col] += BabyBear.One;
        Action verify;
        try
        {
            if (witness.Shard.Count > 1)
            {
                // A shard of a longer run: the changed shard proven with the run's others, under their common challenges.
                var whole = Middle.Value.Run;
                var shards = MachineRuns.ProveShards(program, whole.Claim, whole.ShardCycles, whole.Count,
                    k => k == witness.Shard.Index ? traces : circuit.Traces(whole.Witness(k)), whole.FirstKey);
                verify = () => MachineVerifier.Verify(program, whole.Claim, whole.ShardCycles, shards);
            }
            else
            {
                var proof = StarkProver.Prove(traces, SecurityPresets.Parameters(SecurityPreset.Proven100), circuit.PublicBus(claim));
                verify = () => MachineVerifier.Verify(program, claim, proof);
            }
        }
        finally
        {
            trace.Main[target, col] = original;
        }
        // A change that breaks a constraint of its rows fails the quotient check; one that only moves a bus
        // term (recounted lookups absorb the rest) unbalances the buses.
        trace.Main[target, col] += BabyBear.One;
        bool constraint = Forgery.FailsConstraint(trace, target) || Forgery.FailsConstraint(trace, (target - 1 + trace.Height) % trace.Height);
        trace.Main[target, col] = original;
        Verdict.Rejected(constraint ? StarkErrors.ConstraintsViolated : StarkErrors.BusUnbalanced, verify);
    }
}
