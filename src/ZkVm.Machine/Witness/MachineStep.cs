using ZkVm.Riscv.Trace;

namespace ZkVm.Machine.Witness;

/// <summary>
/// One retired instruction with everything its chip row needs: the emulator's record, the cycle's
/// timestamp and each memory-bus access it makes (docs/MACHINE.md §4 lists which, per format and syscall).
/// </summary>
public struct MachineStep
{
    public ExecutionRecord Record;

    /// <summary>4·(cycle + 1): the timestamp of slot 0; the execution bus carries it.</summary>
    public uint Ts;

    /// <summary>rs1 read at slot 0.</summary>
    public AccessRecord Rs1;

    /// <summary>rs2 read at slot 1.</summary>
    public AccessRecord Rs2;

    /// <summary>rd write at slot 2 when rd ≠ x0.</summary>
    public AccessRecord Rd;

    /// <summary>The memory word at slot 3 for loads and stores.</summary>
    public AccessRecord Mem;

    // An ECALL's fifth access (a1 read at slot 0); its other four share the fields above.
    AccessRecord a1;

    /// <summary>An ECALL's accesses under the syscall's names, kept in the same fields as an instruction's.</summary>
    public SyscallAccesses Syscall
    {
        readonly get => new(Rs1, a1, Rs2, Rd, Mem);
        set => (Rs1, a1, Rs2, Rd, Mem) = (value.A7, value.A1, value.A0, value.Slot2, value.Slot3);
    }
}

/// <summary>
/// The accesses of one ECALL (docs/MACHINE.md §4): a7 and a1 read at slot 0, a0 read at slot 1; at slot 2
/// a0 written (READ, CYCLES) or a2 read (WRITE); at slot 3 the journal cursor moved (COMMIT) or a1 written
/// (CYCLES). An access the syscall does not make is the default value.
/// </summary>
public readonly record struct SyscallAccesses(AccessRecord A7, AccessRecord A1, AccessRecord A0, AccessRecord Slot2, AccessRecord Slot3);
