using System.Buffers.Binary;
using System.Diagnostics;
using ZkVm.Riscv.Elf;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;

namespace ZkVm.Riscv.Tests;

/// <summary>
/// Corrupted variants of a valid guest ELF (the fibonacci sample), each rejected with its own
/// stable code, never another exception, in bounded time and allocation.
/// </summary>
public class MalformedElfTests
{
    const int PhOff = 28, ShOff = 32, Flags = 36, EhSize = 40, PhEntSize = 42, PhNum = 44, ShEntSize = 46, ShNum = 48, ShStrNdx = 50;

    static readonly Lazy<byte[]> Valid = new(() => File.ReadAllBytes(Guests.SampleElf("fibonacci")));

    /// <summary>Variants by name: a mutation of the valid file and the code it must produce.</summary>
    static readonly Dictionary<string, (Func<byte[], byte[]> Mutate, string Code)> Variants = new()
    {
        ["empty file"] = (f => [], ElfError.Truncated),
        ["3 bytes"] = (f => f[..3], ElfError.Truncated),
        ["truncated after e_ident"] = (f => f[..16], ElfError.Truncated),
        ["truncated inside the header"] = (f => f[..40], ElfError.Truncated),
        ["truncated 1 byte before the header ends"] = (f => f[..51], ElfError.Truncated),
        ["truncated at the end of the header"] = (f => f[..52], ElfError.Truncated),
        ["truncated after program header 1"] = (f => f[..(ProgramHeader(f, 1))], ElfError.Truncated),
        ["truncated after program header 2"] = (f => f[..(ProgramHeader(f, 2))], ElfError.Truncated),
        ["truncated inside the last program header"] = (f => f[..(ProgramHeader(f, U16(f, PhNum)) - 1)], ElfError.Truncated),
        ["truncated at the end of the program headers"] = (f => f[..ProgramHeader(f, U16(f, PhNum))], ElfError.SegmentOutsideFile),
        ["truncated inside the code segment"] = (f => f[..(int)(Segment(f, Code(f)).Offset + 16)], ElfError.SegmentOutsideFile),
        ["truncated inside the section headers"] = (f => f[..^1], ElfError.Truncated),
        ["bad magic"] = (f => Set8(f, 1, (byte)'X'), ElfError.BadMagic),
        ["not ELF at all"] = (f => "#!/bin/sh\necho this is not an ELF file at all, just text\n"u8.ToArray(), ElfError.BadMagic),
        ["ELFCLASS64"] = (f => Set8(f, 4, 2), ElfError.NotElf32),
        ["class none"] = (f => Set8(f, 4, 0), ElfError.NotElf32),
        ["big-endian"] = (f => Set8(f, 5, 2), ElfError.NotLittleEndian),
        ["EI_VERSION 0"] = (f => Set8(f, 6, 0), ElfError.BadVersion),
        ["ET_DYN"] = (f => Set16(f, 16, 3), ElfError.NotExecutable),
        ["ET_REL"] = (f => Set16(f, 16, 1), ElfError.NotExecutable),
        ["EM_X86_64"] = (f => Set16(f, 18, 62), ElfError.NotRiscv),
        ["e_version 2"] = (f => Set32(f, 20, 2), ElfError.BadVersion),
        ["entry in data"] = (f => Set32(f, 24, Segment(f, Data(f)).Vaddr), ElfError.BadEntry),
        ["entry misaligned"] = (f => Set32(f, 24, U32(f, 24) + 2), ElfError.BadEntry),
        ["entry past the code"] = (f => Set32(f, 24, Segment(f, Code(f)).Vaddr + Segment(f, Code(f)).MemSize), ElfError.BadEntry),
        ["entry zero"] = (f => Set32(f, 24, 0), ElfError.BadEntry),
        ["e_phoff huge"] = (f => Set32(f, PhOff, 0xFFFF_FFF0), ElfError.Truncated),
        ["e_shoff huge"] = (f => Set32(f, ShOff, 0xFFFF_FFF0), ElfError.Truncated),
        ["compressed-instruction flag"] = (f => Set32(f, Flags, 1), ElfError.UnsupportedFlags),
        ["double-float ABI flag"] = (f => Set32(f, Flags, 4), ElfError.UnsupportedFlags),
        ["RV32E flag"] = (f => Set32(f, Flags, 8), ElfError.UnsupportedFlags),
        ["e_ehsize 64"] = (f => Set16(f, EhSize, 64), ElfError.BadHeaderSize),
        ["e_phentsize 56"] = (f => Set16(f, PhEntSize, 56), ElfError.BadHeaderSize),
        ["e_phnum 0"] = (f => Set16(f, PhNum, 0), ElfError.ProgramHeaderTable),
        ["e_phnum 65535"] = (f => Set16(f, PhNum, 0xFFFF), ElfError.ProgramHeaderTable),
        ["e_shentsize 64"] = (f => Set16(f, ShEntSize, 64), ElfError.BadHeaderSize),
        ["e_shnum huge"] = (f => Set16(f, ShNum, 0xFFFF), ElfError.BadSectionTable),
        ["e_shstrndx out of range"] = (f => Set16(f, ShStrNdx, U16(f, ShNum)), ElfError.BadSectionTable),
        ["p_filesz above p_memsz"] = (f => SetPh(f, Code(f), 16, Segment(f, Code(f)).MemSize + 4), ElfError.FileSizeAboveMemSize),
        ["p_offset past the file"] = (f => SetPh(f, Code(f), 4, 0x7FFF_0000), ElfError.SegmentOutsideFile),
        ["p_vaddr + p_memsz overflows"] = (f => SetPh(f, Data(f), 8, 0xFFFF_F000), ElfError.SegmentAddressRange),
        ["p_memsz 4 GiB"] = (f => SetPh(f, Data(f), 20, 0xFFFF_FFFF), ElfError.SegmentAddressRange),
        ["segment above the address space"] = (f => SetPh(f, Data(f), 8, GuestMemoryMap.AddressSpaceTop), ElfError.SegmentAddressRange),
        ["loadable total above the limit"] = (f => SetPh(f, Data(f), 20, ElfLimits.MaxLoadedBytes), ElfError.TooLarge),
        ["code segment above the ROM limit"] = (f => SetPh(f, Code(f), 20, ElfLimits.MaxCodeBytes + 4), ElfError.TooLarge),
        ["writable code"] = (f => SetPh(f, Code(f), 24, 7), ElfError.WritableCode),
        ["misaligned code segment"] = (f => SetPh(f, Code(f), 8, Segment(f, Code(f)).Vaddr + 2), ElfError.MisalignedCode),
        ["no executable segment"] = (f => SetPh(f, Code(f), 24, 4), ElfError.NoCode),
        ["overlapping segments"] = (f => SetPh(f, Data(f), 8, Segment(f, Code(f)).Vaddr + 0x100), ElfError.OverlappingSegments),
        ["data on the last code page"] = (f => SetPh(f, Data(f), 8, (Segment(f, Code(f)).Vaddr + Segment(f, Code(f)).MemSize + 3) & ~3u), ElfError.CodeSharesDataPage),
        ["PT_INTERP"] = (f => SetPh(f, Data(f), 0, 3), ElfError.DynamicExecutable),
        ["PT_DYNAMIC"] = (f => SetPh(f, Data(f), 0, 2), ElfError.DynamicExecutable),
        ["symtab entry size"] = (f => SetSh(f, Symtab(f), 36, 20), ElfError.BadSectionTable),
        ["symtab past the file"] = (f => SetSh(f, Symtab(f), 16, 0x7FFF_0000), ElfError.BadSectionTable),
        ["symtab string-table link out of range"] = (f => SetSh(f, Symtab(f), 24, 0xFFFF), ElfError.BadSectionTable),
        ["symbol name outside its string table"] = (f => Set32(f, FirstFunctionSymbol(f), 0x7FFF_FFFF), ElfError.BadSectionTable),
        ["extended section numbering"] = (f => Set16(f, ShNum, 0), ElfError.BadSectionTable),
        [".strtab past the file"] = (f => SetSh(f, (int)SectionField(f, Symtab(f), 24), 16, 0x7FFF_0000), ElfError.BadSectionTable),
        ["symtab linked to a code section"] = (f => SetSh(f, Symtab(f), 24, 1), ElfError.BadSectionTable),
        ["symtab linked to .shstrtab"] = (f => SetSh(f, Symtab(f), 24, U16(f, ShStrNdx)), ElfError.BadSectionTable),
        // What ELFSharp itself refuses, turned into the same typed error.
        ["section name outside .shstrtab"] = (f => SetSh(f, 1, 0, 0x7FFF_FFFF), ElfError.BadSectionTable),
        ["e_shstrndx names the code section"] = (f => Set16(f, ShStrNdx, 1), ElfError.BadSectionTable),
        ["note segment with a negative name size"] = (f => NegativeNote(f), ElfError.BadSectionTable),
        ["file above the size limit"] = (f => [.. f, .. new byte[ElfLimits.MaxFileBytes]], ElfError.TooLarge),
    };

