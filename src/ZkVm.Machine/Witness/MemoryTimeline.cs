using ZkVm.Field;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Trace;

namespace ZkVm.Machine.Witness;

/// <summary>
/// Replays a run's records over word-level memory to find, for every access a chip proves, the
/// cell's previous value and timestamp (offline memory checking's witness), the words READ and COMMIT
/// move, the cells each shard pages in and out, and the final state of every cell. Sequential by nature;
/// about 20 ns an instruction. A run in shards is replayed shard after shard by one timeline, which carries
/// every touched cell's value and tag from shard to shard (docs/PROTOCOL.md §10.2); a shard is rebuilt
/// alone from its entry list (<see cref="Resume"/>).
/// </summary>
public sealed class MemoryTimeline
{
    const int A0 = 10, A1 = 11, A2 = 12, A7 = 17;

    readonly MachineProgram program;
    readonly ReadOnlyMemory<byte> input;
    int inputPosition;
    // Keyed by space and full index, so a forged access past 2^27 words stays itself (the circuit refuses it).
    readonly Dictionary<ulong, Cell> cells = [];
    readonly List<TransferWord> transfers = [];
    readonly List<PrecompileCall> calls = [];
    readonly List<byte> journal = [];
    // Journal bytes committed before the first shard this timeline replays.
    readonly int journalBase;
    int shard;
    readonly List<ulong> paged = [];
    readonly List<PageEntry> entries = [];

    struct Cell
    {
        public uint Initial, Value, Ts, Tag;
        public bool InImage;
    }

    /// <summary>A timeline at the start of a run: the image and the memory map's region starts are its only cells.</summary>
    public MemoryTimeline(MachineProgram program, ReadOnlyMemory<byte> input)
    {
        this.program = program;
        this.input = input;
        foreach (var word in program.Image)
            cells[Key(word.Space, word.Index)] = new Cell { Initial = word.Value, Value = word.Value, InImage = true };
        // Every region of the memory map starts at a boundary row (a fence), touched or not.
        foreach (var region in program.Map.Regions)
            cells.TryAdd(Key(MachineLayout.MemorySpace, region.Start >> 2), default);
    }

    MemoryTimeline(MachineProgram program, ReadOnlyMemory<byte> input, ShardEntry start)
    {
        this.program = program;
        this.input = input;
        inputPosition = start.InputPosition;
        journalBase = start.JournalPosition;
        foreach (var e in start.Pages)
            cells[Key(e.Space, e.Index)] = new Cell { Value = e.In, Tag = e.InTag };
    }

    /// <summary>A timeline that replays one shard alone, from the entry list its replay in the whole run recorded.</summary>
    public static MemoryTimeline Resume(MachineProgram program, ReadOnlyMemory<byte> input, ShardEntry start) => new(program, input, start);

    /// <summary>
    /// Builds the witness of a halted run from its records, in cycle order, as one shard. Throws
    /// <see cref="MachineErrors.NotHalted"/> when the last record is not a HALT and
    /// <see cref="MachineErrors.TooManyCycles"/> above <see cref="MachineLayout.MaxShardCycles"/>.
    /// </summary>
    public static MachineWitness Build(MachineProgram program, IReadOnlyList<ExecutionRecord> records, ReadOnlyMemory<byte> input)
    {
        if (records.Count == 0 || !IsHalt(records[^1]))
            throw new ZkVmException(MachineErrors.NotHalted, "the run did not end with HALT; only halted runs can be proven");
        var timeline = new MemoryTimeline(program, input);
        var (steps, transfers, _, _) = timeline.Shard(ShardPosition.Whole((ulong)records.Count), records);
        return new MachineWitness(steps, transfers, timeline.Boundary(), records[^1].Rs2Value, [.. timeline.journal]) { Calls = timeline.Calls };
    }

