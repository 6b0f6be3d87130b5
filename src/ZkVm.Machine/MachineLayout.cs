namespace ZkVm.Machine;

/// <summary>The fixed numbers of the machine's circuit (docs/MACHINE.md).</summary>
public static class MachineLayout
{
    /// <summary>Bumped whenever the circuit changes; part of every ImageId.</summary>
    public const uint Version = 5;

    /// <summary>Address space of the 32 registers and the journal cursor.</summary>
    public const uint RegisterSpace = 1;

    /// <summary>Address space of data memory; the index is the word address (byte address / 4). Words on
    /// read-write pages travel on the memory bus in this space.</summary>
    public const uint MemorySpace = 2;

    /// <summary>The memory bus's space for words on read-only pages (and inert unmapped ones): the boundary
    /// opens each word in the space its page's access gives, and stores and READ only use
    /// <see cref="MemorySpace"/>, so nothing writes a read-only word.</summary>
    public const uint ReadOnlySpace = 3;

    /// <summary>A register no instruction can name: the count of journal bytes committed so far.</summary>
    public const uint JournalCursor = 32;

    /// <summary>Operand slots: instruction at cycle c accesses operand k at timestamp 4·(c+1) + k.</summary>
    public const uint SlotRs1 = 0, SlotRs2 = 1, SlotRd = 2, SlotMemory = 3;

    /// <summary>An extension syscall (docs/MACHINE.md §7b) reads its input words at slot 1 and rewrites its state words at slot 3
    /// (a0 and a1 are registers, read at slots 1 and 0), so an input that overlaps the state is read before it is written.</summary>
    public const uint SlotPrecompileInput = SlotRs2, SlotPrecompileState = SlotMemory;

    /// <summary>
    /// The most cycles one shard covers: timestamps count from each shard's start and stay below 2^24, so
    /// every previous-timestamp gap fits a u16 and a byte (docs/PROTOCOL.md §10.2).
    /// </summary>
    public const ulong MaxShardCycles = (1UL << 22) - 1;

    /// <summary>The most cycles one proven run covers: 2^32 − 1, so cycle counts fit the CYCLES syscall's a0 and a shard's first cycle two u16 limbs.</summary>
    public const ulong MaxCycles = uint.MaxValue;

    /// <summary>The fewest cycles a shard may be set to. Shards far below 2^16 cycles spend most of their time on the fixed tables (the byte table has 2^16 rows).</summary>
    public const ulong MinShardCycles = 1 << 4;

    /// <summary>The default shard size: a run in 2^20-cycle shards peaks near 9 GB whatever its length, which a 16 GB machine holds (docs/PERFORMANCE.md, "Runs in shards").</summary>
    public const ulong DefaultShardCycles = 1 << 20;

    /// <summary>The timestamp of the instruction <paramref name="cycle"/> cycles into its shard (slot 0); 0 is the shard's page-in.</summary>
    public static uint Timestamp(ulong cycle) => (uint)(4 * (cycle + 1));

    /// <summary>The end of the last boundary piece: 2^29, above every key space·2^27 + index the boundary's flags can make
    /// (space ≤ 3, index &lt; 2^27), so that a key's distance to a piece's ends is a u16 and a u13.</summary>
    public const uint KeyEnd = 1u << 29;

    /// <summary>
    /// The largest high limb a pc may have when a chip splits it into 16-bit limbs: pc ≤ 0x77FF_FFFF &lt; p,
    /// so lo + 2^16·hi names one field element for one pc and back (without it, pc + p has limbs too).
    /// Guest code lies below 0x2000_0000, so no ROM pc comes near it.
    /// </summary>
    public const uint MaxPcHi = 0x77FF;

    /// <summary>Transfer kinds on <see cref="MachineBuses.Transfer"/>.</summary>
    public const uint TransferRead = 1, TransferCommit = 2, TransferWrite = 3;
}

/// <summary>The byte table's operations: the first value of a <see cref="MachineBuses.Bytes"/> tuple.</summary>
public static class ByteOp
{
    /// <summary>(U16, x, 0, 0): x &lt; 2^16.</summary>
    public const uint U16 = 0;

    /// <summary>(BytePair, x, y, 0): x and y are bytes.</summary>
    public const uint BytePair = 1;

    /// <summary>(And|Or|Xor, x, y, z): x and y are bytes and z = x op y.</summary>
    public const uint And = 2, Or = 3, Xor = 4;
}
