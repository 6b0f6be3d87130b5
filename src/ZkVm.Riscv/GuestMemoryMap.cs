namespace ZkVm.Riscv;

/// <summary>The memory map of docs/GUEST_ABI.md, shared by the loader, the emulator and guest/c/zkvm.ld.</summary>
public static class GuestMemoryMap
{
    /// <summary>Every loadable segment, the heap and the stack lie below this address.</summary>
    public const uint AddressSpaceTop = 0x2000_0000;

    /// <summary>Initial sp; the stack grows down from here.</summary>
    public const uint StackTop = AddressSpaceTop;

    /// <summary>Default bound on touched data memory (pages actually written or read).</summary>
    public const long DefaultMemoryLimitBytes = 256L << 20;
}