    /// <summary>
    /// Replays the records of shard <paramref name="position"/>, which follow the shards this timeline replayed before:
    /// its steps (timestamps counted from the shard's start), its transfers, the cells it paged in and out, and its
    /// entry list. The last shard must end with HALT.
    /// </summary>
    public (MachineStep[] Steps, TransferWord[] Transfers, PageEntry[] Pages, ShardEntry Entry) Shard(ShardPosition position, IReadOnlyList<ExecutionRecord> records)
    {
        if ((ulong)records.Count > MachineLayout.MaxShardCycles)
            throw new ZkVmException(MachineErrors.TooManyCycles, $"the shard has {records.Count} cycles; one shard covers at most {MachineLayout.MaxShardCycles}");
        if ((ulong)records.Count != position.Cycles)
            throw Mismatch($"shard {position.Index} should retire {position.Cycles} instructions, its records hold {records.Count}");
        if (position.IsLast && (records.Count == 0 || !IsHalt(records[^1])))
            throw new ZkVmException(MachineErrors.NotHalted, "the run did not end with HALT; only halted runs can be proven");
        var start = new ShardEntry([], inputPosition, journalBase + journal.Count);
        shard = position.Index;
        paged.Clear();
        entries.Clear();
        transfers.Clear();
        calls.Clear();
        var steps = new MachineStep[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            // The replay is one thread's walk over the shard (hundreds of milliseconds): look at the proof's cancellation now and then.
            if ((i & 0xffff) == 0) Kernels.ThrowIfCancelled();
            steps[i] = Step(records[i], records[i].Cycle - position.FirstCycle);
        }
        var pages = new PageEntry[paged.Count];
        for (int i = 0; i < pages.Length; i++)
        {
            var cell = cells[paged[i]];
            pages[i] = entries[i] with { Out = cell.Value, OutTs = cell.Ts };
        }
        return (steps, [.. transfers], pages, start with { Pages = [.. entries] });
    }

    /// <summary>Every cell touched so far, and every image cell and region start, in increasing key order, with the tag of the shard that left it.</summary>
    public BoundaryEntry[] Boundary() => [.. cells
        .Select(c => new BoundaryEntry((uint)(c.Key >> 32), (uint)c.Key, c.Value.Initial, c.Value.Value, c.Value.Ts, c.Value.InImage) { FinalTag = c.Value.Tag })
        .OrderBy(e => e.Space).ThenBy(e => e.Index)];

    /// <summary>The extension syscalls of the shard last replayed, in cycle order.</summary>
    public PrecompileCall[] Calls => [.. calls];

    /// <summary>The journal bytes committed by the shards this timeline replayed.</summary>
    public byte[] Journal => [.. journal];

    static bool IsHalt(in ExecutionRecord r) => r.Instruction.Op == Opcode.Ecall && r.Syscall.Number == Syscalls.Halt;

    static ulong Key(uint space, uint index) => (ulong)space << 32 | index;

    /// <summary>Reads or writes a cell at ts: returns the access and records the cell's new state; the shard's first touch pages the cell in at ts 0.</summary>
    AccessRecord Touch(uint space, uint index, uint ts, Func<uint, uint> update)
    {
        ulong key = Key(space, index);
        cells.TryGetValue(key, out var cell);
        uint tag = (uint)shard + 1;
        if (cell.Tag != tag)
        {
            paged.Add(key);
            entries.Add(new PageEntry(space, index, cell.Value, cell.Tag, 0, 0));
            cell.Tag = tag;
            cell.Ts = 0;
        }
        uint value = update(cell.Value);
        var access = new AccessRecord(ts, cell.Value, cell.Ts, value)
        {
            ReadOnly = space == MachineLayout.MemorySpace && program.Map.AccessOf(index << 2) != PageAccess.ReadWrite,
        };
        cell.Value = value;
        cell.Ts = ts;
        cells[key] = cell;
        return access;
    }

    AccessRecord Read(uint register, uint ts, uint expected)
    {
        var access = Touch(MachineLayout.RegisterSpace, register, ts, v => v);
        if (access.Value != expected)
            throw Mismatch($"x{register} holds {access.Value:x8} at ts {ts}, the record says {expected:x8}");
        return access;
    }

    AccessRecord Write(uint register, uint ts, uint value) =>
        Touch(MachineLayout.RegisterSpace, register, ts, _ => value);

    static ZkVmException Mismatch(string what) =>
        new(MachineErrors.WitnessMismatch, $"the execution records disagree with the memory replay: {what}");

