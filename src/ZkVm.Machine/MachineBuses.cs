namespace ZkVm.Machine;

/// <summary>
/// The buses of the RV32IM machine (docs/MACHINE.md §2). Every tuple's layout is fixed here; a chip
/// that sends or receives on a bus follows it exactly.
/// </summary>
public static class MachineBuses
{
    /// <summary>(pc, ts): the machine state passed from one instruction to the next, within a shard.</summary>
    [ZkBus(2)] public static readonly Bus Execution = new(1, "execution") { PerShard = true };

    /// <summary>(pc, opcode, rd, rs1, rs2, imm lo16, imm hi16, writes rd): one decoded ROM instruction. Per shard, so a
    /// ROM row's multiplicity counts one shard's executions and cannot reach p (docs/PROTOCOL.md §10.2).</summary>
    [ZkBus(8)] public static readonly Bus Program = new(2, "program") { PerShard = true };

    /// <summary>(space, index, value lo16, value hi16, ts): a register or memory word at a time of the shard.</summary>
    [ZkBus(5)] public static readonly Bus Memory = new(3, "memory") { PerShard = true };

    /// <summary>(op, x, y, z): a lookup into the shard's byte table (<see cref="ByteOp"/>).</summary>
    [ZkBus(4)] public static readonly Bus Bytes = new(4, "bytes") { PerShard = true };

    /// <summary>(space, index, value lo16, value hi16): a nonzero word of the initial image.</summary>
    [ZkBus(4)] public static readonly Bus Image = new(5, "image");

    /// <summary>(exit code lo16, exit code hi16, ts): the HALT, received by the verifier from public data.</summary>
    [ZkBus(3)] public static readonly Bus Halt = new(6, "halt") { PerShard = true };

    /// <summary>(position, byte): a committed journal byte, received by the verifier from the public journal.</summary>
    [ZkBus(2)] public static readonly Bus Journal = new(7, "journal");

    /// <summary>(kind, ts, address, bytes remaining, journal position): the rest of a READ, WRITE or COMMIT buffer.</summary>
    [ZkBus(5)] public static readonly Bus Transfer = new(8, "transfer") { PerShard = true };

    /// <summary>(first word index, access): a region of the program's memory map, sent by the verifier from
    /// the map the ImageId binds, received by the boundary row of that word.</summary>
    [ZkBus(2)] public static readonly Bus MemoryMap = new(9, "memory map");

    /// <summary>(space, index, value lo16, value hi16, tag): a cell's value between shards. The boundary opens it with tag 0
    /// and closes it with the tag it was last left with; shard k pages a cell in with a tag ≤ k and out with tag k + 1.</summary>
    [ZkBus(5)] public static readonly Bus Page = new(10, "page");

    /// <summary>(pc, shard): the pc at which shard k − 1 hands the run to shard k.</summary>
    [ZkBus(2)] public static readonly Bus Continue = new(11, "continue");

    /// <summary>(syscall number, ts, a0, a1 lo16, a1 hi16): an extension's ECALL (<see cref="Riscv.Isa.ExtensionSyscall"/>), sent by its
    /// syscall row and received by the first row of the precompile table that proves it (docs/MACHINE.md §7b). a0 arrives whole
    /// (the syscall row proves it below 2^29); a1 in limbs, for a table that reads there to range-check.</summary>
    [ZkBus(5)] public static readonly Bus Precompile = new(12, "precompile") { PerShard = true };

    /// <summary>Every bus of the machine; an extension's own buses take ids from <see cref="ExtensionSet.FirstExtensionBus"/> up.</summary>
    public static IReadOnlyList<Bus> All { get; } = [Execution, Program, Memory, Bytes, Image, Halt, Journal, Transfer, MemoryMap, Page, Continue, Precompile];
}
