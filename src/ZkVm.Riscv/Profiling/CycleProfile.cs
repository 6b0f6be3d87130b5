using ZkVm.Riscv.Execution;

namespace ZkVm.Riscv.Profiling;

/// <summary>
/// Where a run spent its cycles: every distinct call stack (root first, as indices into
/// <see cref="Frames"/>) with the cycles retired while it was the current stack. The stacks' cycles
/// sum to <see cref="ExecutionResult.Cycles"/>.
/// </summary>
public sealed class CycleProfile(IReadOnlyList<string> frames, IReadOnlyList<CallStackCycles> stacks, ExecutionResult result)
{
    /// <summary>Function names; a pc outside every symbol is named by its address.</summary>
    public IReadOnlyList<string> Frames { get; } = frames;

    /// <summary>Stacks in the order they were first entered.</summary>
    public IReadOnlyList<CallStackCycles> Stacks { get; } = stacks;

    public ExecutionResult Result { get; } = result;

    /// <summary>Per function: cycles at the top of the stack (self) and anywhere on it (total, counted
    /// once per stack, so recursion does not count twice), most self cycles first.</summary>
    public IReadOnlyList<FunctionCycles> ByFunction()
    {
        var self = new ulong[Frames.Count];
        var total = new ulong[Frames.Count];
        var seen = new HashSet<int>();
        foreach (var (stack, cycles) in Stacks)
        {
            self[stack[^1]] += cycles;
            seen.Clear();
            foreach (int frame in stack)
                if (seen.Add(frame))
                    total[frame] += cycles;
        }
        return Enumerable.Range(0, Frames.Count)
            .Where(f => total[f] > 0)
            .Select(f => new FunctionCycles(Frames[f], self[f], total[f]))
            .OrderByDescending(f => f.Self).ThenByDescending(f => f.Total).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }
}

public readonly record struct CallStackCycles(int[] Stack, ulong Cycles);

public readonly record struct FunctionCycles(string Name, ulong Self, ulong Total);
