using ZkVm.Field;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Machine.Sharding;

/// <summary>A stretch of the run that pass 2 re-executes: its starting checkpoint, its slice of the read log and its cycles.</summary>
public sealed record ShardChunk(Checkpoint Start, uint[] ReadLog, ulong Cycles);

/// <summary>
/// Everything one shard's prover needs, and nothing of the run's memory image (docs/PROTOCOL.md §10.2, docs/DISTRIBUTED.md):
/// the chunks of pass 1 that overlap the shard, the cells it pages in (<see cref="Entry"/>, whose input position is
/// that of <see cref="Input"/>, the bytes its READs consume), its piece of the boundary, the run's claim, and where every
/// shard's boundary piece starts (all shards' statements fix the shared transcript of phase 2).
/// </summary>
public sealed record ShardTask(int Index, ulong ShardCycles, SecurityPreset Preset, MachineClaim Claim, uint[] FirstKeys,
    ShardChunk[] Chunks, ShardEntry Entry, byte[] Input, BoundaryEntry[] Boundary)
{
    static ReadOnlySpan<byte> Magic => "ZKST"u8;
    const uint Version = 1;
    const int MaxChunks = 1 << 16;

    /// <summary>The run's shard count.</summary>
    public int Count => FirstKeys.Length - 1;

    public ShardPosition Position => ShardPosition.Of(Index, Claim.Cycles, ShardCycles);

    /// <summary>The shard's witness: its chunks re-executed side by side, cut to its cycles, and its memory replayed from its entry list.</summary>
    public MachineWitness Witness(MachineProgram program)
    {
        var position = Position;
        ulong from = position.FirstCycle, to = from + position.Cycles;
        var chunks = new List<ExecutionRecord>[Chunks.Length];
        Parallel.For(0, chunks.Length, Kernels.Options, i => chunks[i] = ReExecutor.ReExecute(program.Program, Chunks[i].Start, Chunks[i].ReadLog, Chunks[i].Cycles));
        var records = new ExecutionRecord[position.Cycles];
        int at = 0;
        foreach (var chunk in chunks)
            foreach (var record in chunk)
                if (record.Cycle >= from && record.Cycle < to) records[at++] = record;
        if (at != records.Length)
            throw new ZkVmException(MachineErrors.WitnessMismatch, $"shard {Index}'s chunks re-execute {at} of its {records.Length} cycles");
        return Witness(program, records, Entry, Input);
    }

    /// <summary>The witness from the shard's records and entry list (tests give edited ones, as a forger would).</summary>
    internal MachineWitness Witness(MachineProgram program, IReadOnlyList<ExecutionRecord> records, ShardEntry entry, ReadOnlyMemory<byte> input)
    {
        var position = Position;
        var timeline = MemoryTimeline.Resume(program, input, entry);
        var (steps, transfers, pages, _) = timeline.Shard(position, records);
        return new MachineWitness(position, steps, transfers, pages, Boundary, FirstKeys[Index], FirstKeys[Index + 1], Claim.ExitCode, Claim.Journal)
        {
            Calls = timeline.Calls,
        };
    }

    /// <summary>
    /// The run after phase 1, as every shard's prover and the coordinator see it: each shard's statement (from the
    /// program's circuit), the <paramref name="commitments"/>, the run's parameters and its public bus.
    /// </summary>
    public ShardedStatement Run(MachineProgram program, IReadOnlyList<ShardCommitment> commitments, SecurityParameters parameters) =>
        RunOf(program, Claim, ShardCycles, FirstKeys, commitments, parameters);

    internal static ShardedStatement RunOf(MachineProgram program, MachineClaim claim, ulong shardCycles, IReadOnlyList<uint> firstKeys,
        IReadOnlyList<ShardCommitment> commitments, SecurityParameters parameters)
    {
        var circuit = MachineVerifier.CircuitOf(program);
        return new ShardedStatement(StatementsOf(circuit, claim, shardCycles, firstKeys), commitments, parameters, circuit.PublicBus(claim, shardCycles));
    }

    internal static StarkStatement[] StatementsOf(MachineCircuit circuit, MachineClaim claim, ulong shardCycles, IReadOnlyList<uint> firstKeys)
    {
        var statements = new StarkStatement[firstKeys.Count - 1];
        for (int k = 0; k < statements.Length; k++)
            statements[k] = circuit.ShardStatement(ShardPosition.Of(k, claim.Cycles, shardCycles), firstKeys[k], firstKeys[k + 1]);
        return statements;
    }

    public byte[] ToBytes()
    {
        var w = new ProofWriter();
        w.WriteBytes(Magic);
        w.WriteU32(Version);
        w.WriteU32((uint)Index);
        w.WriteU64(ShardCycles);
        w.WriteU8((byte)Preset);
        w.WriteU32(Claim.ExitCode);
        w.WriteU64(Claim.Cycles);
        w.WriteCount(Claim.Journal.Length);
        w.WriteBytes(Claim.Journal);
        w.WriteCount(FirstKeys.Length);
        foreach (uint key in FirstKeys) w.WriteU32(key);
        w.WriteCount(Chunks.Length);
        foreach (var chunk in Chunks)
        {
            w.WriteU64(chunk.Start.Cycle);
            w.WriteU32(chunk.Start.Pc);
            foreach (uint register in chunk.Start.Registers) w.WriteU32(register);
            w.WriteU64((ulong)chunk.Start.ReadLogPosition);
            w.WriteU64(chunk.Cycles);
            w.WriteCount(chunk.ReadLog.Length);
            foreach (uint value in chunk.ReadLog) w.WriteU32(value);
        }
        w.WriteCount(Entry.Pages.Length);
        foreach (var page in Entry.Pages)
        {
            w.WriteU32(page.Space);
            w.WriteU32(page.Index);
            w.WriteU32(page.In);
            w.WriteU32(page.InTag);
        }
        w.WriteU32((uint)Entry.InputPosition);
        w.WriteU32((uint)Entry.JournalPosition);
        w.WriteCount(Input.Length);
        w.WriteBytes(Input);
        w.WriteCount(Boundary.Length);
        foreach (var cell in Boundary)
        {
            w.WriteU32(cell.Space);
            w.WriteU32(cell.Index);
            w.WriteU32(cell.Initial);
            w.WriteU32(cell.Final);
            w.WriteU32(cell.FinalTs);
            w.WriteU32(cell.FinalTag);
            w.WriteU8(cell.InImage ? (byte)1 : (byte)0);
        }
        return w.ToArray();
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; a malformed message fails with a ZK30xx error naming what and where.</summary>
    public static ShardTask FromBytes(ReadOnlySpan<byte> bytes)
    {
        var r = new ProofReader(bytes);
        r.ExpectMagic(Magic, "shard task");
        r.ReadVersion("shard task", Version);
        int index = r.ReadBounded("shard index", 0, Bus.MaxShards - 1);
        ulong shardCycles = (ulong)r.ReadBounded64("shard size", (long)MachineLayout.MaxShardCycles);
        int presetAt = r.Position;
        byte presetByte = r.ReadU8("preset");
        if (presetByte > (byte)SecurityPreset.Conjectured100)
            throw new ZkVmException(ProofFormatErrors.InvalidValue, $"preset at byte offset {presetAt} is {presetByte}, allowed 0…{(int)SecurityPreset.Conjectured100}");
        var preset = (SecurityPreset)presetByte;
        uint exitCode = r.ReadU32("exit code");
        ulong cycles = (ulong)r.ReadBounded64("run cycles", (long)MachineLayout.MaxCycles);
        byte[] journal = r.ReadBytes(r.ReadCount("journal bytes", MachineVerifier.MaxJournalBytes, 1), "journal").ToArray();
        var firstKeys = new uint[r.ReadCount("first keys", Bus.MaxShards + 1, 4)];
        for (int i = 0; i < firstKeys.Length; i++) firstKeys[i] = r.ReadU32("first key");
        var chunks = new ShardChunk[r.ReadCount("chunks", MaxChunks, 8 + 4 + 4 * 32 + 8 + 8 + 4)];
        for (int i = 0; i < chunks.Length; i++)
        {
            ulong cycle = (ulong)r.ReadBounded64("checkpoint cycle", (long)MachineLayout.MaxCycles);
            uint pc = r.ReadU32("checkpoint pc");
            var registers = new uint[32];
            for (int x = 0; x < 32; x++) registers[x] = r.ReadU32("checkpoint register");
            long logPosition = r.ReadBounded64("checkpoint read-log position", long.MaxValue);
            ulong chunkCycles = (ulong)r.ReadBounded64("chunk cycles", (long)MachineLayout.MaxCycles);
            var log = new uint[r.ReadCount("read-log values", int.MaxValue / 4, 4)];
            for (int j = 0; j < log.Length; j++) log[j] = r.ReadU32("read-log value");
            chunks[i] = new ShardChunk(new Checkpoint(cycle, pc, registers, logPosition), log, chunkCycles);
        }
        var pages = new PageEntry[r.ReadCount("entry cells", int.MaxValue / 16, 16)];
        for (int i = 0; i < pages.Length; i++)
            pages[i] = new PageEntry(r.ReadU32("entry space"), r.ReadU32("entry index"), r.ReadU32("entry value"), r.ReadU32("entry tag"), 0, 0);
        int inputPosition = r.ReadBounded("entry input position", 0, int.MaxValue);
        int journalPosition = r.ReadBounded("entry journal position", 0, MachineVerifier.MaxJournalBytes);
        byte[] input = r.ReadBytes(r.ReadCount("input bytes", int.MaxValue, 1), "input").ToArray();
        var boundary = new BoundaryEntry[r.ReadCount("boundary cells", int.MaxValue / 25, 25)];
        for (int i = 0; i < boundary.Length; i++)
        {
            uint space = r.ReadU32("boundary space"), cell = r.ReadU32("boundary index"), initial = r.ReadU32("boundary initial value");
            uint final = r.ReadU32("boundary final value"), finalTs = r.ReadU32("boundary final time"), finalTag = r.ReadU32("boundary final tag");
            int flagAt = r.Position;
            byte flag = r.ReadU8("boundary image flag");
            if (flag > 1) throw new ZkVmException(ProofFormatErrors.InvalidValue, $"boundary image flag at byte offset {flagAt} is {flag}, allowed 0 or 1");
            bool inImage = flag == 1;
            boundary[i] = new BoundaryEntry(space, cell, initial, final, finalTs, inImage) { FinalTag = finalTag };
        }
        r.ExpectEnd("shard task");
        if (shardCycles < MachineLayout.MinShardCycles || cycles == 0 || firstKeys.Length != ShardPosition.CountOf(cycles, shardCycles) + 1 || index >= firstKeys.Length - 1)
            throw new ZkVmException(ProofFormatErrors.InvalidValue, $"shard task: shard {index} of a run of {cycles} cycles in shards of {shardCycles} with {firstKeys.Length} first keys is not a shard of that run");
        return new ShardTask(index, shardCycles, preset, new MachineClaim(exitCode, cycles, journal), firstKeys, chunks, new ShardEntry(pages, inputPosition, journalPosition), input, boundary);
    }
}
