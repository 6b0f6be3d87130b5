using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkVm.Riscv.Image;

namespace ZkVm.Riscv.Execution;

/// <summary>
/// The guest's data memory: 4 KiB pages allocated on first touch, below
/// <see cref="GuestMemoryMap.AddressSpaceTop"/> and above the program's lowest address, never on a
/// code page (Harvard), and never more than the memory limit.
/// </summary>
public sealed class PagedMemory
{
    public const int PageBits = 12;
    public const uint PageSize = 1u << PageBits, PageMask = PageSize - 1;

    // One entry per page of the whole 32-bit space, so any address indexes it without a range check.
    internal readonly byte[]?[] Pages = new byte[1 << (32 - PageBits)][];
    readonly bool[] codePages = new bool[1 << (32 - PageBits)];
    readonly uint floorPage;
    readonly long limitPages;

    public PagedMemory(HarvardProgram program, long limitBytes)
    {
        floorPage = program.LowestAddress >> PageBits;
        limitPages = limitBytes >> PageBits;
        foreach (var (start, end) in program.CodeSegments)
            for (uint page = start >> PageBits; page <= (end - 1) >> PageBits; page++)
                codePages[page] = true;
        foreach (var segment in program.Data)
            WriteBytes(segment.Address, segment.Bytes, 0);
    }

    /// <summary>Pages touched so far, times the page size.</summary>
    public long BytesInUse => PagesInUse * PageSize;

    long PagesInUse { get; set; }

    /// <summary>Why the last <see cref="Fault"/> returned null.</summary>
    public TrapCause LastFault { get; private set; }

    /// <summary>The slow path of an access to a page not yet present: allocates it, or returns null with <see cref="LastFault"/> set.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public byte[]? Fault(uint address)
    {
        uint page = address >> PageBits;
        if (Pages[page] is { } present)
            return present;
        if (address >= GuestMemoryMap.AddressSpaceTop || page < floorPage || codePages[page])
        {
            LastFault = TrapCause.UnmappedAccess;
            return null;
        }
        if (PagesInUse >= limitPages)
        {
            LastFault = TrapCause.MemoryLimit;
            return null;
        }
        PagesInUse++;
        return Pages[page] = new byte[PageSize];
    }

    /// <summary>Zero-extended value of 1, 2 or 4 bytes at an address aligned to that size.</summary>
    public uint Load(uint address, int size, uint pc)
    {
        var page = PageOf(address, size, pc);
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(address & PageMask));
        return size switch { 1 => at, 2 => Unsafe.ReadUnaligned<ushort>(ref at), _ => Unsafe.ReadUnaligned<uint>(ref at) };
    }

    public void Store(uint address, uint value, int size, uint pc)
    {
        var page = PageOf(address, size, pc);
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(address & PageMask));
        switch (size)
        {
            case 1: at = (byte)value; break;
            case 2: Unsafe.WriteUnaligned(ref at, (ushort)value); break;
            default: Unsafe.WriteUnaligned(ref at, value); break;
        }
    }

    /// <summary>Copies guest bytes out (WRITE, COMMIT); every byte must be mapped data.</summary>
    public void ReadBytes(uint address, Span<byte> destination, uint pc)
    {
        CheckRange(address, destination.Length, pc);
        for (int done = 0; done < destination.Length;)
        {
            uint at = address + (uint)done;
            var page = PageOf(at, 1, pc);
            int n = Math.Min(destination.Length - done, (int)(PageSize - (at & PageMask)));
            page.AsSpan((int)(at & PageMask), n).CopyTo(destination[done..]);
            done += n;
        }
    }

    /// <summary>Copies bytes into the guest (READ, the initial image).</summary>
    public void WriteBytes(uint address, ReadOnlySpan<byte> source, uint pc)
    {
        CheckRange(address, source.Length, pc);
        for (int done = 0; done < source.Length;)
        {
            uint at = address + (uint)done;
            var page = PageOf(at, 1, pc);
            int n = Math.Min(source.Length - done, (int)(PageSize - (at & PageMask)));
            source.Slice(done, n).CopyTo(page.AsSpan((int)(at & PageMask), n));
            done += n;
        }
    }

    void CheckRange(uint address, int length, uint pc)
    {
        if ((ulong)address + (ulong)length > GuestMemoryMap.AddressSpaceTop)
            throw new TrapException(new Trap(TrapCause.UnmappedAccess, pc, $"{length} bytes at 0x{address:x8} run past the end of guest memory"));
    }

    byte[] PageOf(uint address, int size, uint pc)
    {
        if ((address & (uint)(size - 1)) != 0)
            throw new TrapException(new Trap(TrapCause.MisalignedAccess, pc, $"{size}-byte access at 0x{address:x8} is not aligned"));
        return Pages[address >> PageBits] ?? Fault(address) ?? throw new TrapException(FaultTrap(address, pc));
    }

    /// <summary>The trap for the last failed <see cref="Fault"/>.</summary>
    public Trap FaultTrap(uint address, uint pc) => LastFault == TrapCause.MemoryLimit
        ? new Trap(TrapCause.MemoryLimit, pc, $"touching 0x{address:x8} would exceed the memory limit of {limitPages * PageSize} bytes")
        : new Trap(TrapCause.UnmappedAccess, pc, codePages[address >> PageBits]
            ? $"0x{address:x8} is code, which is not readable or writable as data (Harvard)"
            : $"0x{address:x8} is not mapped data memory");
}
