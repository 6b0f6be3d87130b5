using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.MulDivTestKit;

namespace ZkVm.Machine.Tests;

/// <summary>
/// The MULTIPLY and DIVREM chips inside <see cref="MachineCircuit"/>: their tables come out of the
/// circuit's own trace building, agree with the program table on every fetch, and every column of
/// every used row is caught by the multi-table check (constraints or bus balance).
/// </summary>
public class MulDivCircuitTests
{
    public static TheoryData<string, string> Runs() => new()
    {
        { "muldiv.S", "multiply" }, { "muldiv.S", "divrem" }, { "c_semantics.c", "multiply" }, { "c_semantics.c", "divrem" },
    };

    static (TableTrace[] Traces, MachineCircuit Circuit) Traces(string directed)
    {
        var (program, witness) = MachineRuns.Directed(directed);
        var circuit = new MachineCircuit(program);
        return (circuit.ByteTableUsers(witness), circuit);
    }

    static Dictionary<string, BabyBearExt4> ProgramBus(TableTrace table)
    {
        var net = new Dictionary<string, BabyBearExt4>();
        var evaluator = new RowEvaluator(table);
        for (int row = 0; row < table.Height; row++)
        {
            evaluator.EvaluateRow(row);
            foreach (var e in evaluator.Entries)
                if (e.Bus.Id == MachineBuses.Program.Id && !e.Multiplicity.IsZero)
                {
                    string key = string.Join(",", e.Values.Select(v => v.Value.C0));
                    net[key] = net.GetValueOrDefault(key) + e.Multiplicity.Value;
                }
        }
        return net;
    }

    [Fact]
    public void The_engine_measures_every_degree_within_its_limits()
    {
        foreach (var air in new IAir[] { new global::ZkVm.Machine.Chips.MultiplyChip(), new global::ZkVm.Machine.Chips.DivRemChip() })
        {
            var shape = AirShape.ForAir(air);
            Assert.InRange(shape.MaxDegree, 2, AirShape.MaxConstraintDegree);
            Assert.All(shape.Interactions, i => Assert.InRange(i.MultiplicityDegree, 0, AirShape.MaxMultiplicityDegree));
            Assert.All(shape.Interactions, i => Assert.InRange(i.MaxValueDegree, 0, AirShape.MaxInteractionValueDegree));
        }
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Every_fetch_matches_the_program_table_and_the_rows_pass(string directed, string name)
    {
        var (traces, _) = Traces(directed);
        var chip = traces.Single(t => t.Air.Name == name);
        var family = name == "multiply" ? InstructionFamily.Multiply : InstructionFamily.DivRem;
        Assert.False(Rejected(chip, out string why), why);
        // The program table sends each ROM word's tuple once per execution; restricted to this
        // family's opcodes, the chip must receive exactly that multiset (same layout: imm 0 for R).
        var opcodes = OpcodeTable.Members(family).Select(op => ((uint)op).ToString()).ToHashSet();
        var sent = ProgramBus(traces.Single(t => t.Air.Name == "program"))
            .Where(kv => opcodes.Contains(kv.Key.Split(',')[1]) && !kv.Value.IsZero).ToDictionary();
        var received = ProgramBus(chip);
        Assert.NotEmpty(sent);
        foreach (var (tuple, m) in sent)
            Assert.True((received.GetValueOrDefault(tuple) + m).IsZero, $"program tuple ({tuple}): sent {m}, received {received.GetValueOrDefault(tuple)}");
        Assert.Equal(sent.Count, received.Count);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Every_column_of_every_used_row_is_caught_by_the_machine_check(string directed, string name)
    {
        var (traces, _) = Traces(directed);
        var table = traces.Single(t => t.Air.Name == name);
        var names = Columns.Names(table.Air);
        var free = new List<string>();
        var evaluator = new RowEvaluator(table);
        for (int row = 0; row < table.Height; row++)
        {
            evaluator.EvaluateRow(row);
            if (!evaluator.Entries.Any(e => !e.Multiplicity.IsZero)) continue;
            // A row writing x0 has no rd access; its rd-access columns are unused, as in every chip.
            bool writes = !table.Main[row, Columns.Index(table.Air, "WritesRd")].IsZero;
            for (int c = 0; c < table.Air.MainWidth; c++)
            {
                if (!writes && names[c].StartsWith("RdPrev", StringComparison.Ordinal) || !writes && names[c].StartsWith("RdDiff", StringComparison.Ordinal)) continue;
                if (!Forgery.Caught(table, row, c, table.Main[row, c] + BabyBear.One)) free.Add($"{names[c]} at row {row}");
            }
        }
        Assert.True(free.Count == 0, "not caught: " + string.Join(", ", free));
    }
}