    MachineStep Step(in ExecutionRecord r, ulong shardCycle)
    {
        uint ts = MachineLayout.Timestamp(shardCycle);
        var step = new MachineStep { Record = r, Ts = ts };
        var ins = r.Instruction;
        var spec = ins.Spec;
        if (spec.Family == InstructionFamily.Syscall)
        {
            Syscall(ref step, r, ts);
            return step;
        }
        if (ins.ReadsRs1) step.Rs1 = Read(ins.Rs1, ts + MachineLayout.SlotRs1, r.Rs1Value);
        if (ins.ReadsRs2) step.Rs2 = Read(ins.Rs2, ts + MachineLayout.SlotRs2, r.Rs2Value);
        if (spec.Family == InstructionFamily.Load)
        {
            step.Mem = Touch(MachineLayout.MemorySpace, r.MemAddress >> 2, ts + MachineLayout.SlotMemory, v => v);
            if (Alu.LoadFrom(step.Mem.Value, r.MemAddress, Alu.AccessSize(ins.Op)) != r.MemValue)
                throw Mismatch($"the load at {r.MemAddress:x8} (cycle {r.Cycle}) read {r.MemValue:x} but memory holds {step.Mem.Value:x8}");
        }
        else if (spec.Family == InstructionFamily.Store)
        {
            int size = Alu.AccessSize(ins.Op);
            uint address = r.MemAddress, stored = r.MemValue;
            step.Mem = Touch(MachineLayout.MemorySpace, address >> 2, ts + MachineLayout.SlotMemory, v => Alu.MergeStore(v, address, stored, size));
        }
        if (ins.WritesRd)
            step.Rd = Write(ins.Rd, ts + MachineLayout.SlotRd, r.RdValue);
        return step;
    }

    void Syscall(ref MachineStep step, in ExecutionRecord r, uint ts)
    {
        if (r.Instruction.Op != Opcode.Ecall)
            throw Mismatch($"{r.Instruction.Op} at {r.Pc:x8} ends a run with a trap and cannot be proven");
        var (number, a0, a1, a2, result) = r.Syscall;
        var a7Read = Read(A7, ts + MachineLayout.SlotRs1, number);
        AccessRecord a1Read = default, a0Read = default, slot2 = default, slot3 = default;
        switch (number)
        {
            case Syscalls.Halt:
                a0Read = Read(A0, ts + MachineLayout.SlotRs2, a0);
                break;
            case Syscalls.Read:
            {
                a0Read = Read(A0, ts + MachineLayout.SlotRs2, a0);
                a1Read = Read(A1, ts + MachineLayout.SlotRs1, a1);
                uint count = result;
                if (count > a1 || inputPosition + count > input.Length)
                    throw Mismatch($"READ at cycle {r.Cycle} returned {count} bytes");
                var bytes = input.Span.Slice(inputPosition, (int)count);
                inputPosition += (int)count;
                Transfer(MachineLayout.TransferRead, ts, a0, bytes, 0);
                slot2 = Write(A0, ts + MachineLayout.SlotRd, count);
                break;
            }
            case Syscalls.Write:
            {
                // a0 = fd at slot 1, a1 = buffer at slot 0, a2 = length at slot 2 (WRITE writes no register).
                a0Read = Read(A0, ts + MachineLayout.SlotRs2, a0);
                a1Read = Read(A1, ts + MachineLayout.SlotRs1, a1);
                slot2 = Read(A2, ts + MachineLayout.SlotRd, a2);
                Transfer(MachineLayout.TransferWrite, ts, a1, default, a2);
                break;
            }
            case Syscalls.Commit:
            {
                a0Read = Read(A0, ts + MachineLayout.SlotRs2, a0);
                a1Read = Read(A1, ts + MachineLayout.SlotRs1, a1);
                uint position = (uint)(journalBase + journal.Count);
                slot3 = Touch(MachineLayout.RegisterSpace, MachineLayout.JournalCursor, ts + MachineLayout.SlotMemory, v => v + a1);
                if (slot3.PrevValue != position)
                    throw Mismatch($"the journal cursor is {slot3.PrevValue}, the journal has {position} bytes");
                Transfer(MachineLayout.TransferCommit, ts, a0, default, a1);
                break;
            }
            case Syscalls.Cycles:
                slot2 = Write(A0, ts + MachineLayout.SlotRd, (uint)r.Cycle);
                slot3 = Write(A1, ts + MachineLayout.SlotMemory, (uint)(r.Cycle >> 32));
                break;
            default:
                if (program.Extensions.Isa.Syscall(number) is not { } call)
                    throw Mismatch($"syscall {number} at cycle {r.Cycle} traps and cannot be proven");
                a0Read = Read(A0, ts + MachineLayout.SlotRs2, a0);
                a1Read = Read(A1, ts + MachineLayout.SlotRs1, a1);
                Accelerate(call, r, ts, a0, a1);
                break;
        }
        step.Syscall = new SyscallAccesses(a7Read, a1Read, a0Read, slot2, slot3);
    }

