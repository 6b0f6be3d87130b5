using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Tests.Support;

namespace ZkVm.Riscv.Tests;

/// <summary>The samples compute what the same computation in C# computes.</summary>
public class SampleTests
{
    static ExecutionResult Run(string sample, byte[]? input = null)
    {
        var result = Interpreter.Run(Guests.Load(Guests.SampleElf(sample)), input ?? Guests.SampleInput(sample));
        Assert.Null(result.Trap);
        Assert.Equal(0, result.ExitCode);
        return result;
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(93u)]
    [InlineData(1000u)]
    public void Fibonacci_commits_F_n_mod_2_64(uint n)
    {
        ulong a = 0, b = 1;
        for (uint i = 0; i < n; i++)
            (a, b) = (b, a + b);
        var input = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(input, n);
        Assert.Equal(a, BinaryPrimitives.ReadUInt64LittleEndian(Run("fibonacci", input).Journal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(64)]
    [InlineData(119)]
    [InlineData(-1)]
    public void Sha256_commits_the_digest_of_its_input(int length)
    {
        byte[] input = length < 0 ? Guests.SampleInput("sha256") : Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 1)).ToArray();
        var result = Run("sha256", input);
        Assert.Equal(SHA256.HashData(input), result.Journal);
        Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(input)), Encoding.ASCII.GetString(result.Stdout));
    }

    /// <summary>Keccak-256 with Ethereum's padding: the known answers for "" and "abc", and bytes 0–199, whose digest an independent
    /// Python implementation gave (tests/ZkVm.Machine.Tests/Precompiles/KeccakFChipTests.cs).</summary>
    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData(null, "bfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890")]
    public void Keccak256_commits_the_digest_of_its_input(string? text, string digest)
    {
        byte[] input = text is null ? [.. Enumerable.Range(0, 200).Select(i => (byte)i)] : Encoding.ASCII.GetBytes(text);
        Assert.Equal(digest, Convert.ToHexStringLower(Run("keccak256", input).Journal));
    }

    [Fact]
    public void Loop_commits_what_the_same_loop_computes_in_CSharp()
    {
        var input = Guests.SampleInput("loop");
        uint n = BinaryPrimitives.ReadUInt32LittleEndian(input), x = 1;
        for (uint i = 0; i < n; i++)
            x = (x ^ i) * 31 + (x >> 3);
        var result = Run("loop");
        Assert.Equal(x, BinaryPrimitives.ReadUInt32LittleEndian(result.Journal));
        Assert.True(result.Cycles > 7UL * n, "7 instructions per iteration");
    }

    [Fact]
    public void Sort_commits_the_sorted_input()
    {
        var input = Guests.SampleInput("sort");
        var values = Enumerable.Range(0, (int)BinaryPrimitives.ReadUInt32LittleEndian(input))
            .Select(i => BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(4 + 4 * i))).Order().ToArray();
        var expected = values.SelectMany(BitConverter.GetBytes).ToArray();
        Assert.Equal(expected, Run("sort").Journal);
    }

    [Fact]
    public void Textstats_counts_words_with_the_heap_and_printf()
    {
        var words = Encoding.ASCII.GetString(Guests.SampleInput("textstats")).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var counts = words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var result = Run("textstats");
        Assert.Equal((uint)counts.Count, BinaryPrimitives.ReadUInt32LittleEndian(result.Journal));
        Assert.Equal((uint)words.Length, BinaryPrimitives.ReadUInt32LittleEndian(result.Journal.AsSpan(4)));
        var lines = Encoding.ASCII.GetString(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(counts.Count, lines.Length);
        var top = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First();
        Assert.Equal($"{top.Key,-12} {top.Value,5} {100.0 * top.Value / words.Length,6:F2}%", lines[0]);
    }

    /// <summary>Its journal is exactly what it gave write_output: the input's length and its Adler-32, both
    /// little-endian. "Wikipedia" → 0x11E60398 is the worked example of Adler-32's Wikipedia article; the
    /// 10,000-byte input makes read_input's buffer grow past its first 4 KiB.</summary>
    [Theory]
    [InlineData(null, 0x11E60398u)]
    [InlineData("", 1u)]
    [InlineData("10000", 0u)]
    public void Portable_io_writes_the_input_length_and_adler32_through_the_standard_interface(string? text, uint expected)
    {
        byte[] input = text switch
        {
            null => Guests.SampleInput("portable-io"),
            "10000" => [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7 + 3))],
            _ => Encoding.ASCII.GetBytes(text),
        };
        uint a = 1, b = 0;
        foreach (byte x in input)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        uint adler = b << 16 | a;
        if (expected != 0) Assert.Equal(expected, adler);
        var output = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)input.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4), adler);
        Assert.Equal(output, Run("portable-io", input).Journal);
    }
}
