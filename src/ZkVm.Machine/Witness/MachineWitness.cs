namespace ZkVm.Machine.Witness;

/// <summary>
/// One shard of a halted run prepared for trace generation: its steps, buffer transfers, the cells it pages in and out,
/// and its piece of the run's memory boundary. A witness built from a whole run is its only shard.
/// </summary>
public sealed class MachineWitness
{
    /// <summary>A whole run as one shard: it pages in every cell it touches from the boundary (tag 0) and out with tag 1.</summary>
    public MachineWitness(MachineStep[] steps, TransferWord[] transfers, BoundaryEntry[] boundary, uint exitCode, byte[] journal)
    {
        Steps = steps;
        Transfers = transfers;
        Boundary = [.. boundary.Select(e => e with { FinalTag = e.FinalTs != 0 ? 1u : 0 })];
        Pages = [.. Boundary.Where(e => e.FinalTag != 0).Select(e => new PageEntry(e.Space, e.Index, e.Initial, 0, e.Final, e.FinalTs))];
        ExitCode = exitCode;
        Journal = journal;
        Shard = ShardPosition.Whole((ulong)steps.Length);
    }

    /// <summary>Shard <paramref name="shard"/> of a run, holding the boundary piece <paramref name="boundary"/> (keys from <paramref name="firstKey"/> up to <paramref name="endKey"/>).</summary>
    public MachineWitness(ShardPosition shard, MachineStep[] steps, TransferWord[] transfers, PageEntry[] pages,
        BoundaryEntry[] boundary, uint firstKey, uint endKey, uint exitCode, byte[] journal)
    {
        Shard = shard;
        Steps = steps;
        Transfers = transfers;
        Pages = pages;
        Boundary = boundary;
        FirstKey = firstKey;
        EndKey = endKey;
        ExitCode = exitCode;
        Journal = journal;
    }

    public ShardPosition Shard { get; }
    public MachineStep[] Steps { get; }
    public TransferWord[] Transfers { get; }

    /// <summary>The shard's extension syscalls, in cycle order (docs/MACHINE.md §7b).</summary>
    public PrecompileCall[] Calls { get; init; } = [];

    /// <summary>Every cell the shard touches, in the order it first touches them.</summary>
    public PageEntry[] Pages { get; }

    /// <summary>The shard's piece of the boundary: the cells with keys in [<see cref="FirstKey"/>, <see cref="EndKey"/>), in increasing key order.</summary>
    public BoundaryEntry[] Boundary { get; }
    public uint FirstKey { get; }
    public uint EndKey { get; } = MachineLayout.KeyEnd;

    /// <summary>The run's exit code and journal (the same in every shard).</summary>
    public uint ExitCode { get; }
    public byte[] Journal { get; }

    /// <summary>The run's cycles.</summary>
    public ulong Cycles => Shard.RunCycles;
}

/// <summary>Where a shard lies in its run: its index of <paramref name="Count"/>, its first cycle and its length; every shard but the last has the shard size's cycles.</summary>
public readonly record struct ShardPosition(int Index, int Count, ulong FirstCycle, ulong Cycles, ulong RunCycles)
{
    public bool IsFirst => Index == 0;
    public bool IsLast => Index == Count - 1;

    public static ShardPosition Whole(ulong cycles) => new(0, 1, 0, cycles, cycles);

    /// <summary>Shard <paramref name="index"/> of a run of <paramref name="runCycles"/> cycles in shards of <paramref name="shardCycles"/>.</summary>
    public static ShardPosition Of(int index, ulong runCycles, ulong shardCycles)
    {
        int count = CountOf(runCycles, shardCycles);
        if ((uint)index >= (uint)count) throw new ArgumentOutOfRangeException(nameof(index), $"a run of {runCycles} cycles in shards of {shardCycles} has {count} shards");
        ulong first = (ulong)index * shardCycles;
        return new(index, count, first, Math.Min(shardCycles, runCycles - first), runCycles);
    }

    public static int CountOf(ulong runCycles, ulong shardCycles) => checked((int)((runCycles + shardCycles - 1) / shardCycles));
}
