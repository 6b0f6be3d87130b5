using ELFSharp.ELF;
using ELFSharp.ELF.Sections;
using ELFSharp.ELF.Segments;

namespace ZkVm.Riscv.Elf;

/// <summary>
/// A strict reader of static RV32 executables, parsed by ELFSharp. Every field that decides what gets
/// loaded is checked; anything unexpected, ELFSharp's own exceptions included, is a
/// <see cref="ZkVmException"/> with an <see cref="ElfError"/> code. <see cref="ElfGeometry"/> reads the
/// few fields ELFSharp does not expose, and every extent, before ELFSharp reads anything.
/// </summary>
public sealed class ElfFile
{
    const uint SymbolSize = 16;
    const ushort MachineRiscv = 243;
    // e_flags: RVC, float ABI (2 bits), RVE. None of them is RV32IM/ilp32.
    const uint UnsupportedFlagMask = 0xF;

    ElfFile(uint entry, IReadOnlyList<ElfSegment> segments, IReadOnlyList<ElfSymbol> symbols, byte[] bytes)
    {
        Bytes = bytes;
        Entry = entry;
        Segments = segments;
        Symbols = symbols;
    }

    public uint Entry { get; }

    /// <summary>PT_LOAD segments sorted by address.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>The file as it was parsed (a cluster sends it to its workers, which load it as strictly).</summary>
    public byte[] Bytes { get; }

