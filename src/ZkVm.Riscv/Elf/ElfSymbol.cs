namespace ZkVm.Riscv.Elf;

/// <summary>A named symbol of .symtab, kept for disassembly labels, basic-block leaders and profiles.</summary>
public sealed record ElfSymbol(string Name, uint Value, uint Size, bool IsFunction);
