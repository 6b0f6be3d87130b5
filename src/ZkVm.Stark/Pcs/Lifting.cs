using ZkVm.Field;

namespace ZkVm.Stark.Pcs;

/// <summary>
/// Lifting a bit-reversed codeword on s·H_(2^m) to the taller s·H_(2^n) (docs/PROTOCOL.md §7.3): entry i of the taller
/// is the point x = s·ω^(bitrev(i)), and entry i >> (n − m) of the shorter is s^(1−k)·x^k with k = 2^(n − m), so the
/// lifted codeword is P(s^(1−k)·X^k) for the shorter's polynomial P, of degree below k times P's bound.
/// </summary>
public static class Lifting
{
    /// <summary>
    /// codewords[0] + Σ_(j ≥ 1) coefficients[j − 1]·lift(codewords[j]), the codewords' log lengths given (the first the
    /// tallest). A new array; the inputs are not changed.
    /// </summary>
    public static BabyBearExt4[] Sum(IReadOnlyList<BabyBearExt4[]> codewords, IReadOnlyList<int> logLengths, ReadOnlySpan<BabyBearExt4> coefficients)
    {
        BabyBearExt4[] top = [.. codewords[0]];
        for (int j = 1; j < codewords.Count; j++)
        {
            // c·v once per entry of the shorter codeword, added to the 2^d entries above it.
            BabyBearExt4[] input = codewords[j];
            BabyBearExt4 c = coefficients[j - 1];
            int d = logLengths[0] - logLengths[j];
            const int Block = 4096;
            Parallel.For(0, (input.Length + Block - 1) / Block, block =>
            {
                int end = Math.Min(input.Length, (block + 1) * Block);
                for (int e = block * Block; e < end; e++)
                {
                    BabyBearExt4 v = c * input[e];
                    for (int i = e << d, last = (e + 1) << d; i < last; i++) top[i] += v;
                }
            });
        }
        return top;
    }

    /// <summary>
    /// The point at which a polynomial on a domain of 2^logHeight rows is read when it is lifted to 2^logMaxHeight rows and
    /// the lifted one is read at <paramref name="zeta"/>: s^(1−k)·ζ^k with k = 2^(logMaxHeight − logHeight).
    /// </summary>
    public static BabyBearExt4 Point(BabyBearExt4 zeta, int logHeight, int logMaxHeight)
    {
        int d = logMaxHeight - logHeight;
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        BabyBearExt4 power = zeta;
        BabyBear shiftPower = Domain.Shift; // s^k
        for (int i = 0; i < d; i++)
        {
            power = power.Square();
            shiftPower = shiftPower.Square();
        }
        return power * (Domain.Shift * shiftPower.Inverse());
    }
}
