using System.Globalization;
using ZkVm.Crypto;

using ZkVm.Machine;

namespace ZkVm;

/// <summary>What a proof is about: the hash of a program's ROM, initial image, entry and the machine version. Written as 64 hex digits.</summary>
public readonly record struct ImageId(Digest Digest)
{
    public const int ByteLength = Digest.Length * 4;

    public override string ToString() => Digest.ToString();

    public void WriteTo(Span<byte> destination)
    {
        for (int i = 0; i < Digest.Length; i++) Digest[i].WriteTo(destination[(4 * i)..]);
    }

    /// <summary>Reads 32 bytes (eight canonical little-endian field elements).</summary>
    public static ImageId Read(ReadOnlySpan<byte> bytes, string where)
    {
        if (bytes.Length != ByteLength)
            throw new ZkVmException(MachineErrors.BadImageId, $"{where}: an ImageId is {ByteLength} bytes, not {bytes.Length}");
        Span<BabyBear> elements = stackalloc BabyBear[Digest.Length];
        for (int i = 0; i < Digest.Length; i++)
        {
            uint v = BitConverter.ToUInt32(bytes[(4 * i)..]);
            if (v >= BabyBear.P)
                throw new ZkVmException(MachineErrors.BadImageId, $"{where}: ImageId element {i} ({v}) is not a canonical field element");
            elements[i] = BabyBear.FromCanonical(v);
        }
        return new ImageId(new Digest(elements));
    }

    /// <summary>Parses the 64 hex digits <see cref="ToString"/> writes.</summary>
    public static ImageId Parse(string hex)
    {
        hex = hex.Trim();
        if (hex.Length != 2 * ByteLength || !hex.All(Uri.IsHexDigit))
            throw new ZkVmException(MachineErrors.BadImageId, $"an ImageId is {2 * ByteLength} hex digits; '{hex}' is not");
        return Read(Convert.FromHexString(hex), "ImageId");
    }
}
