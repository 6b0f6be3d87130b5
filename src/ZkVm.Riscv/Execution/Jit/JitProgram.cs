using System.Runtime.CompilerServices;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Execution.Jit;

/// <summary>
/// A program as the JIT sees it: the interpreter's slots, where each basic block ends, which ROM words hold code, and the
/// regions compiled so far with how often each cold entry was reached. One per <see cref="HarvardProgram"/>, shared by all its
/// runs (so a program executed or proven again starts with its hot code compiled); safe to use from several runs at once.
/// </summary>
internal sealed class JitProgram
{
    static readonly ConditionalWeakTable<HarvardProgram, JitProgram> programs = [];

    /// <summary>A ROM index fits 23 bits of a side exit's code (ip &lt;&lt; 8 | cycles); a larger ROM (32 MiB of code) stays interpreted.</summary>
    const int MaxSlots = 1 << 23;

    readonly int[] plainEntries, recordingEntries;
    readonly RegionCode?[] plain, recording;

    JitProgram(HarvardProgram program, Interpreter.Slot[] slots)
    {
        Slots = slots;
        CodeBase = program.CodeBase;
        CodeBytes = (uint)program.Rom.Length * 4;
        CodeMap = new byte[slots.Length];
        BlockLength = new int[slots.Length];
        for (int i = slots.Length - 1; i >= 0; i--)
        {
            CodeMap[i] = slots[i].Op == Interpreter.NotCode ? (byte)0 : (byte)1;
            BlockLength[i] = EndsBlock(slots[i].Op) || i == slots.Length - 1 ? 1 : BlockLength[i + 1] + 1;
        }
        plainEntries = new int[slots.Length];
        recordingEntries = new int[slots.Length];
        plain = new RegionCode?[slots.Length];
        recording = new RegionCode?[slots.Length];
    }

    public static JitProgram For(HarvardProgram program, Interpreter.Slot[] slots) => programs.GetValue(program, p => new JitProgram(p, slots));

    public Interpreter.Slot[] Slots { get; }
    public uint CodeBase { get; }
    public uint CodeBytes { get; }

    /// <summary>One byte per ROM index (and the slot past the end): 1 where it holds code.</summary>
    public byte[] CodeMap { get; }

    /// <summary>Instructions from each index to the end of its basic block, the terminator included.</summary>
    public int[] BlockLength { get; }

    public uint PcOf(int ip) => CodeBase + (uint)ip * 4;

    /// <summary>The compiled region that starts at <paramref name="ip"/>; null when there is none (yet).</summary>
    public RegionCode? Region(int ip, bool record) => Volatile.Read(ref (record ? recording : plain)[ip]);

    /// <summary>
    /// A taken branch or jump lands on <paramref name="ip"/>: true when a compiled region starts there. Otherwise the entry is
    /// counted, and the <see cref="ExecutionOptions.JitHotEntries"/>-th asks for the region: on a thread-pool thread by default,
    /// the run interpreting on meanwhile, so compiling never holds a run up (RyuJIT takes about a millisecond per region); with
    /// <see cref="ExecutionOptions.JitCompilesInBackground"/> off, at once.
    /// </summary>
    public bool Enter(int ip, bool record, ExecutionOptions options)
    {
        if (Region(ip, record) is not null) return true;
        if (Slots.Length > MaxSlots || ++(record ? recordingEntries : plainEntries)[ip] != options.JitHotEntries) return false;
        if (!options.JitCompilesInBackground)
        {
            Compile(ip, record);
            return true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            // A region that cannot be compiled stays interpreted: the run is right either way (tests compile inline, where it throws).
            try { state.Program.Compile(state.Ip, state.Record); }
            catch (Exception e) when (e is InvalidProgramException or NotSupportedException or InvalidOperationException or ArgumentException) { }
        }, (Program: this, Ip: ip, Record: record), preferLocal: false);
        return false;
    }

    /// <summary>Regions compiled so far, and the time compiling them took (both modes), for the JIT's cost figures.</summary>
    public static (long Regions, TimeSpan Time) Cost => (Volatile.Read(ref compiledRegions), TimeSpan.FromTicks(Volatile.Read(ref compileTicks)));

    static long compiledRegions, compileTicks;

    void Compile(int ip, bool record)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        var code = RegionCompiler.Compile(this, ip, record);
        // RyuJIT compiles a dynamic method on its first call: make that call here, with a stop of 0, so no block runs.
        ulong cycle = 0;
        int logged = 0;
        code(new uint[33], Empty, Empty, CodeMap, ref cycle, 0, [], ref logged);
        Volatile.Write(ref (record ? recording : plain)[ip], code);
        Interlocked.Increment(ref compiledRegions);
        Interlocked.Add(ref compileTicks, System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks);
    }

    static readonly byte[]?[] Empty = [];

    /// <summary>The direct successors of the block whose terminator is at <paramref name="ip"/>: a branch's target and fall-through, a JAL's target.</summary>
    public IEnumerable<int> Successors(int ip)
    {
        var s = Slots[ip];
        if (s.Op == Interpreter.NotCode) yield break;
        switch ((Opcode)s.Op)
        {
            case Opcode.Beq or Opcode.Bne or Opcode.Blt or Opcode.Bge or Opcode.Bltu or Opcode.Bgeu:
                if (s.Imm >= 0) yield return s.Imm;
                yield return ip + 1;
                break;
            case Opcode.Jal:
                if (s.Imm >= 0) yield return s.Imm;
                break;
        }
    }

    /// <summary>The family of a slot's instruction (opcode table); null for a word that is not code or not an instruction.</summary>
    public static InstructionFamily? FamilyOf(byte op) =>
        op == Interpreter.NotCode || (Opcode)op == Opcode.Illegal ? null : OpcodeTable.Get((Opcode)op).Family;

    /// <summary>Control leaves straight-line code after this instruction (a branch or jump), or the JIT leaves it to the
    /// interpreter (a syscall or EBREAK, an extension's instruction, a word that is not one).</summary>
    static bool EndsBlock(byte op) =>
        FamilyOf(op) is null or InstructionFamily.Branch or InstructionFamily.Jump or InstructionFamily.Syscall or InstructionFamily.Extension;
}