    public static ElfFile Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ZkVmException(ElfError.Unreadable, Directory.Exists(path) ? $"{path}: a folder, not an ELF file" : $"{path}: file not found");
            if (info.Length > ElfLimits.MaxFileBytes)
                throw ElfError.At(ElfError.TooLarge, path, $"file is {info.Length} bytes, above the limit of {ElfLimits.MaxFileBytes}");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ZkVmException(ElfError.Unreadable, $"{path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ZkVmException(ElfError.Unreadable, $"{path}: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    public static ElfFile Parse(byte[] file, string name = "<elf>")
    {
        var symbolTables = ElfGeometry.Check(file, name);
        ELF<uint> elf;
        try
        {
            elf = ELFReader.Load<uint>(new MemoryStream(file, writable: false), shouldOwnStream: true);
        }
        catch (Exception e)
        {
            // The header and every extent are checked already, so what is left to fail is the contents
            // of sections and notes: names outside their string table, a note's sizes, a dynamic table.
            throw new ZkVmException(ElfError.BadSectionTable, $"{name}: a section or note cannot be read ({e.GetType().Name}: {e.Message})", e);
        }
        using (elf)
        {
            if (elf.Type != FileType.Executable)
                throw ElfError.At(ElfError.NotExecutable, name, $"e_type is {(ushort)elf.Type}, expected 2 (ET_EXEC, a static executable)");
            if ((ushort)elf.Machine != MachineRiscv)
                throw ElfError.At(ElfError.NotRiscv, name, $"e_machine is {(ushort)elf.Machine}, expected 243 (EM_RISCV)");
            if ((elf.MachineFlags & UnsupportedFlagMask) != 0)
                throw ElfError.At(ElfError.UnsupportedFlags, name, $"e_flags 0x{elf.MachineFlags:x} asks for compressed instructions, a float ABI or RV32E; only RV32IM/ilp32 runs here");
            var segments = ReadSegments(elf, name);
            CheckLayout(segments, elf.EntryPoint, name);
            return new ElfFile(elf.EntryPoint, segments, ReadSymbols(elf, symbolTables, name), file);
        }
    }

    static List<ElfSegment> ReadSegments(ELF<uint> elf, string name)
    {
        var segments = new List<ElfSegment>();
        ulong loaded = 0;
        for (int i = 0; i < elf.Segments.Count; i++)
        {
            var ph = elf.Segments[i];
            uint vaddr = ph.Address, memsz = ph.Size, filesz = (uint)ph.FileSize;
            string where = $"program header {i}";
            if (ph.Type is SegmentType.Dynamic or SegmentType.Interpreter)
                throw ElfError.At(ElfError.DynamicExecutable, name, $"{where} is PT_DYNAMIC/PT_INTERP; only static executables run here");
            if (ph.Type != SegmentType.Load || memsz == 0)
                continue;
            if (filesz > memsz)
                throw ElfError.At(ElfError.FileSizeAboveMemSize, name, $"{where}: p_filesz 0x{filesz:x} exceeds p_memsz 0x{memsz:x}");
            if ((ulong)vaddr + memsz > GuestMemoryMap.AddressSpaceTop)
                throw ElfError.At(ElfError.SegmentAddressRange, name, $"{where}: 0x{vaddr:x} + 0x{memsz:x} ends beyond the guest address space (0x{GuestMemoryMap.AddressSpaceTop:x})");
            loaded += memsz;
            if (loaded > ElfLimits.MaxLoadedBytes)
                throw ElfError.At(ElfError.TooLarge, name, $"{where}: loadable segments exceed {ElfLimits.MaxLoadedBytes} bytes in total");
            var segment = new ElfSegment(i, vaddr, memsz, (uint)ph.Flags, ph.GetFileContents());
            if (segment.IsExecutable)
            {
                if (segment.IsWritable)
                    throw ElfError.At(ElfError.WritableCode, name, $"{where} is writable and executable; code must be read-only (Harvard)");
                if ((vaddr & 3) != 0 || (memsz & 3) != 0)
                    throw ElfError.At(ElfError.MisalignedCode, name, $"{where}: executable segment 0x{vaddr:x} size 0x{memsz:x} is not 4-byte aligned");
                if (memsz > ElfLimits.MaxCodeBytes)
                    throw ElfError.At(ElfError.TooLarge, name, $"{where}: executable segment of 0x{memsz:x} bytes is above the limit of 0x{ElfLimits.MaxCodeBytes:x}");
            }
            segments.Add(segment);
        }
        segments.Sort((a, b) => a.VirtualAddress.CompareTo(b.VirtualAddress));
        return segments;
    }

    static void CheckLayout(List<ElfSegment> segments, uint entry, string name)
    {
        for (int i = 1; i < segments.Count; i++)
        {
            ElfSegment a = segments[i - 1], b = segments[i];
            if (b.VirtualAddress < a.End)
                throw ElfError.At(ElfError.OverlappingSegments, name, $"program headers {a.Index} (0x{a.VirtualAddress:x}..0x{a.End:x}) and {b.Index} (0x{b.VirtualAddress:x}..0x{b.End:x}) overlap");
            // Harvard: a page holds code or data, never both, so data accesses are checked per page.
            if (a.IsExecutable != b.IsExecutable && (a.End - 1) / ElfLimits.PageSize == b.VirtualAddress / ElfLimits.PageSize)
                throw ElfError.At(ElfError.CodeSharesDataPage, name, $"program headers {a.Index} and {b.Index} share the page at 0x{b.VirtualAddress / ElfLimits.PageSize * ElfLimits.PageSize:x}; code and data must be on separate 4 KiB pages");
        }
        if (!segments.Any(s => s.IsExecutable))
            throw ElfError.At(ElfError.NoCode, name, "no loadable executable segment");
        if ((entry & 3) != 0 || !segments.Any(s => s.IsExecutable && entry >= s.VirtualAddress && entry < s.End))
            throw ElfError.At(ElfError.BadEntry, name, $"entry point 0x{entry:x} is not an aligned address inside an executable segment");
    }

    static List<ElfSymbol> ReadSymbols(ELF<uint> elf, List<(int Section, uint Link)> symbolTables, string name)
    {
        var symbols = new List<ElfSymbol>();
        foreach (var (index, link) in symbolTables)
        {
            var table = (SymbolTable<uint>)elf.Sections[index];
            if (table.EntrySize != SymbolSize || table.Size % SymbolSize != 0 || table.Size / SymbolSize > ElfLimits.MaxSymbols)
                throw ElfError.At(ElfError.BadSectionTable, name, $"section {index} (.symtab) has a bad entry size or size");
            // ELFSharp names symbols from the section called .strtab; sh_link must say the same.
            if (elf.Sections[(int)link].Name != ".strtab")
                throw ElfError.At(ElfError.BadSectionTable, name, $"section {index} (.symtab) links to section {link}, not to .strtab");
            foreach (var symbol in table.Entries.Skip(1))
            {
                // Sections and files are not symbols we need; undefined weak references have no address.
                if (symbol.Type is not (SymbolType.NotSpecified or SymbolType.Object or SymbolType.Function) || symbol.PointedSectionIndex == 0)
                    continue;
                // Mapping symbols ($x, $d) and local labels (.L) mark positions, not functions or objects.
                if (symbol.Name.Length == 0 || symbol.Name.StartsWith('$') || symbol.Name.StartsWith(".L", StringComparison.Ordinal))
                    continue;
                symbols.Add(new ElfSymbol(symbol.Name, symbol.Value, symbol.Size, symbol.Type == SymbolType.Function));
            }
        }
        return symbols;
    }
}
