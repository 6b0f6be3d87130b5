using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Profiling;

/// <summary>
/// Runs a guest and charges each retired instruction to the call stack it ran in. Calls and returns
/// are read from JAL/JALR the way the RISC-V unprivileged spec's return-address-stack hints read them
/// (Table "Return-address stack prediction hints"): a jump that links ra or t0 pushes, a JALR through
/// ra or t0 that does not link pops, one that does both pops then pushes. A non-linking jump to the
/// first instruction of another function is a tail call and replaces the top frame. Frames are the
/// ELF's function symbols.
/// </summary>
public static class Profiler
{
    /// <summary>Deeper calls are not given frames of their own (runaway recursion stays bounded).</summary>
    public const int MaxDepth = 4096;

    public static CycleProfile Run(HarvardProgram program, ReadOnlyMemory<byte> input, ExecutionOptions? options = null)
    {
        var frames = new FrameTable(program);
        var stacks = new StackTrie();
        int node = stacks.Child(StackTrie.Root, frames.At(program.Entry));
        int depth = 1, beyond = 0;
        var result = ReExecutor.RunObserved(program, input, options, record =>
        {
            stacks.Charge(node);
            var ins = record.Instruction;
            if (ins.Op is not (Opcode.Jal or Opcode.Jalr))
                return;
            bool links = IsLink(ins.Rd), returns = ins.Op == Opcode.Jalr && IsLink(ins.Rs1) && ins.Rd != ins.Rs1;
            if (returns)
            {
                if (beyond > 0)
                    beyond--;
                else if (depth > 1)
                {
                    node = stacks.Parent(node);
                    depth--;
                }
                // Returning into a function its caller's frame is not (longjmp, hand-written code): follow the pc.
                if (!links && frames.Known(record.NextPc) is int known and >= 0 && stacks.Frame(node) != known)
                    node = stacks.Child(stacks.Parent(node), known);
            }
            if (links)
            {
                if (depth < MaxDepth)
                {
                    node = stacks.Child(node, frames.At(record.NextPc));
                    depth++;
                }
                else
                    beyond++;
            }
            else if (!returns && frames.IsStart(record.NextPc) && frames.At(record.NextPc) is int callee && stacks.Frame(node) != callee)
                node = stacks.Child(stacks.Parent(node), callee);
        });
        return new CycleProfile(frames.Names, stacks.Collect(), result);
    }

    // x1 (ra) and x5 (t0) are the link registers of the calling convention and of the spec's hints.
    static bool IsLink(int register) => register is 1 or 5;

    /// <summary>The frame of every code address, from the function symbols; addresses outside every
    /// function take the nearest code symbol before them. In code no symbol covers (a stripped ELF), a
    /// function is named by the address it is called at.</summary>
    sealed class FrameTable
    {
        readonly HarvardProgram program;
        readonly int[] frameOfSlot;
        readonly bool[] starts;
        readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
        public readonly List<string> Names = [];

        public FrameTable(HarvardProgram program)
        {
            this.program = program;
            frameOfSlot = new int[program.Rom.Length];
            starts = new bool[program.Rom.Length];
            Array.Fill(frameOfSlot, -1);
            var code = program.Symbols.Where(s => program.IsCode(s.Value)).OrderBy(s => s.Value).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
            // Any code symbol names what follows it, until a function that covers the address says otherwise.
            for (int i = 0; i < code.Count; i++)
            {
                uint end = i + 1 < code.Count ? code[i + 1].Value : program.CodeEnd;
                for (uint pc = code[i].Value; pc < end; pc += 4)
                    if (program.IsCode(pc))
                        frameOfSlot[program.IndexOf(pc)] = Intern(code[i].Name);
            }
            foreach (var function in code.Where(s => s.IsFunction))
            {
                starts[program.IndexOf(function.Value)] = true;
                for (uint pc = function.Value; pc < function.Value + function.Size; pc += 4)
                    if (program.IsCode(pc))
                        frameOfSlot[program.IndexOf(pc)] = Intern(function.Name);
            }
        }

        /// <summary>The frame of code entered at <paramref name="pc"/>; code no symbol covers is named by the address it is entered at.</summary>
        public int At(uint pc) => Known(pc) is int frame and >= 0 ? frame : frameOfSlot[program.IndexOf(pc)] = Intern($"0x{pc:x8}");

        /// <summary>The frame a symbol (or an earlier entry at this very pc) gives <paramref name="pc"/>; −1 when none does.</summary>
        public int Known(uint pc) => frameOfSlot[program.IndexOf(pc)];

        public bool IsStart(uint pc) => starts[program.IndexOf(pc)];

        int Intern(string name)
        {
            if (!index.TryGetValue(name, out int frame))
            {
                index[name] = frame = Names.Count;
                Names.Add(name);
            }
            return frame;
        }
    }

    /// <summary>Call stacks as a trie: a node is a stack, its parent the stack without the top frame.</summary>
    sealed class StackTrie
    {
        public const int Root = 0;
        readonly List<(int Parent, int Frame)> nodes = [(Root, -1)];
        readonly List<ulong> cycles = [0];
        readonly Dictionary<(int, int), int> children = [];

        public int Child(int parent, int frame)
        {
            if (!children.TryGetValue((parent, frame), out int node))
            {
                children[(parent, frame)] = node = nodes.Count;
                nodes.Add((parent, frame));
                cycles.Add(0);
            }
            return node;
        }

        public int Parent(int node) => node == Root ? Root : nodes[node].Parent;

        public int Frame(int node) => nodes[node].Frame;

        public void Charge(int node) => cycles[node]++;

        public List<CallStackCycles> Collect()
        {
            var stacks = new List<CallStackCycles>();
            for (int node = 1; node < nodes.Count; node++)
            {
                if (cycles[node] == 0)
                    continue;
                var stack = new List<int>();
                for (int at = node; at != Root; at = nodes[at].Parent)
                    stack.Add(nodes[at].Frame);
                stack.Reverse();
                stacks.Add(new CallStackCycles([.. stack], cycles[node]));
            }
            return stacks;
        }
    }
}
