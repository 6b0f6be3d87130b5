namespace ZkVm.Riscv.Image;

/// <summary>What a data access may do on a page.</summary>
public enum PageAccess : byte
{
    /// <summary>Unmapped: the null page below the lowest segment, code pages (Harvard), and everything from
    /// <see cref="GuestMemoryMap.AddressSpaceTop"/> on. Any access traps.</summary>
    None = 0,

    /// <summary>A page of a non-writable data segment (and of no writable one): loads only.</summary>
    ReadOnly = 1,

    /// <summary>Writable data, and the zero-filled heap and stack pages mapped on first touch.</summary>
    ReadWrite = 2,
}

/// <summary>The first page-aligned byte address from which <see cref="Access"/> holds, up to the next region.</summary>
public readonly record struct MemoryRegion(uint Start, PageAccess Access);

/// <summary>
/// Every rule by which a data access traps or not (docs/GUEST_ABI.md, "Memory map"), as regions of pages
/// that cover the guest address space from 0 to <see cref="GuestMemoryMap.AddressSpaceTop"/>. The emulator
/// (<see cref="Execution.PagedMemory"/>) and the circuit both read their rules from here, and the ImageId
/// binds it, so a proof is checked against the same map the emulator ran under.
/// </summary>
public sealed class MemoryMap
{
    public const int PageBits = 12;
    public const uint PageSize = 1u << PageBits;

    /// <summary>At most this many regions: a bound for maps rebuilt from untrusted bytes.</summary>
    public const int MaxRegions = 1 << 12;

    /// <summary>
    /// The regions: the first starts at 0, starts are page-aligned, strictly increasing and below the
    /// address-space top, and neighbours differ in access (so the map of a program is unique).
    /// </summary>
    public IReadOnlyList<MemoryRegion> Regions { get; }

    MemoryMap(MemoryRegion[] regions) => Regions = regions;

    /// <summary>A map from its regions, as a receipt carries them; null with a reason when they are not canonical.</summary>
    public static MemoryMap? TryCreate(IReadOnlyList<MemoryRegion> regions, out string? problem)
    {
        problem = regions.Count is 0 or > MaxRegions ? $"a memory map has 1 to {MaxRegions} regions, not {regions.Count}"
            : regions[0].Start != 0 ? $"the first region starts at 0x{regions[0].Start:x8}, not 0"
            : null;
        for (int i = 0; problem is null && i < regions.Count; i++)
        {
            var r = regions[i];
            if (r.Access is not (PageAccess.None or PageAccess.ReadOnly or PageAccess.ReadWrite))
                problem = $"region {i} has access {(byte)r.Access}, which is none of 0, 1, 2";
            else if ((r.Start & (PageSize - 1)) != 0 || r.Start >= GuestMemoryMap.AddressSpaceTop)
                problem = $"region {i} starts at 0x{r.Start:x8}, not a page below 0x{GuestMemoryMap.AddressSpaceTop:x8}";
            else if (i > 0 && (r.Start <= regions[i - 1].Start || r.Access == regions[i - 1].Access))
                problem = $"region {i} (0x{r.Start:x8}) does not start above region {i - 1} with another access";
        }
        return problem is null ? new MemoryMap([.. regions]) : null;
    }

    /// <summary>
    /// The map the loader's rules give: below the lowest segment nothing, code pages nothing, pages of
    /// read-only segments that share nothing with writable data read-only, every other page up to the top
    /// read-write (mapped zero-filled on first touch).
    /// </summary>
    public static MemoryMap Of(HarvardProgram program)
    {
        var pages = new PageAccess[GuestMemoryMap.AddressSpaceTop >> PageBits];
        Array.Fill(pages, PageAccess.ReadWrite, (int)(program.LowestAddress >> PageBits), pages.Length - (int)(program.LowestAddress >> PageBits));
        foreach (var segment in program.Data.Where(d => !d.Writable))
            Mark(pages, segment.Address, segment.Size, PageAccess.ReadOnly);
        foreach (var segment in program.Data.Where(d => d.Writable)) // a page shared with writable data stays writable
            Mark(pages, segment.Address, segment.Size, PageAccess.ReadWrite);
        foreach (var (start, end) in program.CodeSegments)
            Mark(pages, start, end - start, PageAccess.None);
        var regions = new List<MemoryRegion>();
        for (int page = 0; page < pages.Length; page++)
            if (page == 0 || pages[page] != pages[page - 1])
                regions.Add(new MemoryRegion((uint)page << PageBits, pages[page]));
        return new MemoryMap([.. regions]);
    }

    static void Mark(PageAccess[] pages, uint address, uint size, PageAccess access)
    {
        if (size == 0) return;
        for (uint page = address >> PageBits; page <= (address + size - 1) >> PageBits; page++)
            pages[page] = access;
    }

    /// <summary>The access allowed at a byte address (<see cref="PageAccess.None"/> from the top on).</summary>
    public PageAccess AccessOf(uint address)
    {
        if (address >= GuestMemoryMap.AddressSpaceTop) return PageAccess.None;
        int lo = 0, hi = Regions.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (Regions[mid].Start <= address) lo = mid; else hi = mid - 1;
        }
        return Regions[lo].Access;
    }

    /// <summary>One entry per page below the top, for the emulator's page table.</summary>
    public PageAccess[] PageTable()
    {
        var pages = new PageAccess[GuestMemoryMap.AddressSpaceTop >> PageBits];
        for (int i = 0; i < Regions.Count; i++)
        {
            int first = (int)(Regions[i].Start >> PageBits);
            int end = i + 1 < Regions.Count ? (int)(Regions[i + 1].Start >> PageBits) : pages.Length;
            Array.Fill(pages, Regions[i].Access, first, end - first);
        }
        return pages;
    }

    public override string ToString() => string.Join(", ", Regions.Select(r => $"0x{r.Start:x8} {r.Access}"));
}
