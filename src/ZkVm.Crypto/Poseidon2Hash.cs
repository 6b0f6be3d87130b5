using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkVm.Field;

namespace ZkVm.Crypto;

/// <summary>
/// Hashing built on the Poseidon2 permutation: a sponge for rows of any length (rate 8, capacity 8)
/// and a 2-to-1 compression for Merkle nodes.
/// </summary>
/// <remarks>
/// The sponge overwrites the rate with each chunk of 8 inputs (the last chunk may be shorter) and
/// permutes after each; the input length is written into the capacity before the first chunk so
/// messages of different lengths never share a state (a row and the same row with a trailing zero
/// hash differently). The compression permutes left ‖ right and keeps the first 8 elements.
/// </remarks>
public static class Poseidon2Hash
{
    public const int Rate = 8;
    internal const int LengthSlot = Poseidon2.Width - 1;

    public static Digest HashRow(ReadOnlySpan<BabyBear> input)
    {
        Span<BabyBear> state = stackalloc BabyBear[Poseidon2.Width];
        state.Clear();
        state[LengthSlot] = BabyBear.FromUInt64((ulong)input.Length);
        int offset = 0;
        do
        {
            int take = Math.Min(Rate, input.Length - offset);
            input.Slice(offset, take).CopyTo(state);
            Poseidon2.Permute(state);
            offset += take;
        } while (offset < input.Length);
        return new Digest(state[..Digest.Length]);
    }

    public static Digest Compress(in Digest left, in Digest right)
    {
        Span<BabyBear> state = stackalloc BabyBear[Poseidon2.Width];
        left.CopyTo(state);
        right.CopyTo(state[Digest.Length..]);
        Poseidon2.Permute(state);
        return new Digest(state[..Digest.Length]);
    }
}

/// <summary><see cref="Poseidon2Hash"/> for TP.Width independent inputs at once, one per lane.</summary>
internal static class Poseidon2Hash<TP> where TP : unmanaged, IPackedField<TP>
{
    /// <summary>
    /// Hashes TP.Width messages of equal length, message k in lane k, read through
    /// <paramref name="source"/>; the digest of message k goes to output[k].
    /// </summary>
    public static void HashLanes<TSource>(TSource source, int length, Span<Digest> output)
        where TSource : ILaneSource, allows ref struct
    {
        Poseidon2State<TP> state = default;
        Span<BabyBear> lanes = stackalloc BabyBear[TP.Width];
        lanes.Fill(BabyBear.FromUInt64((ulong)length));
        state[Poseidon2Hash.LengthSlot] = TP.Load(ref lanes[0]);
        int offset = 0;
        do
        {
            int take = Math.Min(Poseidon2Hash.Rate, length - offset);
            for (int i = 0; i < take; i++)
            {
                source.Gather(offset + i, lanes);
                state[i] = TP.Load(ref lanes[0]);
            }
            Poseidon2<TP>.Permute(ref state);
            offset += take;
        } while (offset < length);
        Unpack(ref state, output);
    }

    /// <summary>Compresses TP.Width pairs: lane k gets left[k] ‖ right[k].</summary>
    public static void CompressLanes(ReadOnlySpan<Digest> left, ReadOnlySpan<Digest> right, Span<Digest> output)
    {
        // A digest is 8 consecutive elements, so the spans are read and written as flat element arrays.
        ReadOnlySpan<BabyBear> l = MemoryMarshal.Cast<Digest, BabyBear>(left), r = MemoryMarshal.Cast<Digest, BabyBear>(right);
        Poseidon2State<TP> state = default;
        Span<BabyBear> lanes = stackalloc BabyBear[TP.Width];
        for (int i = 0; i < Digest.Length; i++)
        {
            for (int k = 0; k < TP.Width; k++) lanes[k] = l[k * Digest.Length + i];
            state[i] = TP.Load(ref lanes[0]);
            for (int k = 0; k < TP.Width; k++) lanes[k] = r[k * Digest.Length + i];
            state[Digest.Length + i] = TP.Load(ref lanes[0]);
        }
        Poseidon2<TP>.Permute(ref state);
        Unpack(ref state, output);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unpack(ref Poseidon2State<TP> state, Span<Digest> output)
    {
        Span<BabyBear> flat = MemoryMarshal.Cast<Digest, BabyBear>(output);
        Span<BabyBear> lanes = stackalloc BabyBear[TP.Width];
        for (int i = 0; i < Digest.Length; i++)
        {
            TP.Store(ref lanes[0], state[i]);
            for (int k = 0; k < TP.Width; k++) flat[k * Digest.Length + i] = lanes[k];
        }
    }
}

/// <summary>Reads element i of every lane's message, for batched hashing without copying messages.</summary>
internal interface ILaneSource
{
    void Gather(int index, scoped Span<BabyBear> lanes);
}
