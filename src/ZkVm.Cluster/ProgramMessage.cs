using System.Text;
using ZkVm.Machine;
using ZkVm.Machine.Extensions;
using ZkVm.Riscv.Elf;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cluster;

/// <summary>
/// The program as the coordinator sends it to a worker: its ImageId, the machine's extension names and the ELF. The
/// worker loads the ELF as strictly as <c>zkvm prove</c> does and proves only when it gets the same ImageId on the same machine.
/// </summary>
static class ProgramMessage
{
    const int MaxElfBytes = 64 << 20, MaxExtensions = 16, MaxNameBytes = 64;

    public static byte[] Write(MachineProgram program)
    {
        var w = new ProofWriter();
        Span<byte> id = stackalloc byte[ImageId.ByteLength];
        program.ImageId.WriteTo(id);
        w.WriteBytes(id);
        w.WriteCount(program.Extensions.Names.Count);
        foreach (string name in program.Extensions.Names)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            w.WriteCount(utf8.Length);
            w.WriteBytes(utf8);
        }
        byte[] elf = program.Program.Elf.Bytes;
        w.WriteCount(elf.Length);
        w.WriteBytes(elf);
        return w.ToArray();
    }

    /// <summary>The program, on this worker's machine: ZK5004 when the machines differ or the ELF gives another ImageId.</summary>
    public static MachineProgram Read(byte[] bytes, ExtensionSet machine)
    {
        var r = new ProofReader(bytes);
        var stated = ImageId.Read(r.ReadBytes(ImageId.ByteLength, "ImageId"), "the program message");
        var names = new string[r.ReadCount("extensions", MaxExtensions, 4)];
        for (int i = 0; i < names.Length; i++) names[i] = Encoding.UTF8.GetString(r.ReadBytes(r.ReadCount("extension name bytes", MaxNameBytes, 1), "extension name"));
        byte[] elf = r.ReadBytes(r.ReadCount("ELF bytes", MaxElfBytes, 1), "ELF").ToArray();
        r.ExpectEnd("program message");
        if (!names.SequenceEqual(machine.Names))
            throw new ZkVmException(MachineErrors.BadProgram, $"the program runs on {string.Join("+", ["rv32im", .. names])}, but this worker's machine is {machine} (start it with --extension)");
        var program = new MachineProgram(HarvardProgram.FromElf(ElfFile.Parse(elf, "the program message's ELF"), machine.Isa), machine);
        if (program.ImageId != stated)
            throw new ZkVmException(MachineErrors.BadProgram, $"the program's ELF gives ImageId {program.ImageId}, not the {stated} it was sent as");
        return program;
    }
}
