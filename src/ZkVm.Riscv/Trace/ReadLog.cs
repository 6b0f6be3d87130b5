using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkVm.Riscv.Trace;

/// <summary>
/// Pass 1's read log: every value the guest read from memory or the host, in order. It grows in memory up to
/// <see cref="MemoryEntries"/> entries; past that, full blocks move to a temporary file (deleted when the log is
/// disposed), so a long run's log costs disk, not memory. The interpreter appends to <see cref="Buffer"/>
/// through a local copy of <see cref="BufferCount"/> and calls <see cref="Grow"/> when the buffer is full.
/// </summary>
public sealed class ReadLog : IDisposable
{
    /// <summary>The default in-memory part: 2^24 entries, 64 MiB.</summary>
    public const int DefaultMemoryEntries = 1 << 24;

    /// <summary>At most this many entries in all: the offsets of a 2^32-cycle run, with room.</summary>
    public const long MaxEntries = 1L << 40;

    uint[] buffer;
    FileStream? file;

    public ReadLog(int memoryEntries = DefaultMemoryEntries)
    {
        if (memoryEntries < 1) throw new ArgumentOutOfRangeException(nameof(memoryEntries), "the read log keeps at least one entry in memory");
        MemoryEntries = memoryEntries;
        buffer = new uint[Math.Min(memoryEntries, 1 << 16)];
    }

    /// <summary>How many entries stay in memory before blocks move to the temporary file.</summary>
    public int MemoryEntries { get; }

    /// <summary>Entries already moved to the temporary file; the buffer holds the ones after them.</summary>
    public long Spilled { get; private set; }

    public long Count => Spilled + BufferCount;

    internal int BufferCount { get; set; }

    internal uint[] Buffer => buffer;

    public void Add(uint value)
    {
        if (BufferCount == buffer.Length)
            Grow();
        buffer[BufferCount++] = value;
    }

    /// <summary>Makes room: doubles the buffer up to <see cref="MemoryEntries"/>, then moves its entries to the file
    /// and empties it. Returns the buffer to append to.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal uint[] Grow()
    {
        if (buffer.Length < MemoryEntries)
        {
            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, MemoryEntries));
            return buffer;
        }
        if (Count + buffer.Length > MaxEntries)
            throw new ZkVmException(TraceError.LogTooLarge, $"the read log exceeds {MaxEntries} entries; record the run in smaller shards");
        try
        {
            file ??= new FileStream(Path.Combine(Path.GetTempPath(), $"zkvm-readlog-{Guid.NewGuid():N}.bin"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            RandomAccess.Write(file.SafeFileHandle, MemoryMarshal.AsBytes(buffer.AsSpan(0, BufferCount)), Spilled * sizeof(uint));
        }
        catch (IOException e)
        {
            throw new ZkVmException(TraceError.LogTooLarge, $"the read log ({Count} entries) cannot move to a temporary file in {Path.GetTempPath()}: {e.Message}", e);
        }
        Spilled += BufferCount;
        BufferCount = 0;
        return buffer;
    }

    /// <summary>
    /// Entries [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>): a view of the buffer
    /// when they are all still in memory (appending afterwards may overwrite it), else a copy read back from the file.
    /// </summary>
    public ReadOnlyMemory<uint> Slice(long start, int length)
    {
        if (start < 0 || length < 0 || start + length > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"entries {start}…{start + length} of a log of {Count}");
        if (start >= Spilled)
            return buffer.AsMemory((int)(start - Spilled), length);
        var slice = new uint[length];
        int fromFile = (int)Math.Min(Spilled - start, length);
        var bytes = MemoryMarshal.AsBytes(slice.AsSpan(0, fromFile));
        int read = 0;
        while (read < bytes.Length)
            read += RandomAccess.Read(file!.SafeFileHandle, bytes[read..], start * sizeof(uint) + read);
        if (fromFile < length)
            buffer.AsSpan(0, length - fromFile).CopyTo(slice.AsSpan(fromFile));
        return slice;
    }

    /// <summary>Every entry, for runs whose log fits in one array.</summary>
    public uint[] ToArray() => Slice(0, checked((int)Count)).ToArray();

    public void Dispose()
    {
        file?.Dispose();
        file = null;
    }
}
