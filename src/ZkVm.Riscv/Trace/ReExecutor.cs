using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;

namespace ZkVm.Riscv.Trace;

/// <summary>Pass 2 and its reference: per-instruction records, from a checkpoint without memory
/// (<see cref="ReExecute"/>) or from the start with memory (<see cref="RunWithRecords"/>).</summary>
public static class ReExecutor
{
    /// <summary>Rebuilds the records of a chunk of <paramref name="cycles"/> instructions from its
    /// checkpoint and its read-log slice. Fails with <see cref="TraceError.LogMismatch"/> when the
    /// slice is not exactly what the chunk reads.</summary>
    public static List<ExecutionRecord> ReExecute(HarvardProgram program, Checkpoint checkpoint, ReadOnlyMemory<uint> readLog, ulong cycles)
    {
        var stepper = new RecordStepper<ReadLogPort>(program, new ReadLogPort(readLog));
        var regs = checkpoint.Registers.ToArray();
        uint pc = checkpoint.Pc;
        var records = new List<ExecutionRecord>((int)Math.Min(cycles, 1 << 20));
        try
        {
            for (ulong i = 0; i < cycles; i++)
            {
                bool halted = stepper.Step(regs, ref pc, checkpoint.Cycle + i, out var record);
                records.Add(record);
                if (halted && i + 1 != cycles)
                    throw new ZkVmException(TraceError.LogMismatch, $"the chunk from cycle {checkpoint.Cycle} halts at cycle {checkpoint.Cycle + i} before its {cycles} instructions");
            }
        }
        catch (TrapException e)
        {
            throw new ZkVmException(TraceError.LogMismatch, $"re-execution from cycle {checkpoint.Cycle} trapped ({e.Trap.Message}); pass 1 did not");
        }
        if (!stepper.Port.Exhausted)
            throw new ZkVmException(TraceError.LogMismatch, $"the chunk from cycle {checkpoint.Cycle} left read-log entries unread");
        return records;
    }

    /// <summary>A complete run over real memory that records every instruction: the reference
    /// that re-executed chunks must reproduce. Memory grows with the run; meant for tests and tools.</summary>
    public static (List<ExecutionRecord> Records, ExecutionResult Result) RunWithRecords(HarvardProgram program, ReadOnlyMemory<byte> input, ExecutionOptions? options = null)
    {
        var records = new List<ExecutionRecord>();
        var result = RunObserved(program, input, options, records.Add);
        return (records, result);
    }

    /// <summary>A complete run over real memory that hands every retired instruction to
    /// <paramref name="retired"/>, in order, and keeps none: one call per cycle of the result.</summary>
    public static ExecutionResult RunObserved(HarvardProgram program, ReadOnlyMemory<byte> input, ExecutionOptions? options, Action<ExecutionRecord> retired)
    {
        options ??= ExecutionOptions.Default;
        var port = new MemoryPort(program, input, options);
        var stepper = new RecordStepper<MemoryPort>(program, port);
        var regs = new uint[32];
        regs[2] = GuestMemoryMap.StackTop;
        uint pc = program.Entry;
        Trap? trap = null;
        int? exitCode = null;
        ulong cycle = 0;
        try
        {
            for (; ; cycle++)
            {
                if (cycle >= options.MaxCycles)
                {
                    trap = new Trap(TrapCause.CycleLimit, pc, $"cycle limit of {options.MaxCycles} reached without HALT");
                    break;
                }
                bool halted = stepper.Step(regs, ref pc, cycle, out var record);
                retired(record);
                if (halted)
                {
                    exitCode = (int)regs[10];
                    cycle++;
                    break;
                }
            }
        }
        catch (TrapException e)
        {
            trap = e.Trap;
        }
        var io = port.Io;
        return new ExecutionResult(exitCode, trap, cycle, pc, regs, io.Journal.ToArray(), io.Stdout.ToArray(), io.Stderr.ToArray(), 0);
    }
}