    /// <summary>Variants that pass our own checks and fail inside ELFSharp.</summary>
    static readonly HashSet<string> RefusedByElfSharp =
        ["symbol name outside its string table", "section name outside .shstrtab", "e_shstrndx names the code section", "note segment with a negative name size"];

    public static TheoryData<string> Names => new(Variants.Keys);

    [Fact]
    public void The_corpus_has_at_least_30_variants_and_the_original_loads()
    {
        Assert.True(Variants.Count >= 30);
        var program = HarvardProgram.FromElf(ElfFile.Parse(Valid.Value));
        Assert.True(program.Rom.Length > 100);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Variant_is_rejected_with_its_code(string name)
    {
        var (mutate, code) = Variants[name];
        var bytes = mutate(Valid.Value.ToArray());
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<ZkVmException>(() => HarvardProgram.FromElf(ElfFile.Parse(bytes, name)));
        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(code, error.Code);
        Assert.Contains(name, error.Message);
        // Only the call into ELFSharp is wrapped so (its frames may be inlined away, so not the stack trace).
        if (RefusedByElfSharp.Contains(name))
            Assert.Matches(@": a section or note cannot be read \(\w+Exception: ", error.Message);
        else
            Assert.Null(error.InnerException);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.True(allocated < 2L * bytes.Length + (1 << 20), $"allocated {allocated} bytes for a {bytes.Length}-byte file");
    }

    [Fact]
    public void Random_corruption_of_the_headers_gives_a_program_or_a_typed_error()
    {
        var random = new Random(2026);
        var valid = Valid.Value;
        int shoff = (int)U32(valid, ShOff);
        int headerBytes = ProgramHeader(valid, U16(valid, PhNum));
        for (int round = 0; round < 2000; round++)
        {
            var bytes = valid.ToArray();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                // Half the flips hit the ELF and program headers, the rest the section headers.
                int at = random.Next(2) == 0 ? random.Next(headerBytes) : shoff + random.Next(bytes.Length - shoff);
                bytes[at] = (byte)random.Next(256);
            }
            try
            {
                HarvardProgram.FromElf(ElfFile.Parse(bytes));
            }
            catch (ZkVmException e)
            {
                Assert.StartsWith("ZK20", e.Code);
            }
        }
    }

