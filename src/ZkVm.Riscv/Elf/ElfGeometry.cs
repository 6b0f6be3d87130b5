using System.Buffers.Binary;

namespace ZkVm.Riscv.Elf;

/// <summary>
/// The part of an ELF file read by hand, before ELFSharp sees it: the fields ELFSharp does not expose
/// (EI_VERSION, e_version, e_ehsize, e_phentsize, e_shentsize, e_shnum, e_shstrndx, a section's sh_link)
/// and the file extent of every table, segment and section. ELFSharp reads all of them eagerly and sizes
/// its buffers from them, so checking extents first keeps its time and memory within the file's size.
/// </summary>
static class ElfGeometry
{
    public const int HeaderSize = 52, ProgramHeaderSize = 32, SectionHeaderSize = 40;
    const uint ShtSymtab = 2, ShtStrtab = 3, ShtNobits = 8;

    /// <summary>The .symtab sections and the index of the string table each one links to.</summary>
    public static List<(int Section, uint Link)> Check(ReadOnlySpan<byte> file, string name)
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

        uint version = U32(file, 20), phoff = U32(file, 28), shoff = U32(file, 32);
        ushort ehsize = U16(file, 40), phentsize = U16(file, 42), phnum = U16(file, 44);
        ushort shentsize = U16(file, 46), shnum = U16(file, 48), shstrndx = U16(file, 50);
        if (version != 1)
            throw ElfError.At(ElfError.BadVersion, name, $"e_version is {version}, expected 1");
        if (ehsize != HeaderSize)
            throw ElfError.At(ElfError.BadHeaderSize, name, $"e_ehsize is {ehsize}, expected {HeaderSize}");
        if (phentsize != ProgramHeaderSize)
            throw ElfError.At(ElfError.BadHeaderSize, name, $"e_phentsize is {phentsize}, expected {ProgramHeaderSize}");
        if (phnum == 0 || phnum > ElfLimits.MaxProgramHeaders)
            throw ElfError.At(ElfError.ProgramHeaderTable, name, $"e_phnum is {phnum}, expected 1..{ElfLimits.MaxProgramHeaders}");
        if ((ulong)phoff + (ulong)phnum * ProgramHeaderSize > (ulong)file.Length)
            throw ElfError.At(ElfError.Truncated, name, $"program header table at 0x{phoff:x} ({phnum} entries) runs past the end of the {file.Length}-byte file");
        for (int i = 0; i < phnum; i++)
        {
            var ph = file.Slice((int)phoff + i * ProgramHeaderSize, ProgramHeaderSize);
            uint offset = U32(ph, 4), filesz = U32(ph, 16);
            if ((ulong)offset + filesz > (ulong)file.Length)
                throw ElfError.At(ElfError.SegmentOutsideFile, name, $"program header {i}: file bytes 0x{offset:x}..0x{(ulong)offset + filesz:x} lie past the end of the {file.Length}-byte file");
        }

        var symbolTables = new List<(int, uint)>();
        if (shoff == 0 && shnum == 0)
            return symbolTables;
        if (shentsize != SectionHeaderSize)
            throw ElfError.At(ElfError.BadHeaderSize, name, $"e_shentsize is {shentsize}, expected {SectionHeaderSize}");
        // e_shnum 0 with a table means extended numbering (the count in section 0), which no guest needs.
        if (shnum == 0 || shnum > ElfLimits.MaxSections || shstrndx >= shnum)
            throw ElfError.At(ElfError.BadSectionTable, name, $"e_shnum {shnum} / e_shstrndx {shstrndx} are out of range");
        if ((ulong)shoff + (ulong)shnum * SectionHeaderSize > (ulong)file.Length)
            throw ElfError.At(ElfError.Truncated, name, $"section header table at 0x{shoff:x} ({shnum} entries) runs past the end of the {file.Length}-byte file");
        for (int i = 0; i < shnum; i++)
        {
            var sh = Section(file, shoff, i);
            uint type = U32(sh, 4), offset = U32(sh, 16), size = U32(sh, 20), link = U32(sh, 24);
            if (type != ShtNobits && (ulong)offset + size > (ulong)file.Length)
                throw ElfError.At(ElfError.BadSectionTable, name, $"section {i}: bytes 0x{offset:x}..0x{(ulong)offset + size:x} lie past the end of the {file.Length}-byte file");
            if (type != ShtSymtab)
                continue;
            if (link >= shnum || U32(Section(file, shoff, (int)link), 4) != ShtStrtab)
                throw ElfError.At(ElfError.BadSectionTable, name, $"section {i} (.symtab) links to section {link}, which is not a string table");
            symbolTables.Add((i, link));
        }
        return symbolTables;
    }

    static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> file, uint shoff, int index) =>
        file.Slice((int)shoff + index * SectionHeaderSize, SectionHeaderSize);

    static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
}
