namespace ZkVm.Riscv.Elf;

/// <summary>Bounds that keep the reader's time and memory proportional to a sane guest.</summary>
public static class ElfLimits
{
    public const int MaxFileBytes = 64 << 20;
    public const int MaxProgramHeaders = 64;
    public const int MaxSections = 4096;
    public const int MaxSymbols = 1 << 20;
    public const uint MaxCodeBytes = 16u << 20;
    public const uint MaxLoadedBytes = 256u << 20;
    public const uint PageSize = 4096;
}
