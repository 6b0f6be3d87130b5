namespace ZkVm.Riscv.Trace;

/// <summary>Where <see cref="RecordStepper{TPort}"/> gets what is outside the registers: guest
/// memory and the host (a full run), or the read log of pass 1 (memoryless re-execution).</summary>
public interface IDataPort
{
    /// <summary>The raw, zero-extended value of a size-byte load at an address already checked for alignment.</summary>
    uint Load(uint address, int size, uint pc);

    void Store(uint address, uint value, int size, uint pc);

    /// <summary>Runs the ECALL whose a7..a2 are in regs (updating a0/a1 as the syscall defines); true if it halts.</summary>
    bool Syscall(uint[] regs, ulong cycle, uint pc);
}
