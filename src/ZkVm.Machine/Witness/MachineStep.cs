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

    /// <summary>rs1 read at slot 0 (ECALL: a7).</summary>
    public AccessRecord Rs1;

    /// <summary>rs2 read at slot 1 (ECALL: a0 read).</summary>
    public AccessRecord Rs2;

    /// <summary>rd write at slot 2 when rd ≠ x0 (ECALL: a0 written by READ and CYCLES, a2 read by WRITE).</summary>
    public AccessRecord Rd;

    /// <summary>The memory word at slot 3 for loads and stores (ECALL: the journal cursor for COMMIT, a1 for CYCLES).</summary>
    public AccessRecord Mem;

    /// <summary>ECALL only: a1 read at slot 0 by READ, WRITE and COMMIT.</summary>
    public AccessRecord Arg;
}
