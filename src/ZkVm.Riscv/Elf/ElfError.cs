namespace ZkVm.Riscv.Elf;

/// <summary>Stable codes of ELF defects (docs/ERRORS.md, ZK20xx).</summary>
public static class ElfError
{
    public const string Unreadable = "ZK2000";
    public const string Truncated = "ZK2001";
    public const string BadMagic = "ZK2002";
    public const string NotElf32 = "ZK2003";
    public const string NotLittleEndian = "ZK2004";
    public const string BadVersion = "ZK2005";
    public const string NotExecutable = "ZK2006";
    public const string NotRiscv = "ZK2007";
    public const string BadHeaderSize = "ZK2008";
    public const string ProgramHeaderTable = "ZK2009";
    public const string SegmentOutsideFile = "ZK2010";
    public const string FileSizeAboveMemSize = "ZK2011";
    public const string SegmentAddressRange = "ZK2012";
    public const string OverlappingSegments = "ZK2013";
    public const string TooLarge = "ZK2014";
    public const string BadEntry = "ZK2015";
    public const string NoCode = "ZK2016";
    public const string BadSectionTable = "ZK2017";
    public const string CodeSharesDataPage = "ZK2018";
    public const string UnsupportedFlags = "ZK2019";
    public const string MisalignedCode = "ZK2020";
    public const string WritableCode = "ZK2021";
    public const string DynamicExecutable = "ZK2022";

    internal static ZkVmException At(string code, string path, string message) =>
        new(code, $"{path}: {message}");
}
