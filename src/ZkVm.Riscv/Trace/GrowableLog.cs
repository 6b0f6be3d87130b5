using System.Runtime.CompilerServices;

namespace ZkVm.Riscv.Trace;

/// <summary>An append-only uint buffer with an inlinable fast path, for pass 1's read log.</summary>
public sealed class GrowableLog
{
    uint[] items = new uint[1 << 16];

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(uint value)
    {
        int n = Count;
        if ((uint)n < (uint)items.Length)
        {
            items[n] = value;
            Count = n + 1;
        }
        else
            Grow(value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void Grow(uint value)
    {
        if (items.Length >= Array.MaxLength / 2)
            throw new ZkVmException(TraceError.LogTooLarge, $"the read log exceeds {items.Length} entries; record the run in smaller shards");
        Array.Resize(ref items, items.Length * 2);
        Add(value);
    }

    public uint[] ToArray() => items.AsSpan(0, Count).ToArray();
}