    /// <summary>An extension syscall: its input words read at ts + 1, then its state words rewritten with the operation's result at ts + 3.</summary>
    void Accelerate(ExtensionSyscall call, in ExecutionRecord r, uint ts, uint stateAt, uint inputAt)
    {
        if ((stateAt & 3) != 0 || call.InputWords > 0 && (inputAt & 3) != 0)
            throw Mismatch($"{call.Name} at cycle {r.Cycle} has a misaligned buffer, so it traps and cannot be proven");
        var input = new AccessRecord[call.InputWords];
        var inputWords = new uint[input.Length];
        for (int j = 0; j < input.Length; j++)
        {
            input[j] = Touch(MachineLayout.MemorySpace, (inputAt >> 2) + (uint)j, ts + MachineLayout.SlotPrecompileInput, v => v);
            inputWords[j] = input[j].Value;
        }
        var words = new uint[call.StateWords];
        for (int k = 0; k < words.Length; k++)
            words[k] = cells.TryGetValue(Key(MachineLayout.MemorySpace, (stateAt >> 2) + (uint)k), out var cell) ? cell.Value : 0;
        if (call.Apply(words, inputWords) is { } problem)
            throw Mismatch($"{call.Name} at cycle {r.Cycle} refuses its arguments ({problem}), so it traps and cannot be proven");
        var state = new AccessRecord[words.Length];
        for (int k = 0; k < state.Length; k++)
            state[k] = Touch(MachineLayout.MemorySpace, (stateAt >> 2) + (uint)k, ts + MachineLayout.SlotPrecompileState, _ => words[k]);
        calls.Add(new PrecompileCall(call.Number, ts, stateAt, inputAt, input, state));
    }

    /// <summary>
    /// Splits a READ (writing <paramref name="written"/>), a WRITE (reading <paramref name="length"/> bytes) or
    /// a COMMIT (reading <paramref name="length"/> bytes into the journal) into one row per memory word, all at
    /// the ECALL's memory slot.
    /// </summary>
    void Transfer(uint kind, uint ts, uint address, ReadOnlySpan<byte> written, uint length)
    {
        if (kind == MachineLayout.TransferRead) length = (uint)written.Length;
        uint position = (uint)(journalBase + journal.Count), done = 0;
        while (done < length)
        {
            uint at = address + done;
            int offset = (int)(at & 3);
            int count = (int)Math.Min(4 - offset, length - done);
            uint remaining = length - done;
            AccessRecord word;
            if (kind == MachineLayout.TransferRead)
            {
                uint mask = 0, bytes = 0;
                for (int j = 0; j < count; j++)
                {
                    mask |= 0xFFu << (8 * (offset + j));
                    bytes |= (uint)written[(int)done + j] << (8 * (offset + j));
                }
                word = Touch(MachineLayout.MemorySpace, at >> 2, ts + MachineLayout.SlotMemory, v => (v & ~mask) | bytes);
            }
            else
            {
                word = Touch(MachineLayout.MemorySpace, at >> 2, ts + MachineLayout.SlotMemory, v => v);
                if (kind == MachineLayout.TransferCommit)
                    for (int j = 0; j < count; j++)
                        journal.Add((byte)(word.Value >> (8 * (offset + j))));
            }
            transfers.Add(new TransferWord(kind, ts, at, remaining, kind == MachineLayout.TransferCommit ? position + done : 0, count, word));
            done += (uint)count;
        }
    }
}

/// <summary>
/// What rebuilding a shard needs besides its checkpoint and read-log slice: the cells it pages in (value and tag at
/// its start), the input bytes READ had consumed and the journal bytes committed before it.
/// </summary>
public sealed record ShardEntry(PageEntry[] Pages, int InputPosition, int JournalPosition);
