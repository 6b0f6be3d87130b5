using System.Buffers.Binary;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// A guest of samples/ the prover benchmark runs, and how to make its input for a size: fibonacci's n (ALU-bound),
/// sha256 over a number of bytes (shifts, logic, loads) and sort over a number of u32 values (a merge sort: loads,
/// stores and branches, so memory-heavy). Inputs are deterministic, so every run of a size proves the same program run.
/// </summary>
public sealed record ProverWorkload(string Name, long FirstSize, Func<long, byte[]> Input)
{
    public static readonly ProverWorkload Fibonacci = new("fibonacci", 1000, n => BitConverter.GetBytes((uint)n));

    public static readonly ProverWorkload Sha256 = new("sha256", 4096, bytes =>
    {
        var input = new byte[bytes];
        new Random(20261207).NextBytes(input);
        return input;
    });

    /// <summary>At most 2^20 values: the guest refuses more.</summary>
    public static readonly ProverWorkload Sort = new("sort", 1000, count =>
    {
        count = Math.Min(count, 1 << 20);
        var input = new byte[4 + 4 * count];
        BinaryPrimitives.WriteUInt32LittleEndian(input, (uint)count);
        var random = new Random(20261207);
        for (long i = 0; i < count; i++) BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan((int)(4 + 4 * i)), (uint)random.Next());
        return input;
    });

    public static IReadOnlyList<ProverWorkload> All { get; } = [Fibonacci, Sha256, Sort];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(w => w.Name)];

    public static ProverWorkload Named(string name) => All.Single(w => w.Name == name);

    /// <summary>samples/&lt;name&gt;/main.c above the current directory or the tool's own folder.</summary>
    public string? FindSource()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "samples", Name, "main.c");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>
    /// The size whose run takes about <paramref name="targetCycles"/> (within 2 %) and at most
    /// <paramref name="maxCycles"/>: a line through two measured sizes, then secant steps for workloads
    /// whose cycles are not linear in their size (sort's n log n). <paramref name="cycles"/> runs the guest.
    /// </summary>
    public long SizeFor(long targetCycles, long maxCycles, Func<long, long> cycles)
    {
        long s1 = FirstSize, s2 = 2 * FirstSize;
        long c1 = cycles(s1), c2 = cycles(s2);
        double perUnit = (double)(c2 - c1) / (s2 - s1), fixedCycles = c1 - s1 * perUnit;
        long size = Math.Max(1, (long)Math.Round((targetCycles - fixedCycles) / perUnit));
        for (int step = 0; step < 6; step++)
        {
            long c = cycles(size);
            if (c <= maxCycles && Math.Abs(c - targetCycles) <= targetCycles / 50) break;
            long goal = Math.Min(targetCycles, maxCycles - maxCycles / 100);
            size = Math.Max(1, (long)Math.Round(size * (double)(goal - fixedCycles) / (c - fixedCycles)));
        }
        return size;
    }
}
