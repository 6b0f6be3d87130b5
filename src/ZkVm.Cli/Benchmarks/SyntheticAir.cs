using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// The workload of <c>zkvm bench stark</c>: every column c follows next[c] = cur[c]·cur[c+1] + cur[c+2]
/// (indices mod width), a degree-3 transition constraint per column, and each row sends its first
/// two columns on a bus and receives them back, so one balanced bus runs through the LogUp machinery.
/// </summary>
public sealed class SyntheticAir(int width) : IAir
{
    public static readonly Bus Bus = new(1, "synthetic");

    public string Name => "synthetic";
    public int MainWidth => width;

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        for (int c = 0; c < width; c++)
            b.AssertZero(b.IsTransition * (b.MainNext(c) - b.Main(c) * b.Main((c + 1) % width) - b.Main((c + 2) % width)));
        TE one = TE.Constant(BabyBear.One);
        b.Send(Bus, one, b.Main(0), b.Main(1));
        b.Receive(Bus, one, b.Main(0), b.Main(1));
    }

    public static TableTrace Trace(int width, int height, int seed)
    {
        var m = new RowMajorMatrix(width, height);
        var r = new Random(seed);
        for (int c = 0; c < width; c++) m[0, c] = BabyBear.FromCanonical((uint)r.NextInt64(BabyBear.P));
        for (int i = 1; i < height; i++)
            for (int c = 0; c < width; c++)
                m[i, c] = m[i - 1, c] * m[i - 1, (c + 1) % width] + m[i - 1, (c + 2) % width];
        return new TableTrace(new SyntheticAir(width), m);
    }
}
