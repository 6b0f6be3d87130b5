namespace ZkVm.Cli.Commands;

/// <summary>Reads a guest's private input file (ZK23xx on failure).</summary>
static class InputFile
{
    public const long MaxBytes = 256L << 20;

    public static byte[] Read(string? path)
    {
        if (path is null)
            return [];
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ZkVmException("ZK2301", $"input file '{path}' not found");
            if (info.Length > MaxBytes)
                throw new ZkVmException("ZK2302", $"input file '{path}' is {info.Length} bytes, above the limit of {MaxBytes}");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZkVmException("ZK2301", $"input file '{path}' cannot be read: {e.Message}", e);
        }
    }
}
