using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkVm.Riscv.Image;

namespace ZkVm.Riscv.Execution;

/// <summary>
/// The guest's data memory: 4 KiB pages allocated on first touch where the program's
/// <see cref="MemoryMap"/> maps them, and never more than the memory limit. Read-only pages are in
/// <see cref="Pages"/> but not in <see cref="WritablePages"/>, so a store to them takes the slow path and traps.
/// </summary>
public sealed class PagedMemory
{
    public const int PageBits = 12;
    public const uint PageSize = 1u << PageBits, PageMask = PageSize - 1;

    // One entry per page of the whole 32-bit space, so any address indexes it without a range check.
    internal readonly byte[]?[] Pages = new byte[1 << (32 - PageBits)][];
    internal readonly byte[]?[] WritablePages = new byte[1 << (32 - PageBits)][];
    // The map's access per page below the address-space top; every page above it is unmapped.
    readonly PageAccess[] access;
    readonly HarvardProgram program;
    readonly long limitPages;

    public PagedMemory(HarvardProgram program, long limitBytes)
    {
        this.program = program;
        access = program.Map.PageTable();
        limitPages = limitBytes >> PageBits;
        foreach (var segment in program.Data)
            for (int done = 0; done < segment.Bytes.Length;)
            {
                uint at = segment.Address + (uint)done;
                var page = Fault(at, write: false) ?? throw new ZkVmException(TrapCodes.Of(LastFault), $"the initial data image does not fit the memory limit at 0x{at:x8}");
                int n = Math.Min(segment.Bytes.Length - done, (int)(PageSize - (at & PageMask)));
                segment.Bytes.AsSpan(done, n).CopyTo(page.AsSpan((int)(at & PageMask)));
                done += n;
            }
    }

    /// <summary>Pages touched so far, times the page size.</summary>
    public long BytesInUse => PagesInUse * PageSize;

    long PagesInUse { get; set; }

    /// <summary>Why the last <see cref="Fault"/> returned null.</summary>
    public TrapCause LastFault { get; private set; }

    /// <summary>The slow path of an access to a page not in the fast table: allocates it, or returns
    /// null with <see cref="LastFault"/> set (unmapped, memory limit, or a store to read-only data).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public byte[]? Fault(uint address, bool write)
    {
        uint page = address >> PageBits;
        var allowed = page < access.Length ? access[page] : PageAccess.None;
        if (allowed == PageAccess.None)
        {
            LastFault = TrapCause.UnmappedAccess;
            return null;
        }
        if (write && allowed == PageAccess.ReadOnly)
        {
            LastFault = TrapCause.ReadOnlyWrite;
            return null;
        }
        if (Pages[page] is { } present)
            return present;
        if (PagesInUse >= limitPages)
        {
            LastFault = TrapCause.MemoryLimit;
            return null;
        }
        PagesInUse++;
        var allocated = Pages[page] = new byte[PageSize];
        if (allowed == PageAccess.ReadWrite)
            WritablePages[page] = allocated;
        return allocated;
    }

    /// <summary>Zero-extended value of 1, 2 or 4 bytes at an address aligned to that size.</summary>
    public uint Load(uint address, int size, uint pc)
    {
        var page = PageOf(address, size, pc, write: false);
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(address & PageMask));
        return size switch { 1 => at, 2 => Unsafe.ReadUnaligned<ushort>(ref at), _ => Unsafe.ReadUnaligned<uint>(ref at) };
    }

    public void Store(uint address, uint value, int size, uint pc)
    {
        var page = PageOf(address, size, pc, write: true);
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
            var page = PageOf(at, 1, pc, write: false);
            int n = Math.Min(destination.Length - done, (int)(PageSize - (at & PageMask)));
            page.AsSpan((int)(at & PageMask), n).CopyTo(destination[done..]);
            done += n;
        }
    }

    /// <summary>Copies bytes into the guest (READ).</summary>
    public void WriteBytes(uint address, ReadOnlySpan<byte> source, uint pc)
    {
        CheckRange(address, source.Length, pc);
        for (int done = 0; done < source.Length;)
        {
            uint at = address + (uint)done;
            var page = PageOf(at, 1, pc, write: true);
            int n = Math.Min(source.Length - done, (int)(PageSize - (at & PageMask)));
            source.Slice(done, n).CopyTo(page.AsSpan((int)(at & PageMask), n));
            done += n;
        }
    }

    // A buffer of no bytes names no address, so it cannot trap (the circuit moves nothing for it either).
    internal void CheckRange(uint address, int length, uint pc)
    {
        if (length != 0 && (ulong)address + (ulong)length > GuestMemoryMap.AddressSpaceTop)
            throw new TrapException(new Trap(TrapCause.UnmappedAccess, pc, $"{length} bytes at 0x{address:x8} run past the end of guest memory"));
    }

    byte[] PageOf(uint address, int size, uint pc, bool write)
    {
        if ((address & (uint)(size - 1)) != 0)
            throw new TrapException(new Trap(TrapCause.MisalignedAccess, pc, $"{size}-byte access at 0x{address:x8} is not aligned"));
        return (write ? WritablePages : Pages)[address >> PageBits] ?? Fault(address, write) ?? throw new TrapException(FaultTrap(address, pc));
    }

    /// <summary>The trap for the last failed <see cref="Fault"/>.</summary>
    public Trap FaultTrap(uint address, uint pc) => LastFault switch
    {
        TrapCause.MemoryLimit => new Trap(TrapCause.MemoryLimit, pc, $"touching 0x{address:x8} would exceed the memory limit of {limitPages * PageSize} bytes"),
        TrapCause.ReadOnlyWrite => new Trap(TrapCause.ReadOnlyWrite, pc, $"0x{address:x8} is in a read-only data segment"),
        _ => new Trap(TrapCause.UnmappedAccess, pc, program.IsCodePage(address)
            ? $"0x{address:x8} is code, which is not readable or writable as data (Harvard)"
            : $"0x{address:x8} is not mapped data memory"),
    };
}
