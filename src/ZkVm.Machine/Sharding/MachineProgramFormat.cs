using System.Text;
using ZkVm.Machine.Extensions;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Serialization;

namespace ZkVm.Machine.Sharding;

/// <summary>
/// A program's parts as receipts carry them (docs/PROTOCOL.md §11): entry, code base, ROM words, image cells, memory
/// map and extension names. The cluster sends programs to its workers in the same form.
/// </summary>
public static class MachineProgramFormat
{
    public const int MaxExtensions = 16, MaxExtensionNameBytes = 64;

    public static void Write(ProofWriter w, MachineProgram program)
    {
        w.WriteU32(program.Entry);
        w.WriteU32(program.CodeBase);
        w.WriteCount(program.Words.Length);
        foreach (uint word in program.Words) w.WriteU32(word);
        w.WriteCount(program.Image.Count);
        foreach (var cell in program.Image)
        {
            w.WriteU32(cell.Space);
            w.WriteU32(cell.Index);
            w.WriteU32(cell.Value);
        }
        w.WriteCount(program.Map.Regions.Count);
        foreach (var region in program.Map.Regions)
        {
            w.WriteU32(region.Start);
            w.WriteU8((byte)region.Access);
        }
        var extensions = program.Extensions.Names;
        w.WriteCount(extensions.Count);
        foreach (string name in extensions)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            w.WriteCount(utf8.Length);
            w.WriteBytes(utf8);
        }
    }

    /// <summary>
    /// Reads a program for the machine <paramref name="machine"/>: a program of other extensions fails with
    /// <see cref="MachineErrors.BadProgram"/>, as does one whose parts are not canonical (the <see cref="MachineProgram"/>
    /// constructor's checks). Whoever trusts the result compares its <see cref="MachineProgram.ImageId"/> with the expected one.
    /// </summary>
    public static MachineProgram Read(ref ProofReader r, ExtensionSet machine)
    {
        uint entry = r.ReadU32("entry");
        uint codeBase = r.ReadU32("code base");
        var words = new uint[r.ReadCount("ROM words", MachineProgram.MaxRomWords, 4)];
        for (int i = 0; i < words.Length; i++) words[i] = r.ReadU32("ROM word");
        var image = new ImageWord[r.ReadCount("image words", MachineProgram.MaxImageWords, 12)];
        for (int i = 0; i < image.Length; i++) image[i] = new ImageWord(r.ReadU32("image word space"), r.ReadU32("image word index"), r.ReadU32("image word value"));
        var map = new MemoryRegion[r.ReadCount("memory map regions", MemoryMap.MaxRegions, 5)];
        for (int i = 0; i < map.Length; i++) map[i] = new MemoryRegion(r.ReadU32("region start"), (PageAccess)r.ReadU8("region access"));
        var extensions = new string[r.ReadCount("extensions", MaxExtensions, 4)];
        for (int i = 0; i < extensions.Length; i++)
            extensions[i] = Encoding.UTF8.GetString(r.ReadBytes(r.ReadCount("extension name bytes", MaxExtensionNameBytes, 1), "extension name"));
        if (!extensions.SequenceEqual(machine.Names))
            throw new ZkVmException(MachineErrors.BadProgram,
                $"the program runs on {string.Join("+", ["rv32im", .. extensions])}, but this machine is {machine}");
        return new MachineProgram(entry, codeBase, words, image, map, machine);
    }
}
