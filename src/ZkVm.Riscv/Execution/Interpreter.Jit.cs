using ZkVm.Riscv.Execution.Jit;

namespace ZkVm.Riscv.Execution;

public static partial class Interpreter
{
    /// <summary>Regions the JIT has compiled in this process, and the time it spent on them (on background threads by default).</summary>
    public static (long Regions, TimeSpan Time) JitCost => JitProgram.Cost;

    sealed partial class Machine
    {
        /// <summary>
        /// <see cref="Loop{TMode}"/> on the JIT (<see cref="ExecutionEngine.Jit"/>), with the same contract: runs to
        /// <paramref name="stop"/> or the first instruction that stops the loop. The interpreter runs (in <typeparamref name="TJit"/>,
        /// its JIT mode) until a taken branch or jump lands where a compiled region starts; the region runs until control leaves it
        /// or it leaves an instruction to the interpreter, which then goes on. Traps, syscalls and the read log stay the interpreter's.
        /// </summary>
        StopReason Compiled<TJit>(ref int ip, ref ulong cycle, ulong stop) where TJit : struct, IMode
        {
            bool recording = typeof(TJit) == typeof(JitRecording);
            var jitProgram = jit!;
            while (cycle < stop)
            {
                if (jitProgram.Region(ip, recording) is { } region)
                {
                    int logged = ReadLog.BufferCount;
                    int next = region(regs, memory.Pages, memory.WritablePages, jitProgram.CodeMap, ref cycle, stop, ReadLog.Buffer, ref logged);
                    ReadLog.BufferCount = logged;
                    if (next >= 0)
                    {
                        ip = next;
                        continue;
                    }
                    // The region left instruction ~next to the interpreter, or its next block did not fit before stop.
                    ip = ~next;
                    if (cycle >= stop) break;
                }
                var reason = Loop<TJit>(ref ip, ref cycle, stop);
                if (reason != StopReason.Region) return reason;
            }
            return StopReason.Limit;
        }
    }
}
