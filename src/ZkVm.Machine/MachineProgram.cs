using ZkVm.Crypto;
using ZkVm.Machine.Extensions;
using ZkVm.Riscv;
using ZkVm.Riscv.Image;

namespace ZkVm.Machine;

/// <summary>
/// What the circuit knows of a guest before it runs: its ROM (instruction words from
/// <see cref="CodeBase"/> on), its initial image (the nonzero words of the data segments and the
/// registers' start values: only sp is nonzero) and its <see cref="MemoryMap"/>. The ROM and image become
/// fixed columns and the map public bus terms, so the verification key binds them, and all three are
/// hashed into the <see cref="ImageId"/>, with the <see cref="Extensions"/> the machine has.
/// </summary>
public sealed class MachineProgram
{
    /// <summary>Bounds on a program rebuilt from untrusted bytes (a receipt).</summary>
    public const int MaxRomWords = 1 << 22, MaxImageWords = 1 << 22;

    readonly HarvardProgram? harvard;

    /// <summary>A loaded program on the machine <paramref name="extensions"/> (default: plain RV32IM), whose
    /// instruction set it must have been loaded with.</summary>
    public MachineProgram(HarvardProgram program, ExtensionSet? extensions = null)
        : this(program.Entry, program.CodeBase, program.Words, ImageOf(program), program.Map.Regions, extensions)
    {
        if (!program.InstructionSet.RunsLike(Extensions.Isa))
            throw new ArgumentException($"the program was loaded with another instruction set than {Extensions}'s: load it with that set's Isa", nameof(program));
        harvard = program;
    }

    /// <summary>
    /// A program from its parts, as a receipt carries them; the ImageId says whether they are the expected
    /// ones. Parts no loaded ELF can have are refused here with <see cref="MachineErrors.BadProgram"/>: code
    /// outside the guest address space, registers other than sp starting nonzero, image words the map
    /// does not let the program read, a map that is not canonical.
    /// </summary>
    public MachineProgram(uint entry, uint codeBase, uint[] words, IReadOnlyList<ImageWord> image, IReadOnlyList<MemoryRegion> map, ExtensionSet? extensions = null)
    {
        Extensions = extensions ?? ExtensionSet.Rv32im;
        if (words.Length is 0 or > MaxRomWords)
            throw new ZkVmException(MachineErrors.BadProgram, $"a program has 1 to {MaxRomWords} ROM words, not {words.Length}");
        // Every pc then splits into limbs uniquely (MachineLayout.MaxPcHi), and no pc + 4 reaches p.
        if ((codeBase & 3) != 0 || (ulong)codeBase + 4UL * (ulong)words.Length > GuestMemoryMap.AddressSpaceTop)
            throw new ZkVmException(MachineErrors.BadProgram, $"the code (0x{codeBase:x8}, {words.Length} words) is not aligned or runs past 0x{GuestMemoryMap.AddressSpaceTop:x8}");
        if ((entry & 3) != 0 || entry - codeBase >= 4u * (uint)words.Length)
            throw new ZkVmException(MachineErrors.BadProgram, $"the entry 0x{entry:x8} is not an instruction of the code at 0x{codeBase:x8}");
        Map = MemoryMap.TryCreate(map, out string? problem) ?? throw new ZkVmException(MachineErrors.BadProgram, $"bad memory map: {problem}");
        if (image.Count > MaxImageWords)
            throw new ZkVmException(MachineErrors.BadProgram, $"a program has at most {MaxImageWords} image words, not {image.Count}");
        // The ABI starts every register at 0 but sp (docs/GUEST_ABI.md, "Start"); x0 in particular reads 0.
        if (image.Count == 0 || image[0] != StackPointer || (image.Count > 1 && image[1].Space == MachineLayout.RegisterSpace))
            throw new ZkVmException(MachineErrors.BadProgram, $"the registers' initial image must be exactly {StackPointer}");
        for (int i = 1; i < image.Count; i++)
        {
            var w = image[i];
            if (w.Space != MachineLayout.MemorySpace || w.Index >= 1u << 27 || w.Value == 0 || image[i - 1].Key >= w.Key)
                throw new ZkVmException(MachineErrors.BadProgram, $"image word {i} ({w}) is not a nonzero memory cell in increasing order");
            if (Map.AccessOf(w.Index << 2) == PageAccess.None)
                throw new ZkVmException(MachineErrors.BadProgram, $"image word {i} ({w}) lies in unmapped memory");
        }
        Entry = entry;
        CodeBase = codeBase;
        Words = words;
        Rom = [.. words.Select(Extensions.Isa.Decode)];
        Image = image;
        ImageId = ComputeImageId();
    }

    /// <summary>The loaded ELF, needed to run the program; absent for a program taken from a receipt.</summary>
    public HarvardProgram Program => harvard ?? throw new InvalidOperationException("this program was rebuilt from its parts and cannot be run");

