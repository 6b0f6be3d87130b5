using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Riscv;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;

namespace ZkVm.Machine;

/// <summary>
/// What the circuit knows of a guest before it runs: its ROM (instruction words from
/// <see cref="CodeBase"/> on) and its initial image, the nonzero words of the data segments and the
/// registers' start values (only sp is nonzero). Both become fixed columns, so the verification key
/// binds them, and both are hashed into the <see cref="ImageId"/>.
/// </summary>
public sealed class MachineProgram
{
    /// <summary>Bounds on a program rebuilt from untrusted bytes (a receipt).</summary>
    public const int MaxRomWords = 1 << 22, MaxImageWords = 1 << 22;

    readonly HarvardProgram? harvard;

    public MachineProgram(HarvardProgram program)
        : this(program.Entry, program.CodeBase, program.Words, ImageOf(program)) => harvard = program;

    /// <summary>A program from its parts, as a receipt carries them; the ImageId says whether they are the expected ones.</summary>
    public MachineProgram(uint entry, uint codeBase, uint[] words, IReadOnlyList<ImageWord> image)
    {
        if (words.Length is 0 or > MaxRomWords)
            throw new ZkVmException(MachineErrors.BadProgram, $"a program has 1 to {MaxRomWords} ROM words, not {words.Length}");
        if (image.Count > MaxImageWords)
            throw new ZkVmException(MachineErrors.BadProgram, $"a program has at most {MaxImageWords} image words, not {image.Count}");
        for (int i = 0; i < image.Count; i++)
        {
            var w = image[i];
            if (w.Space is not (MachineLayout.RegisterSpace or MachineLayout.MemorySpace) || w.Index >= 1u << 27 || w.Value == 0
                || (w.Space == MachineLayout.RegisterSpace && w.Index >= 32) || (i > 0 && image[i - 1].Key >= w.Key))
                throw new ZkVmException(MachineErrors.BadProgram, $"image word {i} ({w}) is not a nonzero cell in increasing order");
        }
        Entry = entry;
        CodeBase = codeBase;
        Words = words;
        Rom = [.. words.Select(Decoder.Decode)];
        Image = image;
        ImageByKey = image.ToDictionary(w => w.Key, w => w.Value);
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

    internal IReadOnlyDictionary<uint, uint> ImageByKey { get; }

    public ImageId ImageId { get; }

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
        var image = new List<ImageWord> { new(MachineLayout.RegisterSpace, 2, GuestMemoryMap.StackTop) };
        image.AddRange(words.Select(w => new ImageWord(MachineLayout.MemorySpace, w.Key, w.Value)));
        return image;
    }

    /// <summary>
    /// hash(version, entry, ROM commitment, image commitment), where the commitments are Poseidon2
    /// sponges over the ROM words (with their base address) and the image cells, every 32-bit value as two
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
        var id = new BabyBear[4 + 2 * Digest.Length];
        Limbs(MachineLayout.Version, id);
        Limbs(Entry, id.AsSpan(2));
        Poseidon2Hash.HashRow(rom).CopyTo(id.AsSpan(4));
        Poseidon2Hash.HashRow(image).CopyTo(id.AsSpan(4 + Digest.Length));
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
