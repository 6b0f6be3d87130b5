using System.Runtime.CompilerServices;

namespace ZkVm.Riscv.Trace;

/// <summary>An append-only uint buffer for pass 1's read log. The interpreter appends to
/// <see cref="Buffer"/> through a local copy of <see cref="Count"/> and calls <see cref="Grow"/> when full.</summary>
public sealed class GrowableLog
{
    uint[] items = new uint[1 << 16];

    public int Count { get; internal set; }

    internal uint[] Buffer => items;

    public void Add(uint value)
    {
        if (Count == items.Length)
            Grow();
        items[Count++] = value;
    }

    /// <summary>Doubles the buffer, keeping the first <see cref="Count"/> entries, and returns it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal uint[] Grow()
    {
        if (items.Length >= Array.MaxLength / 2)
            throw new ZkVmException(TraceError.LogTooLarge, $"the read log exceeds {items.Length} entries; record the run in smaller shards");
        Array.Resize(ref items, items.Length * 2);
        return items;
    }

    public uint[] ToArray() => items.AsSpan(0, Count).ToArray();
}
