using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Trace;

namespace ZkVm.Machine.Witness;

/// <summary>
/// Replays a run's records over word-level memory to find, for every access a chip proves, the
/// cell's previous value and timestamp (offline memory checking's witness), the words READ and COMMIT
/// move, and the final state of every cell. Sequential by nature; about 20 ns an instruction.
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
    readonly List<byte> journal = [];

    struct Cell
    {
        public uint Initial, Value, Ts;
        public bool InImage;
    }

    MemoryTimeline(MachineProgram program, ReadOnlyMemory<byte> input)
    {
        this.program = program;
        this.input = input;
    }

    /// <summary>
    /// Builds the witness of a halted run from its records, in cycle order. Throws
    /// <see cref="MachineErrors.NotHalted"/> when the last record is not a HALT and
    /// <see cref="MachineErrors.TooManyCycles"/> above <see cref="MachineLayout.MaxCycles"/>.
    /// </summary>
    public static MachineWitness Build(MachineProgram program, IReadOnlyList<ExecutionRecord> records, ReadOnlyMemory<byte> input)
    {
        if ((ulong)records.Count > MachineLayout.MaxCycles)
            throw new ZkVmException(MachineErrors.TooManyCycles, $"the run has {records.Count} cycles; one proof covers at most {MachineLayout.MaxCycles}");
        if (records.Count == 0 || !IsHalt(records[^1]))
            throw new ZkVmException(MachineErrors.NotHalted, "the run did not end with HALT; only halted runs can be proven");
        var timeline = new MemoryTimeline(program, input);
        foreach (var word in program.Image)
            timeline.cells[Key(word.Space, word.Index)] = new Cell { Initial = word.Value, Value = word.Value, InImage = true };
        // Every region of the memory map starts at a boundary row (a fence), touched or not.
        foreach (var region in program.Map.Regions)
            timeline.cells.TryAdd(Key(MachineLayout.MemorySpace, region.Start >> 2), default);
        var steps = new MachineStep[records.Count];
        for (int i = 0; i < records.Count; i++)
            steps[i] = timeline.Step(records[i]);
        var boundary = timeline.cells
            .Select(c => new BoundaryEntry((uint)(c.Key >> 32), (uint)c.Key, c.Value.Initial, c.Value.Value, c.Value.Ts, c.Value.InImage))
            .OrderBy(e => e.Space).ThenBy(e => e.Index).ToArray();
        return new MachineWitness(steps, [.. timeline.transfers], boundary, records[^1].Rs2Value, [.. timeline.journal]);
    }

    static bool IsHalt(in ExecutionRecord r) => r.Instruction.Op == Opcode.Ecall && r.Syscall.Number == Syscalls.Halt;

    static ulong Key(uint space, uint index) => (ulong)space << 32 | index;

    /// <summary>Reads or writes a cell at ts: returns the access and records the cell's new state.</summary>
    AccessRecord Touch(uint space, uint index, uint ts, Func<uint, uint> update)
    {
        ulong key = Key(space, index);
        cells.TryGetValue(key, out var cell);
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

    MachineStep Step(in ExecutionRecord r)
    {
        uint ts = MachineLayout.Timestamp(r.Cycle);
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
                uint position = (uint)journal.Count;
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
                throw Mismatch($"syscall {number} at cycle {r.Cycle} traps and cannot be proven");
        }
        step.Syscall = new SyscallAccesses(a7Read, a1Read, a0Read, slot2, slot3);
    }

    /// <summary>
    /// Splits a READ (writing <paramref name="written"/>), a WRITE (reading <paramref name="length"/> bytes) or
    /// a COMMIT (reading <paramref name="length"/> bytes into the journal) into one row per memory word, all at
    /// the ECALL's memory slot.
    /// </summary>
    void Transfer(uint kind, uint ts, uint address, ReadOnlySpan<byte> written, uint length)
    {
        if (kind == MachineLayout.TransferRead) length = (uint)written.Length;
        uint position = (uint)journal.Count, done = 0;
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
