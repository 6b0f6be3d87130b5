using System.Buffers.Binary;
using System.Text;

namespace ZkVm.Riscv.Elf;

/// <summary>
/// A strict reader of static RV32 executables. Every field that decides what gets loaded is
/// checked; anything unexpected is a <see cref="ZkVmException"/> with an <see cref="ElfError"/> code.
/// </summary>
public sealed class ElfFile
{
    const int HeaderSize = 52, ProgramHeaderSize = 32, SectionHeaderSize = 40, SymbolSize = 16;
    const ushort TypeExec = 2, MachineRiscv = 243;
    const uint PtLoad = 1, PtDynamic = 2, PtInterp = 3;
    const uint ShtSymtab = 2;
    // e_flags: RVC, float ABI (2 bits), RVE. None of them is RV32IM/ilp32.
    const uint UnsupportedFlagMask = 0xF;

    ElfFile(uint entry, IReadOnlyList<ElfSegment> segments, IReadOnlyList<ElfSymbol> symbols)
    {
        Entry = entry;
        Segments = segments;
        Symbols = symbols;
    }

    public uint Entry { get; }

    /// <summary>PT_LOAD segments sorted by address.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    public IReadOnlyList<ElfSymbol> Symbols { get; }

    public static ElfFile Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ZkVmException(ElfError.Unreadable, $"{path}: file not found");
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

