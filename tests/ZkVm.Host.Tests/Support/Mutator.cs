using System.Buffers.Binary;

namespace ZkVm.Host.Tests.Support;

/// <summary>
/// Seeded, deterministic mutations of valid encodings: bit flips, byte and word overwrites, truncations,
/// extensions, splices of two valid encodings and swapped aligned blocks. Half the positions fall in the first
/// <see cref="HeadBytes"/> bytes, where headers, counts and parameters live; the rest anywhere.
/// </summary>
public sealed class Mutator(int seed)
{
    public const int HeadBytes = 1024;

    public static readonly string[] Kinds = ["flip", "overwrite", "word", "truncate", "extend", "splice", "swap"];

    /// <summary>Words a forger would try: zero, small counts, PoW-bit bounds, p − 1, p, and the largest u32.</summary>
    static readonly uint[] Interesting = [0, 1, 2, 27, 28, 64, 0x7fff_ffff, 0x7800_0000, 0x7800_0001, 0xffff_ffff];

    readonly Random random = new(seed);

    /// <summary>A mutation of <paramref name="a"/> (<paramref name="b"/> is the other valid encoding splices take a suffix from); never equal to either.</summary>
    public byte[] Mutate(string kind, byte[] a, byte[] b)
    {
        for (;;)
        {
            byte[] m = Once(kind, a, b);
            if (!m.AsSpan().SequenceEqual(a) && !m.AsSpan().SequenceEqual(b))
                return m;
        }
    }

    byte[] Once(string kind, byte[] a, byte[] b)
    {
        byte[] m = (byte[])a.Clone();
        switch (kind)
        {
            case "flip":
                m[Position(m.Length)] ^= (byte)(1 << random.Next(8));
                return m;
            case "overwrite":
                m[Position(m.Length)] = (byte)random.Next(256);
                return m;
            case "word":
                int at = Position(m.Length - 3) & ~3;
                uint value = random.Next(3) == 0 ? (uint)random.NextInt64(1L << 32) : Interesting[random.Next(Interesting.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(at), value);
                return m;
            case "truncate":
                return a[..Position(a.Length)];
            case "extend":
                byte[] tail = new byte[1 + random.Next(64)];
                random.NextBytes(tail);
                return [.. a, .. tail];
            case "splice":
                // Prefix of one valid encoding, suffix of the other; the cut points may differ (bytes lost or repeated).
                int cutA = 1 + Position(a.Length - 1);
                int cutB = random.Next(2) == 0 ? Math.Min(cutA, b.Length - 1) : 1 + Position(b.Length - 1);
                return [.. a.AsSpan(0, cutA), .. b.AsSpan(cutB)];
            case "swap":
                int size = new[] { 4, 16, 32 }[random.Next(3)];
                int blocks = m.Length / size;
                int i = random.Next(2) == 0 ? Math.Min(random.Next(HeadBytes / size), blocks - 1) : random.Next(blocks);
                int j = random.Next(blocks);
                if (i == j) j = (j + 1) % blocks;
                a.AsSpan(j * size, size).CopyTo(m.AsSpan(i * size));
                a.AsSpan(i * size, size).CopyTo(m.AsSpan(j * size));
                return m;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    int Position(int length) => random.Next(2) == 0 ? random.Next(Math.Min(HeadBytes, length)) : random.Next(length);
}