    public uint Entry { get; }
    public uint CodeBase { get; }
    public uint[] Words { get; }
    public Instruction[] Rom { get; }

    /// <summary>The nonzero initial cells, registers first, each space in increasing index order.</summary>
    public IReadOnlyList<ImageWord> Image { get; }

    /// <summary>Where loads, stores and buffers may go; the boundary table proves every touched word obeys it.</summary>
    public MemoryMap Map { get; }

    public ImageId ImageId { get; }

    /// <summary>The machine the program runs on: its ROM decodes by this set's instructions, and its circuit has this set's chips.</summary>
    public ExtensionSet Extensions { get; }

    /// <summary>The function of the loaded ELF's symbols that holds <paramref name="pc"/>, as name+0xoffset; null without symbols or an ELF.</summary>
    public string? FunctionAt(uint pc) =>
        harvard?.Symbols.Where(s => s.IsFunction && s.Value <= pc).MaxBy(s => s.Value) is { } f ? $"{f.Name}+0x{pc - f.Value:x}" : null;

    /// <summary>The one register image cell: sp at the stack top.</summary>
    public static readonly ImageWord StackPointer = new(MachineLayout.RegisterSpace, 2, GuestMemoryMap.StackTop);

    public int IndexOf(uint pc) => (int)((pc - CodeBase) / 4);

    static List<ImageWord> ImageOf(HarvardProgram program)
    {
        var words = new SortedDictionary<uint, uint>();
        foreach (var segment in program.Data)
            for (int i = 0; i < segment.Bytes.Length; i++)
            {
                if (segment.Bytes[i] == 0) continue;
                uint address = segment.Address + (uint)i;
                words.TryGetValue(address >> 2, out uint word);
                words[address >> 2] = word | (uint)segment.Bytes[i] << (int)(8 * (address & 3));
            }
        var image = new List<ImageWord> { StackPointer };
        image.AddRange(words.Select(w => new ImageWord(MachineLayout.MemorySpace, w.Key, w.Value)));
        return image;
    }

    /// <summary>
    /// hash(version, entry, ROM commitment, image commitment, map commitment, extension commitment), where the
    /// commitments are Poseidon2 sponges over the ROM words (with their base address), the image cells, the
    /// map's regions and the extensions' names (<see cref="ExtensionSet.Commitment"/>), every 32-bit value as two
    /// 16-bit limbs (docs/MACHINE.md §6).
    /// </summary>
    ImageId ComputeImageId()
    {
        var rom = new BabyBear[4 + 2 * Words.Length];
        Limbs(CodeBase, rom.AsSpan(0));
        Limbs((uint)Words.Length, rom.AsSpan(2));
        for (int i = 0; i < Words.Length; i++) Limbs(Words[i], rom.AsSpan(4 + 2 * i));
        var image = new BabyBear[2 + 4 * Image.Count];
        Limbs((uint)Image.Count, image);
        for (int i = 0; i < Image.Count; i++)
        {
            image[2 + 4 * i] = BabyBear.FromCanonical(Image[i].Space);
            image[3 + 4 * i] = BabyBear.FromCanonical(Image[i].Index);
            Limbs(Image[i].Value, image.AsSpan(4 + 4 * i));
        }
        var map = new BabyBear[2 + 3 * Map.Regions.Count];
        Limbs((uint)Map.Regions.Count, map);
        for (int i = 0; i < Map.Regions.Count; i++)
        {
            Limbs(Map.Regions[i].Start, map.AsSpan(2 + 3 * i));
            map[4 + 3 * i] = BabyBear.FromCanonical((uint)Map.Regions[i].Access);
        }
        var id = new BabyBear[4 + 4 * Digest.Length];
        Limbs(MachineLayout.Version, id);
        Limbs(Entry, id.AsSpan(2));
        Poseidon2Hash.HashRow(rom).CopyTo(id.AsSpan(4));
        Poseidon2Hash.HashRow(image).CopyTo(id.AsSpan(4 + Digest.Length));
        Poseidon2Hash.HashRow(map).CopyTo(id.AsSpan(4 + 2 * Digest.Length));
        Extensions.Commitment.CopyTo(id.AsSpan(4 + 3 * Digest.Length));
        return new ImageId(Poseidon2Hash.HashRow(id));
    }

    static void Limbs(uint value, Span<BabyBear> into)
    {
        into[0] = BabyBear.FromCanonical(value & 0xFFFF);
        into[1] = BabyBear.FromCanonical(value >> 16);
    }
}

/// <summary>A nonzero cell of the initial image.</summary>
public readonly record struct ImageWord(uint Space, uint Index, uint Value)
{
    public uint Key => (Space << 27) + Index;
}