    public static ElfFile Parse(ReadOnlySpan<byte> file, string name = "<elf>")
    {
        if (file.Length > ElfLimits.MaxFileBytes)
            throw ElfError.At(ElfError.TooLarge, name, $"file is {file.Length} bytes, above the limit of {ElfLimits.MaxFileBytes}");
        if (file.Length < 4)
            throw ElfError.At(ElfError.Truncated, name, $"file is {file.Length} bytes, shorter than the ELF magic");
        if (file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
            throw ElfError.At(ElfError.BadMagic, name, "not an ELF file (bad magic at offset 0)");
        if (file.Length < HeaderSize)
            throw ElfError.At(ElfError.Truncated, name, $"file is {file.Length} bytes, shorter than the 52-byte ELF32 header");
        if (file[4] != 1)
            throw ElfError.At(ElfError.NotElf32, name, $"EI_CLASS is {file[4]}, expected 1 (ELFCLASS32)");
        if (file[5] != 1)
            throw ElfError.At(ElfError.NotLittleEndian, name, $"EI_DATA is {file[5]}, expected 1 (little-endian)");
        if (file[6] != 1)
            throw ElfError.At(ElfError.BadVersion, name, $"EI_VERSION is {file[6]}, expected 1");

        ushort type = U16(file, 16), machine = U16(file, 18);
        uint version = U32(file, 20), entry = U32(file, 24), phoff = U32(file, 28), shoff = U32(file, 32), flags = U32(file, 36);
        ushort ehsize = U16(file, 40), phentsize = U16(file, 42), phnum = U16(file, 44);
        ushort shentsize = U16(file, 46), shnum = U16(file, 48), shstrndx = U16(file, 50);

        if (type != TypeExec)
            throw ElfError.At(ElfError.NotExecutable, name, $"e_type is {type}, expected 2 (ET_EXEC, a static executable)");
        if (machine != MachineRiscv)
            throw ElfError.At(ElfError.NotRiscv, name, $"e_machine is {machine}, expected 243 (EM_RISCV)");
        if (version != 1)
            throw ElfError.At(ElfError.BadVersion, name, $"e_version is {version}, expected 1");
        if ((flags & UnsupportedFlagMask) != 0)
            throw ElfError.At(ElfError.UnsupportedFlags, name, $"e_flags 0x{flags:x} asks for compressed instructions, a float ABI or RV32E; only RV32IM/ilp32 runs here");
        if (ehsize != HeaderSize)
            throw ElfError.At(ElfError.BadHeaderSize, name, $"e_ehsize is {ehsize}, expected {HeaderSize}");
        if (phentsize != ProgramHeaderSize)
            throw ElfError.At(ElfError.BadHeaderSize, name, $"e_phentsize is {phentsize}, expected {ProgramHeaderSize}");
        if (phnum == 0 || phnum > ElfLimits.MaxProgramHeaders)
            throw ElfError.At(ElfError.ProgramHeaderTable, name, $"e_phnum is {phnum}, expected 1..{ElfLimits.MaxProgramHeaders}");
        if ((ulong)phoff + (ulong)phnum * ProgramHeaderSize > (ulong)file.Length)
            throw ElfError.At(ElfError.Truncated, name, $"program header table at 0x{phoff:x} ({phnum} entries) runs past the end of the {file.Length}-byte file");

        var segments = ReadSegments(file, name, phoff, phnum);
        CheckLayout(segments, entry, name);
        var symbols = shoff == 0 && shnum == 0
            ? (IReadOnlyList<ElfSymbol>)[]
            : ReadSymbols(file, name, shoff, shentsize, shnum, shstrndx);
        return new ElfFile(entry, segments, symbols);
    }

    static List<ElfSegment> ReadSegments(ReadOnlySpan<byte> file, string name, uint phoff, int phnum)
    {
        var segments = new List<ElfSegment>();
        ulong loaded = 0;
        for (int i = 0; i < phnum; i++)
        {
            var ph = file.Slice((int)phoff + i * ProgramHeaderSize, ProgramHeaderSize);
            uint type = U32(ph, 0), offset = U32(ph, 4), vaddr = U32(ph, 8), filesz = U32(ph, 16), memsz = U32(ph, 20), pflags = U32(ph, 24);
            string where = $"program header {i}";
            if (type is PtDynamic or PtInterp)
                throw ElfError.At(ElfError.DynamicExecutable, name, $"{where} is PT_DYNAMIC/PT_INTERP; only static executables run here");
            if (type != PtLoad || memsz == 0)
                continue;
            if (filesz > memsz)
                throw ElfError.At(ElfError.FileSizeAboveMemSize, name, $"{where}: p_filesz 0x{filesz:x} exceeds p_memsz 0x{memsz:x}");
            if ((ulong)offset + filesz > (ulong)file.Length)
                throw ElfError.At(ElfError.SegmentOutsideFile, name, $"{where}: file bytes 0x{offset:x}..0x{(ulong)offset + filesz:x} lie past the end of the {file.Length}-byte file");
            if ((ulong)vaddr + memsz > GuestMemoryMap.AddressSpaceTop)
                throw ElfError.At(ElfError.SegmentAddressRange, name, $"{where}: 0x{vaddr:x} + 0x{memsz:x} ends beyond the guest address space (0x{GuestMemoryMap.AddressSpaceTop:x})");
            loaded += memsz;
            if (loaded > ElfLimits.MaxLoadedBytes)
                throw ElfError.At(ElfError.TooLarge, name, $"{where}: loadable segments exceed {ElfLimits.MaxLoadedBytes} bytes in total");
            var segment = new ElfSegment(i, vaddr, memsz, pflags, file.Slice((int)offset, (int)filesz).ToArray());
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

    static List<ElfSymbol> ReadSymbols(ReadOnlySpan<byte> file, string name, uint shoff, ushort shentsize, ushort shnum, ushort shstrndx)
    {
        if (shentsize != SectionHeaderSize)
            throw ElfError.At(ElfError.BadHeaderSize, name, $"e_shentsize is {shentsize}, expected {SectionHeaderSize}");
        if (shnum > ElfLimits.MaxSections || (shnum > 0 && shstrndx >= shnum))
            throw ElfError.At(ElfError.BadSectionTable, name, $"e_shnum {shnum} / e_shstrndx {shstrndx} are out of range");
        if ((ulong)shoff + (ulong)shnum * SectionHeaderSize > (ulong)file.Length)
            throw ElfError.At(ElfError.Truncated, name, $"section header table at 0x{shoff:x} ({shnum} entries) runs past the end of the {file.Length}-byte file");

        var symbols = new List<ElfSymbol>();
        for (int i = 0; i < shnum; i++)
        {
            var sh = file.Slice((int)shoff + i * SectionHeaderSize, SectionHeaderSize);
            if (U32(sh, 4) != ShtSymtab)
                continue;
            uint offset = U32(sh, 16), size = U32(sh, 20), link = U32(sh, 24);
            if (U32(sh, 36) != SymbolSize || size % SymbolSize != 0 || size / SymbolSize > ElfLimits.MaxSymbols || (ulong)offset + size > (ulong)file.Length || link >= shnum)
                throw ElfError.At(ElfError.BadSectionTable, name, $"section {i} (.symtab) has a bad entry size, size, offset or string-table link");
            var strings = file.Slice((int)shoff + (int)link * SectionHeaderSize, SectionHeaderSize);
            uint strOffset = U32(strings, 16), strSize = U32(strings, 20);
            if ((ulong)strOffset + strSize > (ulong)file.Length)
                throw ElfError.At(ElfError.BadSectionTable, name, $"string table of section {i} lies past the end of the file");
            var table = file.Slice((int)strOffset, (int)strSize);
            for (uint s = 1; s < size / SymbolSize; s++)
            {
                var sym = file.Slice((int)(offset + s * SymbolSize), SymbolSize);
                uint nameOffset = U32(sym, 0);
                int kind = sym[12] & 0xF;
                if (nameOffset == 0 || kind > 2) // 0 NOTYPE, 1 OBJECT, 2 FUNC; sections and files are not symbols we need
                    continue;
                if (sym[14] == 0 && sym[15] == 0) // SHN_UNDEF: undefined weak references have no address
                    continue;
                if (nameOffset >= table.Length || table[(int)nameOffset..].IndexOf((byte)0) < 0)
                    throw ElfError.At(ElfError.BadSectionTable, name, $"symbol {s} of section {i} has a name outside its string table");
                var nameBytes = table[(int)nameOffset..];
                string symbolName = Encoding.UTF8.GetString(nameBytes[..nameBytes.IndexOf((byte)0)]);
                // Mapping symbols ($x, $d) and local labels (.L) mark positions, not functions or objects.
                if (!symbolName.StartsWith('$') && !symbolName.StartsWith(".L", StringComparison.Ordinal))
                    symbols.Add(new ElfSymbol(symbolName, U32(sym, 4), U32(sym, 8), kind == 2));
            }
        }
        return symbols;
    }

    static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
}
