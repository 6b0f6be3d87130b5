using ZkVm.Field;
using C = ZkVm.Crypto.Poseidon2BabyBear16Constants;

namespace ZkVm.Crypto;

/// <summary>
/// The Poseidon2 permutation written for reading, one state at a time, exactly as the parameter
/// file describes it. <see cref="Poseidon2"/> is the fast version and is tested against this one.
/// </summary>
public static class Poseidon2Reference
{
    public const int Width = C.Width;

    public static void Permute(Span<BabyBear> state)
    {
        if (state.Length != Width) throw new ArgumentException($"Poseidon2 state has {Width} elements", nameof(state));
        ExternalLinearLayer(state);
        for (int r = 0; r < C.HalfFullRounds; r++)
            FullRound(state, C.ExternalInitial.Slice(r * Width, Width));
        for (int r = 0; r < C.PartialRounds; r++)
        {
            state[0] = SBox(state[0] + BabyBear.FromCanonical(C.Internal[r]));
            InternalLinearLayer(state);
        }
        for (int r = 0; r < C.HalfFullRounds; r++)
            FullRound(state, C.ExternalFinal.Slice(r * Width, Width));
    }

    private static void FullRound(Span<BabyBear> state, ReadOnlySpan<uint> roundConstants)
    {
        for (int i = 0; i < Width; i++) state[i] = SBox(state[i] + BabyBear.FromCanonical(roundConstants[i]));
        ExternalLinearLayer(state);
    }

    private static BabyBear SBox(BabyBear x)
    {
        BabyBear x2 = x * x;
        return x2 * x2 * x2 * x;
    }

    /// <summary>Each block of four times M4 = [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]], then circ(2·M4, M4, M4, M4).</summary>
    private static void ExternalLinearLayer(Span<BabyBear> state)
    {
        Span<BabyBear> block = stackalloc BabyBear[4];
        for (int b = 0; b < Width; b += 4)
        {
            for (int row = 0; row < 4; row++)
            {
                BabyBear acc = BabyBear.Zero;
                for (int col = 0; col < 4; col++)
                    acc += BabyBear.FromCanonical(M4[row, col]) * state[b + col];
                block[row] = acc;
            }
            block.CopyTo(state.Slice(b, 4));
        }
        Span<BabyBear> sums = stackalloc BabyBear[4];
        for (int i = 0; i < Width; i++) sums[i % 4] += state[i];
        for (int i = 0; i < Width; i++) state[i] += sums[i % 4];
    }

    private static readonly uint[,] M4 = { { 2, 3, 1, 1 }, { 1, 2, 3, 1 }, { 1, 1, 2, 3 }, { 3, 1, 1, 2 } };

    /// <summary>(J + diag(V))·state: every element becomes V[i]·state[i] + Σ state.</summary>
    private static void InternalLinearLayer(Span<BabyBear> state)
    {
        BabyBear sum = BabyBear.Zero;
        foreach (BabyBear x in state) sum += x;
        for (int i = 0; i < Width; i++) state[i] = BabyBear.FromCanonical(C.InternalDiagonal[i]) * state[i] + sum;
    }
}
