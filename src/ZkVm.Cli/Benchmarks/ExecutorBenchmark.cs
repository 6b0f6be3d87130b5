using System.Diagnostics;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;

namespace ZkVm.Cli.Benchmarks;

/// <summary>
/// <c>zkvm bench executor</c>: one guest run on the interpreter and on the JIT, alternately, each run on a freshly loaded program
/// (so the JIT starts cold, as a run in a new process would, but for the JIT of its own compiler). Medians per engine, the JIT's
/// regions and compile time per run, and the ratio.
/// </summary>
static class ExecutorBenchmark
{
    public static IReadOnlyList<(string Name, double Value)> Run(string elf, ReadOnlyMemory<byte> input, int runs, bool record, IsaFor isa)
    {
        var times = new Dictionary<ExecutionEngine, List<double>> { [ExecutionEngine.Interpreter] = [], [ExecutionEngine.Jit] = [] };
        var compile = new List<(double Regions, double Ms)>();
        ulong cycles = 0;
        for (int i = 0; i <= runs; i++) // run 0 of each warms .NET's JIT up and is not counted
            // Each engine goes first in every other round, so neither always inherits the other's garbage.
            foreach (var engine in i % 2 == 0 ? times.Keys.ToArray() : times.Keys.Reverse().ToArray())
            {
                var program = HarvardProgram.Load(elf, isa());
                var options = new ExecutionOptions { Engine = engine };
                var (regions, time) = Interpreter.JitCost;
                long start = Stopwatch.GetTimestamp();
                if (record)
                {
                    using var trace = Interpreter.Record(program, input, options);
                    cycles = trace.Result.Cycles;
                }
                else
                    cycles = Interpreter.Run(program, input, options).Cycles;
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                // Regions still compiling when the run ended are counted with the next run's: they did not slow this one.
                var (regionsAfter, timeAfter) = Interpreter.JitCost;
                if (i == 0) continue;
                times[engine].Add(ms);
                if (engine == ExecutionEngine.Jit) compile.Add((regionsAfter - regions, (timeAfter - time).TotalMilliseconds));
            }
        double interpreter = Median(times[ExecutionEngine.Interpreter]), jit = Median(times[ExecutionEngine.Jit]);
        return
        [
            ("cycles", cycles),
            ("interpreter_ms", interpreter),
            ("interpreter_mhz", cycles / interpreter / 1e3),
            ("jit_ms", jit),
            ("jit_mhz", cycles / jit / 1e3),
            ("jit_speedup", interpreter / jit),
            ("jit_regions_per_run", Median([.. compile.Select(c => c.Regions)])),
            ("jit_compile_ms_per_run", Median([.. compile.Select(c => c.Ms)])),
            ("jit_compile_ms_per_region", compile.Sum(c => c.Regions) == 0 ? 0 : compile.Sum(c => c.Ms) / compile.Sum(c => c.Regions)),
        ];
    }

    public delegate Riscv.Isa.InstructionSet IsaFor();

    static double Median(List<double> values)
    {
        if (values.Count == 0) return 0;
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
