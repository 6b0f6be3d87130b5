using ZkVm.Riscv.Elf;
using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Image;

/// <summary>
/// A loaded guest split the Harvard way: a ROM of decoded instructions from the executable
/// segments (the only place instructions come from) and a data image from the other segments.
/// </summary>
public sealed class HarvardProgram
{
    readonly Dictionary<uint, string> symbolNames;
    readonly bool[] isCode; // per ROM index: inside an executable segment (not a gap between two)

    HarvardProgram(ElfFile elf, InstructionSet? isa)
    {
        InstructionSet = isa ??= InstructionSet.Rv32im;
        Elf = elf;
        Entry = elf.Entry;
        var code = elf.Segments.Where(s => s.IsExecutable).ToList();
        CodeBase = code[0].VirtualAddress;
        CodeEnd = code[^1].End;
        CodeSegments = code.Select(s => (s.VirtualAddress, s.End)).ToArray();
        Words = new uint[(CodeEnd - CodeBase) / 4];
        Rom = new Instruction[Words.Length];
        isCode = new bool[Words.Length];
        foreach (var segment in code)
        {
            int first = (int)((segment.VirtualAddress - CodeBase) / 4);
            Array.Fill(isCode, true, first, (int)(segment.MemSize / 4));
            for (int i = 0; i < segment.Bytes.Length / 4; i++)
            {
                Words[first + i] = BitConverter.ToUInt32(segment.Bytes, i * 4);
                Rom[first + i] = isa.Decode(Words[first + i]);
            }
        }
        Data = elf.Segments.Where(s => !s.IsExecutable)
            .Select(s => new DataSegment(s.VirtualAddress, s.MemSize, s.Bytes, s.IsWritable)).ToArray();
        LowestAddress = elf.Segments[0].VirtualAddress;
        Symbols = elf.Symbols;
        symbolNames = new Dictionary<uint, string>();
        foreach (var symbol in elf.Symbols.OrderBy(s => s.IsFunction ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal))
            symbolNames.TryAdd(symbol.Value, symbol.Name);
        Blocks = FindBlocks();
        Map = MemoryMap.Of(this);
    }

    /// <summary>Loads an ELF whose ROM is decoded as RV32IM plus the extensions of <paramref name="isa"/> (default: none).</summary>
    public static HarvardProgram Load(string path, InstructionSet? isa = null) => new(ElfFile.Load(path), isa);

    public static HarvardProgram FromElf(ElfFile elf, InstructionSet? isa = null) => new(elf, isa);

    /// <summary>The instructions the ROM was decoded by and the extension instructions execute by.</summary>
    /// <summary>The ELF the program was loaded from.</summary>
    public ElfFile Elf { get; }

    public InstructionSet InstructionSet { get; }

    public uint Entry { get; }

    /// <summary>Address of <c>Rom[0]</c>; instruction i lives at CodeBase + 4·i.</summary>
    public uint CodeBase { get; }

    public uint CodeEnd { get; }

    /// <summary>Decoded instructions; gaps between executable segments are <see cref="Opcode.Illegal"/>.</summary>
    public Instruction[] Rom { get; }

    /// <summary>The raw instruction words beside <see cref="Rom"/>, for disassembly and ImageId.</summary>
    public uint[] Words { get; }

    public IReadOnlyList<(uint Start, uint End)> CodeSegments { get; }

    public IReadOnlyList<DataSegment> Data { get; }

    /// <summary>Lowest address of any loadable segment; data accesses below it are unmapped.</summary>
    public uint LowestAddress { get; }

    /// <summary>Where data accesses may go: the rules the emulator traps by and the circuit proves.</summary>
    public MemoryMap Map { get; }

    /// <summary>True when the address lies on a page of an executable segment.</summary>
    public bool IsCodePage(uint address) =>
        CodeSegments.Any(s => address >> MemoryMap.PageBits >= s.Start >> MemoryMap.PageBits && address >> MemoryMap.PageBits <= (s.End - 1) >> MemoryMap.PageBits);

    public IReadOnlyList<ElfSymbol> Symbols { get; }

    public IReadOnlyList<BasicBlock> Blocks { get; }

    /// <summary>True when an instruction may be fetched here: aligned and inside an executable segment.</summary>
    public bool IsCode(uint address) =>
        (address & 3) == 0 && address - CodeBase < (uint)Rom.Length * 4 && isCode[(address - CodeBase) / 4];

    /// <summary>The name of a symbol at exactly this address (functions first), if any.</summary>
    public string? SymbolAt(uint address) => symbolNames.GetValueOrDefault(address);

    public int IndexOf(uint pc) => (int)((pc - CodeBase) / 4);

    List<BasicBlock> FindBlocks()
    {
        var leaders = new SortedSet<uint> { Entry };
        foreach (var symbol in Symbols)
            if (symbol.IsFunction && IsCode(symbol.Value))
                leaders.Add(symbol.Value);
        foreach (var (start, end) in CodeSegments)
        {
            leaders.Add(start);
            for (uint pc = start; pc < end; pc += 4)
            {
                var instruction = Rom[IndexOf(pc)];
                var family = instruction.Spec.Family;
                if (family is not (InstructionFamily.Branch or InstructionFamily.Jump))
                    continue;
                leaders.Add(pc + 4);
                if (instruction.Op != Opcode.Jalr)
                    leaders.Add(pc + (uint)instruction.Imm);
            }
        }
        leaders.RemoveWhere(pc => !IsCode(pc));

        var blocks = new List<BasicBlock>(leaders.Count);
        var ordered = leaders.ToArray();
        for (int i = 0; i < ordered.Length; i++)
        {
            uint start = ordered[i];
            uint segmentEnd = CodeSegments.First(s => start >= s.Start && start < s.End).End;
            uint end = i + 1 < ordered.Length ? Math.Min(ordered[i + 1], segmentEnd) : segmentEnd;
            blocks.Add(new BasicBlock(start, end));
        }
        return blocks;
    }
}
