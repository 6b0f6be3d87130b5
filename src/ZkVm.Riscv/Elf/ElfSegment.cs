namespace ZkVm.Riscv.Elf;

/// <summary>A PT_LOAD segment: <see cref="Bytes"/> are its file contents, the rest up to
/// <see cref="MemSize"/> is zero.</summary>
public sealed record ElfSegment(int Index, uint VirtualAddress, uint MemSize, uint Flags, byte[] Bytes)
{
    public const uint FlagExecute = 1, FlagWrite = 2, FlagRead = 4;

    public bool IsExecutable => (Flags & FlagExecute) != 0;
    public bool IsWritable => (Flags & FlagWrite) != 0;
    public uint End => VirtualAddress + MemSize;
}
