using ZkVm.Machine.Witness;

namespace ZkVm.Machine.Precompiles;

/// <summary>
/// The table that proves every call of one extension syscall (docs/MACHINE.md §7b): it receives each call from its ECALL row
/// on <see cref="MachineBuses.Precompile"/>, reads the call's input and rewrites its state through the memory bus, and
/// states the operation between them. A table has no row without a call, and a call no table receives cannot be proven.
/// </summary>
public interface IPrecompileChip : IAir
{
    /// <summary>The syscall this table proves, as the emulator runs it.</summary>
    ExtensionSyscall Syscall { get; }

    /// <summary>The trace of <paramref name="calls"/> (each a call of <see cref="Syscall"/>, in cycle order), padded to a power of two.</summary>
    RowMajorMatrix Fill(IReadOnlyList<PrecompileCall> calls);
}
