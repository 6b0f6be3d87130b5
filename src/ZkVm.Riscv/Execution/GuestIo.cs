namespace ZkVm.Riscv.Execution;

/// <summary>What a guest exchanges with the host: the private input it reads, and the stdout,
/// stderr and journal it writes.</summary>
public sealed class GuestIo(ReadOnlyMemory<byte> input)
{
    /// <summary>Total bytes a guest may write to stdout and stderr together.</summary>
    public const int MaxOutputBytes = 64 << 20;

    int inputPosition;

    public MemoryStream Stdout { get; } = new();
    public MemoryStream Stderr { get; } = new();
    public MemoryStream Journal { get; } = new();

    public ReadOnlySpan<byte> TakeInput(int max)
    {
        int n = Math.Min(max, input.Length - inputPosition);
        var taken = input.Span.Slice(inputPosition, n);
        inputPosition += n;
        return taken;
    }
}
