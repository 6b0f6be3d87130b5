using ZkVm.Machine.Chips;
using ZkVm.Machine.Precompiles;
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
        PrecompileChips = program.Extensions.Precompiles;
        Airs = [ProgramTable, ImageTable, Boundary, Page, Edge, .. InstructionChips, .. PrecompileChips, Transfer, Bytes];
        // Every table but the image (index 1), which opens the initial image in the first shard only.
        laterAirs = [.. Airs.Where((_, i) => i != 1)];
    }

    readonly IReadOnlyList<IAir> laterAirs;

    public MachineProgram Program { get; }

    /// <summary>The chips of the program's extension set, RV32IM's first, in table order after the fixed and memory tables.</summary>
    public IReadOnlyList<IInstructionChip> InstructionChips { get; }

    /// <summary>The precompile tables of the program's extension set, one per extension syscall, after the instruction chips.</summary>
    public IReadOnlyList<IPrecompileChip> PrecompileChips { get; }
    public ProgramTable ProgramTable { get; }
    public ImageTable ImageTable { get; }
    // Boxed once, so that a trace names the very table object the statement lists.
    public IAir Boundary { get; } = new BoundaryTable();
    public IAir Page { get; } = new PageTable();
    public IAir Edge { get; } = new EdgeTable();
    public IAir Transfer { get; } = new TransferChip();
    public IAir Bytes { get; } = new ByteTable();

    /// <summary>Every table of the first shard (and of a run proven as one) in proof order: fixed, memory (boundary piece,
    /// pages, edge), the instruction chips, the precompile tables, transfer, bytes. The verification key is these tables' shapes and fixed
    /// columns, so it differs for every extension set.</summary>
    public IReadOnlyList<IAir> Airs { get; }

    /// <summary>The tables of shard <paramref name="shard"/>: the image table opens the initial image once, in the first shard.</summary>
    public IReadOnlyList<IAir> AirsOf(int shard) => shard == 0 ? Airs : laterAirs;

    /// <summary>The bus terms the verifier adds from the claim and the program: the run starts at the entry in the first
    /// shard and halts with the exit code in the last, the journal is exactly the claimed bytes, and every region of
    /// the memory map starts at a boundary row that carries its access.</summary>
    public IReadOnlyList<PublicBusEntry> PublicBus(MachineClaim claim, ulong shardCycles = MachineLayout.MaxShardCycles)
    {
        var one = BabyBear.One;
        var minusOne = BabyBear.Zero - one;
        int count = ShardPosition.CountOf(claim.Cycles, shardCycles);
        var last = ShardPosition.Of(count - 1, claim.Cycles, shardCycles);
        var entries = new List<PublicBusEntry>(2 + claim.Journal.Length + Program.Map.Regions.Count)
        {
            new(MachineBuses.Execution, one, [F(Program.Entry), F(MachineLayout.Timestamp(0))]),
            new(MachineBuses.Halt, minusOne, [F(claim.ExitCode & 0xFFFF), F(claim.ExitCode >> 16), F(MachineLayout.Timestamp(last.Cycles - 1))]) { Shard = (uint)last.Index },
        };
        for (int i = 0; i < claim.Journal.Length; i++)
            entries.Add(new(MachineBuses.Journal, minusOne, [F((uint)i), F(claim.Journal[i])]));
        foreach (var region in Program.Map.Regions)
            entries.Add(new(MachineBuses.MemoryMap, one, [F(region.Start >> 2), F((uint)region.Access)]));
        return entries;
    }

    /// <summary>The statement of a run proven as one shard.</summary>
    public StarkStatement Statement(MachineClaim claim) =>
        new(Airs, PublicValues(ShardPosition.Whole(claim.Cycles), 0, MachineLayout.KeyEnd), PublicBus(claim, Math.Max(claim.Cycles, 1)));

    /// <summary>The statement of one shard of a run: its tables and their public values; the run's bus terms are given once, for all shards.</summary>
    public StarkStatement ShardStatement(ShardPosition shard, uint firstKey, uint endKey) =>
        new(AirsOf(shard.Index), PublicValues(shard, firstKey, endKey), []);

    /// <summary>Each table's public values in shard <paramref name="shard"/>, whose boundary piece holds keys [<paramref name="firstKey"/>, <paramref name="endKey"/>).</summary>
    public BabyBear[][] PublicValues(ShardPosition shard, uint firstKey, uint endKey) =>
        [.. AirsOf(shard.Index).Select(air => PublicValuesOf(air, shard, firstKey, endKey))];

    BabyBear[] PublicValuesOf(IAir air, ShardPosition shard, uint firstKey, uint endKey) => air switch
    {
        _ when ReferenceEquals(air, Boundary) => BoundaryTable.PublicValuesOf(firstKey, endKey, Program.Map),
        _ when ReferenceEquals(air, Page) => PageTable.PublicValuesOf(shard.Index),
        _ when ReferenceEquals(air, Edge) => EdgeTable.PublicValuesOf(shard),
        // An instruction chip's public values, if it has any, are the shard's first cycle as two u16 limbs (IInstructionChip).
        IInstructionChip { PublicValueCount: 2 } => SyscallChip.PublicValuesOf(shard.FirstCycle),
        _ => [],
    };

    public static MachineClaim ClaimOf(MachineWitness witness) => new(witness.ExitCode, witness.Cycles, witness.Journal);

    /// <summary>Every table's trace for the shard, in <see cref="AirsOf"/> order; chips fill in parallel.</summary>
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

        var shard = witness.Shard;
        var chips = new TableTrace[InstructionChips.Count];
        var precompiles = new TableTrace[PrecompileChips.Count];
        foreach (var call in witness.Calls)
            if (!PrecompileChips.Any(p => p.Syscall.Number == call.Number))
                throw new ZkVmException(MachineErrors.WitnessMismatch, $"syscall {call.Number} at ts {call.Ts} has no table in {extensions}");
        TableTrace? boundary = null, transfer = null, page = null;
        Parallel.Invoke(Kernels.Options,
            () => Parallel.For(0, precompiles.Length, Kernels.Options, c =>
            {
                var table = PrecompileChips[c];
                precompiles[c] = new TableTrace(table, table.Fill([.. witness.Calls.Where(call => call.Number == table.Syscall.Number)]));
            }),
            () => transfer = new TableTrace(Transfer, new TransferChip().Fill(witness.Transfers)),
            () => Parallel.For(0, chips.Length, Kernels.Options, c =>
            {
                var chip = InstructionChips[c];
                chips[c] = new TableTrace(chip, chip.Fill(witness.Steps, [.. byChip[c]]), PublicValuesOf(chip, shard, witness.FirstKey, witness.EndKey));
            }),
            () => boundary = new TableTrace(Boundary, BoundaryTable.Fill(witness.Boundary, Program.Map, witness.FirstKey, witness.EndKey),
                BoundaryTable.PublicValuesOf(witness.FirstKey, witness.EndKey, Program.Map)),
            () => page = new TableTrace(Page, PageTable.Fill(witness.Pages, shard.Index, Program.Map), PageTable.PublicValuesOf(shard.Index)));

        var steps = witness.Steps;
        uint startPc = shard.IsFirst || steps.Length == 0 ? 0 : steps[0].Record.Pc;
        uint endPc = shard.IsLast || steps.Length == 0 ? 0 : steps[^1].Record.NextPc;
        var edge = new TableTrace(Edge, EdgeTable.Fill(startPc, endPc), EdgeTable.PublicValuesOf(shard));
        var program = new TableTrace(ProgramTable, ProgramTable.Fill(executions));
        TableTrace[] memory = shard.IsFirst ? [new TableTrace(ImageTable, ImageTable.Fill()), boundary!, page!, edge] : [boundary!, page!, edge];
        return [program, .. memory, .. chips, .. precompiles, transfer!];
    }

    /// <summary>The debug check of a run proven as one shard: every constraint, every bus balanced with the claim's public terms.</summary>
    public void Check(MachineWitness witness) => TraceChecker.Check(Traces(witness), PublicBus(ClaimOf(witness), Math.Max(witness.Cycles, 1)));

    static BabyBear F(uint value) => BabyBear.FromCanonical(value);
}
