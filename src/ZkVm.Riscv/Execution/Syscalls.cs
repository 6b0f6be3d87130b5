namespace ZkVm.Riscv.Execution;

/// <summary>Syscall numbers in a7 (docs/GUEST_ABI.md; guest/c/zkvm.h mirrors them).</summary>
public static class Syscalls
{
    public const uint Halt = 0;
    public const uint Read = 1;
    public const uint Write = 2;
    public const uint Commit = 3;
    public const uint Cycles = 4;

    /// <summary>Bytes one READ, WRITE or COMMIT may move, so a hostile length cannot exhaust the host; below
    /// 2^24, so the circuit proves a length with one u16 limb and one byte.</summary>
    public const uint MaxTransfer = (1 << 24) - 1;
}
