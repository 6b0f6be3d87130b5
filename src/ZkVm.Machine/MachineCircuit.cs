using ZkVm.Machine.Chips;
using ZkVm.Machine.Tables;
using ZkVm.Stark.Proving;

namespace ZkVm.Machine;

/// <summary>What a proof of a run asserts, beside the program: how it ended, how long it ran, what it committed.</summary>
public sealed record MachineClaim(uint ExitCode, ulong Cycles, byte[] Journal);

/// <summary>
/// The tables of one program's circuit (docs/MACHINE.md §3), the statement a proof of a run of it is
/// checked against, and the traces of a run.
/// </summary>
public sealed class MachineCircuit
{
    public MachineCircuit(MachineProgram program)
    {
        Program = program;
        ProgramTable = new ProgramTable(program);
        ImageTable = new ImageTable(program);
        InstructionChips = program.Extensions.Chips;
        Airs = [ProgramTable, ImageTable, Boundary, .. InstructionChips, Transfer, Bytes];
    }

    public MachineProgram Program { get; }

    /// <summary>The chips of the program's extension set, RV32IM's first, in table order after the fixed and memory tables.</summary>
    public IReadOnlyList<IInstructionChip> InstructionChips { get; }
    public ProgramTable ProgramTable { get; }
    public ImageTable ImageTable { get; }
    // Boxed once, so that a trace names the very table object the statement lists.
    public IAir Boundary { get; } = new BoundaryTable();
    public IAir Transfer { get; } = new TransferChip();
    public IAir Bytes { get; } = new ByteTable();

    /// <summary>Every table in proof order: fixed, boundary, the instruction chips, transfer, bytes. The verification
    /// key is these tables' shapes and fixed columns, so it differs for every extension set.</summary>
    public IReadOnlyList<IAir> Airs { get; }

    /// <summary>The bus terms the verifier adds from the claim and the program: the run starts at the entry
    /// and halts with the exit code at timestamp 4·cycles, the journal is exactly the claimed bytes, and
    /// every region of the memory map starts at a boundary row that carries its access.</summary>
    public IReadOnlyList<PublicBusEntry> PublicBus(MachineClaim claim)
    {
        var one = BabyBear.One;
        var minusOne = BabyBear.Zero - one;
        var entries = new List<PublicBusEntry>(2 + claim.Journal.Length + Program.Map.Regions.Count)
        {
            new(MachineBuses.Execution, one, [F(Program.Entry), F(MachineLayout.Timestamp(0))]),
            new(MachineBuses.Halt, minusOne, [F(claim.ExitCode & 0xFFFF), F(claim.ExitCode >> 16), F(4 * (uint)claim.Cycles)]),
        };
        for (int i = 0; i < claim.Journal.Length; i++)
            entries.Add(new(MachineBuses.Journal, minusOne, [F((uint)i), F(claim.Journal[i])]));
        foreach (var region in Program.Map.Regions)
            entries.Add(new(MachineBuses.MemoryMap, one, [F(region.Start >> 2), F((uint)region.Access)]));
        return entries;
    }

    public StarkStatement Statement(MachineClaim claim) =>
        new(Airs, [.. Airs.Select(_ => Array.Empty<BabyBear>())], PublicBus(claim));

    public static MachineClaim ClaimOf(MachineWitness witness) => new(witness.ExitCode, witness.Cycles, witness.Journal);

    /// <summary>Every table's trace for the run, in <see cref="Airs"/> order; chips fill in parallel.</summary>
    public TableTrace[] Traces(MachineWitness witness)
    {
        var users = ByteTableUsers(witness);
        return [.. users, BytesTrace(users)];
    }

    /// <summary>The byte table's trace, answering every lookup of <paramref name="users"/>.</summary>
    public TableTrace BytesTrace(IEnumerable<TableTrace> users) => new(Bytes, ByteTable.Fill(ByteLookups.Count(users)));

    /// <summary>The traces of every table but the byte table, which answers their lookups.</summary>
    public TableTrace[] ByteTableUsers(MachineWitness witness)
    {
        var extensions = Program.Extensions;
        var byChip = new List<int>[InstructionChips.Count];
        for (int c = 0; c < byChip.Length; c++) byChip[c] = [];
        var executions = new uint[Program.Rom.Length];
        for (int i = 0; i < witness.Steps.Length; i++)
        {
            ref readonly var step = ref witness.Steps[i];
            var op = step.Record.Instruction.Op;
            int chip = extensions.ChipOf(op);
            if (chip < 0)
                throw new ZkVmException(MachineErrors.WitnessMismatch, $"{op} at 0x{step.Record.Pc:x8} has no chip in {extensions}");
            byChip[chip].Add(i);
            executions[Program.IndexOf(step.Record.Pc)]++;
        }

        var chips = new TableTrace[InstructionChips.Count];
        TableTrace? boundary = null, transfer = null;
        Parallel.Invoke(
            () => transfer = new TableTrace(Transfer, new TransferChip().Fill(witness.Transfers)),
            () => Parallel.For(0, chips.Length, c =>
            {
                var chip = InstructionChips[c];
                chips[c] = new TableTrace(chip, chip.Fill(witness.Steps, [.. byChip[c]]));
            }),
            () => boundary = new TableTrace(Boundary, BoundaryTable.Fill(witness.Boundary, Program.Map)));

        var program = new TableTrace(ProgramTable, ProgramTable.Fill(executions));
        var image = new TableTrace(ImageTable, ImageTable.Fill());
        return [program, image, boundary!, .. chips, transfer!];
    }

    /// <summary>The debug check of a whole run: every constraint, every bus balanced with the claim's public terms.</summary>
    public void Check(MachineWitness witness) => TraceChecker.Check(Traces(witness), PublicBus(ClaimOf(witness)));

    static BabyBear F(uint value) => BabyBear.FromCanonical(value);
}
