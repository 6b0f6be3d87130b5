using System.Buffers.Binary;

namespace ZkVm.Field;

public static class BitReversal
{
    /// <summary>The low <paramref name="bits"/> bits of <paramref name="index"/> in reverse order.</summary>
    public static int Reverse(int index, int bits)
    {
        if (bits == 0) return 0;
        uint x = (uint)index;
        x = ((x >> 1) & 0x5555_5555) | ((x & 0x5555_5555) << 1);
        x = ((x >> 2) & 0x3333_3333) | ((x & 0x3333_3333) << 2);
        x = ((x >> 4) & 0x0F0F_0F0F) | ((x & 0x0F0F_0F0F) << 4);
        return (int)(BinaryPrimitives.ReverseEndianness(x) >> (32 - bits));
    }
}
