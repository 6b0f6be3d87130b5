using ZkVm.Field;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Stark;
using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;

namespace ZkVm.Machine.Tests.Chips;

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
}

/// <summary>Whole runs through every table of the machine: the debug check balances every bus.</summary>
public class MulDivMachineTests
{
    [Theory]
    [InlineData("muldiv.S")]
    [InlineData("c_semantics.c")]
    public void A_whole_run_passes_the_machine_check(string directed)
    {
        var (program, witness) = MachineRuns.Directed(directed);
        new MachineCircuit(program).Check(witness);
    }
}

/// <summary>
/// Division by zero forged through the whole machine: the run's records claim another result, the
/// memory timeline is rebuilt from them (so every later read and the exit code agree with the lie), and
/// the DIVREM row holds the forged quotient and remainder with every setting of its flags.
/// </summary>
public class MulDivMachineAttackTests
{
    static string Guest(string op) => Guests.FromText($"muldiv_attack_{op}.S", $"""
        .globl _start
        _start:
            li t0, 20
            li a7, 0
            {op} a0, t0, zero
            ecall
        """, bare: true);

    static TableTrace[] Traces(MachineProgram program, MachineWitness witness, Func<TableTrace, TableTrace> change)
    {
        var circuit = new MachineCircuit(program);
        var users = circuit.ByteTableUsers(witness).Select(t => t.Air.Name == "divrem" ? change(t) : t).ToArray();
        return [.. users, circuit.BytesTrace(users)];
    }

    [Theory]
    [InlineData("divu", 0u, 0u, 20u)]
    [InlineData("divu", 5u, 5u, 20u)]
    [InlineData("div", 0u, 0u, 20u)]
    [InlineData("div", 1u, 1u, 20u)]
    [InlineData("remu", 0u, 0xFFFFFFFFu, 0u)]
    [InlineData("remu", 0u, 0u, 0u)]
    [InlineData("rem", 6u, 0xFFFFFFFFu, 6u)]
    [InlineData("rem", 0u, 0u, 0u)]
    public void A_forged_result_of_division_by_zero_fails_the_machine_check(string op, uint claimed, uint q, uint r)
    {
        var program = new MachineProgram(HarvardProgram.Load(Guest(op)));
        var (records, result) = ReExecutor.RunWithRecords(program.Program, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(op.StartsWith("div") ? -1 : 20, result.ExitCode);
        // Honest: the whole machine accepts the run.
        var honest = MemoryTimeline.Build(program, records, ReadOnlyMemory<byte>.Empty);
        var circuit = new MachineCircuit(program);
        TraceChecker.Check(Traces(program, honest, t => t), circuit.PublicBus(MachineCircuit.ClaimOf(honest)));

        int i = records.FindIndex(x => x.Instruction.Op is Opcode.Div or Opcode.Divu or Opcode.Rem or Opcode.Remu);
        var forgedRecords = records.ToList();
        forgedRecords[i] = forgedRecords[i] with { RdValue = claimed };
        forgedRecords[^1] = forgedRecords[^1] with { Rs2Value = claimed };
        var forged = MemoryTimeline.Build(program, forgedRecords, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(claimed, forged.ExitCode);
        for (int mask = 0; mask < 64; mask++)
        {
            bool F(int bit) => (mask >> bit & 1) == 1;
            // Rejected either while the byte table counts the lookups (one it does not hold: ZK5003) or by the check.
            var e = Record.Exception(() =>
            {
                var traces = Traces(program, forged, t =>
                {
                    var m = t.Main.Clone();
                    var row = new ZkVm.Machine.Chips.DivRemChip.MainRow<BabyBear>(m.Row(0));
                    ZkVm.Machine.Chips.DivRemChip.FillDivision(row, 20, 0, q, r, F(0), F(1), F(2), F(3), F(4), F(5));
                    return new TableTrace(t.Air, m, t.PublicValues);
                });
                TraceChecker.Check(traces, circuit.PublicBus(MachineCircuit.ClaimOf(forged)));
            });
            if (e is AggregateException { InnerExceptions: [var inner] }) e = inner;
            Assert.True(e is ZkVmException, $"{op} by zero claiming {claimed} (q = {q:x8}, r = {r:x8}) with flags {mask:b6}: {e?.ToString() ?? "accepted"}");
        }
    }
}
