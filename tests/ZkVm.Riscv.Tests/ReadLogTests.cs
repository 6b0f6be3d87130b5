using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Tests;

/// <summary>The read log past its memory part: every slice, across the file and the buffer, reads back what was appended, and the file goes with the log.</summary>
public class ReadLogTests
{
    static int TemporaryFiles() => Directory.GetFiles(Path.GetTempPath(), "zkvm-readlog-*.bin").Length;

    [Theory]
    [InlineData(1, 100)]
    [InlineData(8, 1000)]
    [InlineData(1 << 16, 70_000)]
    public void Slices_read_back_what_was_appended(int memoryEntries, int count)
    {
        var expected = Enumerable.Range(0, count).Select(i => (uint)(i * 2654435761u)).ToArray();
        int before = TemporaryFiles();
        using (var log = new ReadLog(memoryEntries))
        {
            foreach (uint v in expected) log.Add(v);
            Assert.Equal(count, log.Count);
            Assert.True(log.Count - log.Spilled <= memoryEntries, $"{log.Count - log.Spilled} entries in memory, {memoryEntries} allowed");
            Assert.Equal(expected, log.ToArray());
            var random = new Random(7);
            for (int k = 0; k < 200; k++)
            {
                int start = random.Next(count + 1), length = random.Next(count - start + 1);
                Assert.Equal(expected.AsSpan(start, length).ToArray(), log.Slice(start, length).ToArray());
            }
            if (log.Spilled > 0) Assert.True(TemporaryFiles() > before);
        }
        Assert.Equal(before, TemporaryFiles());
    }

    [Fact]
    public void A_slice_outside_the_log_is_refused()
    {
        using var log = new ReadLog(4);
        for (uint i = 0; i < 10; i++) log.Add(i);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Slice(8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Slice(-1, 1));
    }
}