    static int Code(byte[] f) => SegmentIndex(f, executable: true);
    static int Data(byte[] f) => SegmentIndex(f, executable: false);

    static int SegmentIndex(byte[] f, bool executable)
    {
        for (int i = 0; i < U16(f, PhNum); i++)
            if (U32(f, ProgramHeader(f, i)) == 1 && ((U32(f, ProgramHeader(f, i) + 24) & 1) != 0) == executable)
                return i;
        throw new InvalidOperationException("the sample has no such segment");
    }

    static (uint Offset, uint Vaddr, uint MemSize) Segment(byte[] f, int i) =>
        (U32(f, ProgramHeader(f, i) + 4), U32(f, ProgramHeader(f, i) + 8), U32(f, ProgramHeader(f, i) + 20));

    static int ProgramHeader(byte[] f, int i) => (int)U32(f, PhOff) + 32 * i;

    /// <summary>Turns the attributes segment into PT_NOTE whose first note claims a name of −16 bytes.</summary>
    static byte[] NegativeNote(byte[] f)
    {
        int attributes = Enumerable.Range(0, U16(f, PhNum)).First(i => U32(f, ProgramHeader(f, i)) == 0x7000_0003);
        SetPh(f, attributes, 0, 4);
        return Set32(f, (int)Segment(f, attributes).Offset, 0xFFFF_FFF0);
    }

    static int Symtab(byte[] f)
    {
        for (int i = 0; i < U16(f, ShNum); i++)
            if (SectionField(f, i, 4) == 2)
                return i;
        throw new InvalidOperationException("the sample has no .symtab");
    }

    static int FirstFunctionSymbol(byte[] f)
    {
        uint table = SectionField(f, Symtab(f), 16), size = SectionField(f, Symtab(f), 20);
        for (uint at = table; at < table + size; at += 16)
            if ((f[at + 12] & 0xF) == 2)
                return (int)at;
        throw new InvalidOperationException("the sample has no function symbol");
    }

    static uint SectionField(byte[] f, int section, int field) => U32(f, (int)U32(f, ShOff) + 40 * section + field);

    static byte[] SetPh(byte[] f, int i, int field, uint value) => Set32(f, ProgramHeader(f, i) + field, value);
    static byte[] SetSh(byte[] f, int i, int field, uint value) => Set32(f, (int)U32(f, ShOff) + 40 * i + field, value);

    static byte[] Set8(byte[] f, int at, byte value) { f[at] = value; return f; }
    static byte[] Set16(byte[] f, int at, ushort value) { BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(at), value); return f; }
    static byte[] Set32(byte[] f, int at, uint value) { BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(at), value); return f; }
    static ushort U16(byte[] f, int at) => BinaryPrimitives.ReadUInt16LittleEndian(f.AsSpan(at));
    static uint U32(byte[] f, int at) => BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(at));
}
