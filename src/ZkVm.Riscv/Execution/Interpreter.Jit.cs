using ZkVm.Riscv.Execution.Jit;

namespace ZkVm.Riscv.Execution;

public static partial class Interpreter
{
    sealed partial class Machine
    {
        /// <summary>
        /// <see cref="Loop{TMode}"/> on the JIT (<see cref="ExecutionEngine.Jit"/>), with the same contract: runs to
        /// <paramref name="stop"/> or the first instruction that stops the loop. Hot regions run compiled; a cold block, and any
        /// instruction a region leaves to it, runs on the interpreter's loop, so traps, syscalls and the read log are its own.
        /// </summary>
        StopReason Compiled<TMode>(ref int ip, ref ulong cycle, ulong stop) where TMode : struct, IMode
        {
            bool recording = typeof(TMode) == typeof(Recording);
            var jitProgram = jit!;
            while (cycle < stop)
            {
                if (jitProgram.RegionAt(ip, recording, options) is { } region)
                {
                    int logged = ReadLog.BufferCount;
                    int next = region(regs, memory.Pages, memory.WritablePages, jitProgram.CodeMap, ref cycle, stop, ReadLog.Buffer, ref logged);
                    ReadLog.BufferCount = logged;
                    if (next >= 0)
                    {
                        ip = next;
                        continue;
                    }
                    // The region left instruction ~next to the interpreter (or its block did not fit before stop): the interpreter
                    // runs it and the rest of its basic block, so that regions are only ever entered where blocks start.
                    ip = ~next;
                    if (cycle >= stop) break;
                }
                // Cold, or left to the interpreter: interpret to the end of this basic block, where the next region may start.
                var reason = Loop<TMode>(ref ip, ref cycle, Math.Min(stop, cycle + (ulong)jitProgram.BlockLength[ip]));
                if (reason != StopReason.Limit) return reason;
            }
            return StopReason.Limit;
        }
    }
}
