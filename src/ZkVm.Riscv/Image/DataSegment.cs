namespace ZkVm.Riscv.Image;

/// <summary>Initial contents of a non-executable loadable segment; bytes past <see cref="Bytes"/> up to <see cref="Size"/> are zero.</summary>
public sealed record DataSegment(uint Address, uint Size, byte[] Bytes, bool Writable);
