namespace ZkVm.Riscv.Isa;

/// <summary>
/// An ECALL an extension adds, as the emulator runs it (docs/GUEST_ABI.md, "Accelerators"): a7 = <see cref="Number"/>,
/// a0 points to a state of <see cref="StateWords"/> words that the call replaces in place, a1 to an input of
/// <see cref="InputWords"/> more (ignored when 0). Both are word-aligned mapped data, the state writable; they may overlap.
/// The call reads every input and state word before it writes any. It returns nothing in the registers.
/// </summary>
public sealed record ExtensionSyscall(uint Number, string Name, int StateWords, int InputWords, ExtensionSyscall.Operation Apply)
{
    /// <summary>Replaces <paramref name="state"/> by the operation's result; returns null, or why the arguments are refused
    /// (the call then traps with BadSyscallArgument and changes nothing).</summary>
    public delegate string? Operation(Span<uint> state, ReadOnlySpan<uint> input);

    /// <summary>Extension syscall numbers: RV32IM's syscalls keep the numbers below.</summary>
    public const uint FirstNumber = 0x100, LastNumber = 0xFFFF;

    /// <summary>The most words a state or an input may have.</summary>
    public const int MaxWords = 64;
}
