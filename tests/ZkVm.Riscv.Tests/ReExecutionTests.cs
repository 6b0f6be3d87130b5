using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Tests;

/// <summary>
/// Two-pass execution: for every sample and chunk sizes 1, 7 and 2^16, re-executing each chunk
/// from its checkpoint and read-log slice, without memory, gives exactly the records of one full
/// run over real memory; and pass 1's result and row counts agree with that run. Chunk sizes 7 and 2^16
/// run again with a read log that keeps 5 entries in memory, so the slices come back from its temporary file.
/// </summary>
public class ReExecutionTests
{
    public static TheoryData<string, ulong, int> Cases
    {
        get
        {
            var cases = new TheoryData<string, ulong, int>();
            foreach (var sample in Guests.Samples.Append("directed:memory.S").Append("directed:system.S").Append("directed:c_semantics.c"))
            {
                foreach (ulong interval in new ulong[] { 1, 7, 1 << 16 })
                    cases.Add(sample, interval, ReadLog.DefaultMemoryEntries);
                cases.Add(sample, 7, 5);
                cases.Add(sample, 1 << 16, 5);
            }
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chunks_reproduce_the_full_run(string sample, ulong interval, int memoryEntries)
    {
        bool directed = sample.StartsWith("directed:");
        var program = Guests.Load(directed ? Guests.DirectedElf(sample["directed:".Length..]) : Guests.SampleElf(sample));
        byte[] input = directed ? "zk"u8.ToArray() : Guests.SampleInput(sample);

        var (reference, full) = ReExecutor.RunWithRecords(program, input);
        Assert.Equal(0, full.ExitCode);

        using var trace = Interpreter.Record(program, input, new ExecutionOptions { CheckpointInterval = interval, ReadLogMemoryEntries = memoryEntries });
        if (memoryEntries < trace.ReadLog.Count)
            Assert.True(trace.ReadLog.Spilled > 0, "the read log kept more entries in memory than it was allowed");
        Assert.Equal(full.ExitCode, trace.Result.ExitCode);
        Assert.Equal(full.Cycles, trace.Result.Cycles);
        Assert.Equal(full.Journal, trace.Result.Journal);
        Assert.Equal(full.Stdout, trace.Result.Stdout);
        Assert.Equal(full.Registers, trace.Result.Registers);
        Assert.Equal((ulong)reference.Count, trace.Result.Cycles);
        Assert.Equal((int)((trace.Result.Cycles + interval - 1) / interval), trace.Checkpoints.Count);

        int next = 0;
        for (int i = 0; i < trace.Checkpoints.Count; i++)
        {
            var (start, log, cycles) = trace.Chunk(i);
            Assert.Equal((ulong)next, start.Cycle);
            var records = ReExecutor.ReExecute(program, start, log, cycles);
            for (int k = 0; k < records.Count; k++)
                if (records[k] != reference[next + k])
                    Assert.Fail($"chunk {i}, record {k}: re-executed {records[k]} but the full run has {reference[next + k]}");
            next += records.Count;
        }
        Assert.Equal(reference.Count, next);
    }

    [Fact]
    public void A_read_log_slice_of_another_chunk_is_rejected()
    {
        var program = Guests.Load(Guests.SampleElf("sort"));
        using var trace = Interpreter.Record(program, Guests.SampleInput("sort"), new ExecutionOptions { CheckpointInterval = 4096 });
        var (start, log, cycles) = trace.Chunk(3);
        var (_, otherLog, _) = trace.Chunk(4);
        Assert.NotEqual(log.Length, otherLog.Length);
        var error = Assert.Throws<ZkVmException>(() => ReExecutor.ReExecute(program, start, otherLog, cycles));
        Assert.Equal(TraceError.LogMismatch, error.Code);
    }

    [Fact]
    public void Recording_and_plain_runs_agree()
    {
        var program = Guests.Load(Guests.SampleElf("sha256"));
        var input = Guests.SampleInput("sha256");
        var plain = Interpreter.Run(program, input);
        using var trace = Interpreter.Record(program, input);
        var recorded = trace.Result;
        Assert.Equal(plain.Cycles, recorded.Cycles);
        Assert.Equal(plain.Journal, recorded.Journal);
        Assert.Equal(plain.Registers, recorded.Registers);
        Assert.Equal(plain.FinalPc, recorded.FinalPc);
    }
}
