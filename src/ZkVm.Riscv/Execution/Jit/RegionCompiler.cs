using System.Reflection;
using System.Reflection.Emit;
using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Execution.Jit;

/// <summary>
/// A compiled region of the ROM: runs from its entry with the guest's registers in locals until control leaves the region,
/// the next block would pass <paramref name="stop"/>, or an instruction needs the interpreter. Returns the ROM index to go
/// on from, or its complement (<c>~index</c>, negative) when the interpreter must execute the instruction there first:
/// nothing of that instruction has happened yet, so the interpreter's trap, syscall or slow path is exactly its own.
/// </summary>
internal delegate int RegionCode(uint[] regs, byte[]?[] pages, byte[]?[] writablePages, byte[] codeMap, ref ulong cycle, ulong stop, uint[] log, ref int logged);

/// <summary>
/// Compiles a region of basic blocks, reached from one entry through direct branches and jumps, into IL that RyuJIT turns into
/// native code (<see cref="DynamicMethod"/>). Each block first checks that it fits before <c>stop</c> and counts its cycles
/// once; loads and stores index the paged memory's tables and the page's byte array with the runtime's bounds checks, so no
/// guest value reaches an unchecked pointer. Whatever is rare or has a side effect beyond registers and memory (a page not yet
/// in the fast table, a misaligned address, a full read log, ECALL, EBREAK, an illegal or extension instruction, a jump to a
/// non-code address) leaves the region before that instruction, for the interpreter to execute (docs/PERFORMANCE.md, "JIT").
/// </summary>
internal sealed class RegionCompiler
{
    /// <summary>The most instructions one region holds; a region is entered at one ROM index and grown breadth-first.</summary>
    public const int MaxInstructions = 128;

    /// <summary>A longer basic block (unrolled code) is cut into pieces of this many instructions, each a block of its own, so
    /// that no compiled method is so large that RyuJIT compiles it slowly or without optimisation.</summary>
    public const int MaxBlockInstructions = 64;

    static readonly MethodInfo Mulh = typeof(Alu).GetMethod(nameof(Alu.Mulh))!, Mulhsu = typeof(Alu).GetMethod(nameof(Alu.Mulhsu))!,
        Mulhu = typeof(Alu).GetMethod(nameof(Alu.Mulhu))!, Div = typeof(Alu).GetMethod(nameof(Alu.Div))!,
        Divu = typeof(Alu).GetMethod(nameof(Alu.Divu))!, Rem = typeof(Alu).GetMethod(nameof(Alu.Rem))!, Remu = typeof(Alu).GetMethod(nameof(Alu.Remu))!;

    static readonly Type[] Parameters =
        [typeof(uint[]), typeof(byte[][]), typeof(byte[][]), typeof(byte[]), typeof(ulong).MakeByRefType(), typeof(ulong), typeof(uint[]), typeof(int).MakeByRefType()];

    const int ArgRegs = 0, ArgPages = 1, ArgWritable = 2, ArgCodeMap = 3, ArgCycle = 4, ArgStop = 5, ArgLog = 6, ArgLogged = 7;

    readonly JitProgram shape;
    readonly bool recording;
    ILGenerator il = null!;
    readonly LocalBuilder?[] registers = new LocalBuilder?[32];
    readonly bool[] written = new bool[32];
    LocalBuilder cycle = null!, address = null!, page = null!, logged = null!, result = null!, target = null!, exit = null!;
    Label epilogue, sideExit;
    /// <summary>Per instruction that may leave for the interpreter: its stub's label (emitted after the blocks).</summary>
    readonly List<(Label Label, int Code)> stubs = [];
    readonly Dictionary<int, Label> blockLabels = [];

    RegionCompiler(JitProgram shape, bool recording)
    {
        this.shape = shape;
        this.recording = recording;
    }

    /// <summary>The region entered at ROM index <paramref name="entry"/>, compiled; recording regions also append each loaded value to the read log.</summary>
    public static RegionCode Compile(JitProgram shape, int entry, bool recording) => new RegionCompiler(shape, recording).Build(entry);

    /// <summary>The blocks of the region: breadth-first from the entry over direct successors, within <see cref="MaxInstructions"/>.</summary>
    List<int> Blocks(int entry)
    {
        var blocks = new List<int>();
        var seen = new HashSet<int> { entry };
        var queue = new Queue<int>([entry]);
        int instructions = 0;
        while (queue.Count > 0)
        {
            int start = queue.Dequeue();
            int length = Length(start);
            if (blocks.Count > 0 && instructions + length > MaxInstructions) continue;
            blocks.Add(start);
            instructions += length;
            var successors = length < shape.BlockLength[start] ? [start + length] : shape.Successors(start + length - 1);
            foreach (int next in successors)
                if (seen.Add(next)) queue.Enqueue(next);
        }
        return blocks;
    }

    RegionCode Build(int entry)
    {
        var blocks = Blocks(entry);
        var method = new DynamicMethod($"rv32_region_{shape.PcOf(entry):x8}{(recording ? "_recording" : "")}", typeof(int), Parameters, typeof(RegionCompiler).Module, skipVisibility: true);
        il = method.GetILGenerator(256 + 64 * blocks.Sum(Length));
        cycle = il.DeclareLocal(typeof(ulong));
        address = il.DeclareLocal(typeof(uint));
        target = il.DeclareLocal(typeof(uint));
        page = il.DeclareLocal(typeof(byte[]));
        logged = il.DeclareLocal(typeof(int));
        result = il.DeclareLocal(typeof(int));
        exit = il.DeclareLocal(typeof(int));
        epilogue = il.DefineLabel();
        sideExit = il.DefineLabel();
        foreach (int b in blocks) blockLabels[b] = il.DefineLabel();

        // Every register the region names lives in a local, loaded on entry and (if written) stored on every exit.
        foreach (int b in blocks)
            for (int i = b; i < b + Length(b); i++)
            {
                ref readonly var s = ref shape.Slots[i];
                Use(s.Rs1);
                Use(s.Rs2);
                if (s.Rd != Interpreter.Scratch) { Use(s.Rd); written[s.Rd] = true; }
            }
        for (int r = 1; r < 32; r++)
        {
            if (registers[r] is not { } local) continue;
            il.Emit(OpCodes.Ldarg, ArgRegs);
            il.Emit(OpCodes.Ldc_I4, r);
            il.Emit(OpCodes.Ldelem_U4);
            il.Emit(OpCodes.Stloc, local);
        }
        il.Emit(OpCodes.Ldarg, ArgCycle);
        il.Emit(OpCodes.Ldind_I8);
        il.Emit(OpCodes.Stloc, cycle);
        il.Emit(OpCodes.Ldarg, ArgLogged);
        il.Emit(OpCodes.Ldind_I4);
        il.Emit(OpCodes.Stloc, logged);

        foreach (int b in blocks) EmitBlock(b);

        // Each stub names its instruction and the cycles to uncount in one constant (ip << 8 | cycles), so that a side exit
        // costs the method three IL instructions and one shared tail.
        foreach (var (label, code) in stubs)
        {
            il.MarkLabel(label);
            il.Emit(OpCodes.Ldc_I4, code);
            il.Emit(OpCodes.Stloc, exit);
            il.Emit(OpCodes.Br, sideExit);
        }
        il.MarkLabel(sideExit);
        il.Emit(OpCodes.Ldloc, cycle);
        il.Emit(OpCodes.Ldloc, exit);
        il.Emit(OpCodes.Ldc_I4, 0xff);
        il.Emit(OpCodes.And);
        il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stloc, cycle);
        il.Emit(OpCodes.Ldloc, exit);
        il.Emit(OpCodes.Ldc_I4_8);
        il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Not);
        il.Emit(OpCodes.Stloc, result);

        il.MarkLabel(epilogue);
        for (int r = 1; r < 32; r++)
        {
            if (!written[r]) continue;
            il.Emit(OpCodes.Ldarg, ArgRegs);
            il.Emit(OpCodes.Ldc_I4, r);
            il.Emit(OpCodes.Ldloc, registers[r]!);
            il.Emit(OpCodes.Stelem_I4);
        }
        il.Emit(OpCodes.Ldarg, ArgCycle);
        il.Emit(OpCodes.Ldloc, cycle);
        il.Emit(OpCodes.Stind_I8);
        il.Emit(OpCodes.Ldarg, ArgLogged);
        il.Emit(OpCodes.Ldloc, logged);
        il.Emit(OpCodes.Stind_I4);
        il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<RegionCode>();
    }

    void Use(byte r)
    {
        if (r is > 0 and < 32) registers[r] ??= il.DeclareLocal(typeof(uint));
    }

    /// <summary>The instructions of the block at <paramref name="start"/> in this region: its basic block, or its first piece.</summary>
    int Length(int start) => Math.Min(shape.BlockLength[start], MaxBlockInstructions);

    void EmitBlock(int start)
    {
        int length = Length(start);
        il.MarkLabel(blockLabels[start]);
        // if (stop - cycle < length) the block does not fit: the interpreter takes it. Recording, so does a read log without room
        // for the block's loads (the interpreter grows or spills it).
        var leave = Stub(start, 0);
        il.Emit(OpCodes.Ldarg, ArgStop);
        il.Emit(OpCodes.Ldloc, cycle);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ldc_I8, (long)length);
        il.Emit(OpCodes.Blt_Un, leave);
        int loads = 0;
        for (int i = start; i < start + length; i++)
            if (JitProgram.FamilyOf(shape.Slots[i].Op) == InstructionFamily.Load) loads++;
        if (recording && loads > 0)
        {
            il.Emit(OpCodes.Ldarg, ArgLog);
            il.Emit(OpCodes.Ldlen);
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Ldloc, logged);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Ldc_I4, loads);
            il.Emit(OpCodes.Blt, leave);
        }
        il.Emit(OpCodes.Ldloc, cycle);
        il.Emit(OpCodes.Ldc_I8, (long)length);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stloc, cycle);
        for (int k = 0; k < length; k++)
            EmitInstruction(start + k, length - k);
    }

    /// <summary>Leaves the region returning <paramref name="value"/> (cycles already counted as they should be).</summary>
    void Exit(int value)
    {
        il.Emit(OpCodes.Ldc_I4, value);
        il.Emit(OpCodes.Stloc, result);
        il.Emit(OpCodes.Br, epilogue);
    }

    /// <summary>The stub that leaves for the interpreter before instruction <paramref name="ip"/>, uncounting it and the rest of its block (<paramref name="left"/>).</summary>
    Label Stub(int ip, int left)
    {
        var label = il.DefineLabel();
        stubs.Add((label, ip << 8 | left));
        return label;
    }

    /// <summary>Leaves for the interpreter before instruction <paramref name="ip"/>, uncounting it and the rest of its block (<paramref name="left"/>).</summary>
    void ExitBefore(int ip, int left) => il.Emit(OpCodes.Br, Stub(ip, left));

    /// <summary>Continues at ROM index <paramref name="next"/>: a branch inside the region, or an exit to the dispatcher.</summary>
    void GoTo(int next)
    {
        if (blockLabels.TryGetValue(next, out var label)) il.Emit(OpCodes.Br, label);
        else Exit(next);
    }

    void Read(byte r)
    {
        if (r == 0) il.Emit(OpCodes.Ldc_I4_0);
        else il.Emit(OpCodes.Ldloc, registers[r]!);
    }

    void Write(byte rd)
    {
        if (rd == Interpreter.Scratch) il.Emit(OpCodes.Pop);
        else il.Emit(OpCodes.Stloc, registers[rd]!);
    }

    void EmitInstruction(int ip, int left)
    {
        var s = shape.Slots[ip];
        uint pc = shape.PcOf(ip);
        switch ((Opcode)s.Op)
        {
            case Opcode.Lui:
            case Opcode.Auipc:
                il.Emit(OpCodes.Ldc_I4, s.Imm);
                Write(s.Rd);
                break;
            case Opcode.Jal:
                if (s.Imm < 0) { ExitBefore(ip, left); return; }
                il.Emit(OpCodes.Ldc_I4, (int)(pc + 4));
                Write(s.Rd);
                GoTo(s.Imm);
                return;
            case Opcode.Jalr:
                EmitJalr(ip, s, pc, left);
                return;
            case Opcode.Beq: EmitBranch(ip, s, OpCodes.Beq, left); return;
            case Opcode.Bne: EmitBranch(ip, s, OpCodes.Bne_Un, left); return;
            case Opcode.Blt: EmitBranch(ip, s, OpCodes.Blt, left); return;
            case Opcode.Bge: EmitBranch(ip, s, OpCodes.Bge, left); return;
            case Opcode.Bltu: EmitBranch(ip, s, OpCodes.Blt_Un, left); return;
            case Opcode.Bgeu: EmitBranch(ip, s, OpCodes.Bge_Un, left); return;
            case Opcode.Lb: EmitLoad(ip, s, left, 1, OpCodes.Ldind_I1); break;
            case Opcode.Lbu: EmitLoad(ip, s, left, 1, OpCodes.Ldind_U1); break;
            case Opcode.Lh: EmitLoad(ip, s, left, 2, OpCodes.Ldind_I2); break;
            case Opcode.Lhu: EmitLoad(ip, s, left, 2, OpCodes.Ldind_U2); break;
            case Opcode.Lw: EmitLoad(ip, s, left, 4, OpCodes.Ldind_U4); break;
            case Opcode.Sb: EmitStore(ip, s, left, 1, OpCodes.Stind_I1); break;
            case Opcode.Sh: EmitStore(ip, s, left, 2, OpCodes.Stind_I2); break;
            case Opcode.Sw: EmitStore(ip, s, left, 4, OpCodes.Stind_I4); break;
            case Opcode.Addi: Immediate(s, OpCodes.Add); break;
            case Opcode.Xori: Immediate(s, OpCodes.Xor); break;
            case Opcode.Ori: Immediate(s, OpCodes.Or); break;
            case Opcode.Andi: Immediate(s, OpCodes.And); break;
            case Opcode.Slli: Immediate(s, OpCodes.Shl); break;
            case Opcode.Srli: Immediate(s, OpCodes.Shr_Un); break;
            case Opcode.Srai: Immediate(s, OpCodes.Shr); break;
            case Opcode.Slti: Immediate(s, OpCodes.Clt); break;
            case Opcode.Sltiu: Immediate(s, OpCodes.Clt_Un); break;
            case Opcode.Add: Register(s, OpCodes.Add); break;
            case Opcode.Sub: Register(s, OpCodes.Sub); break;
            case Opcode.Xor: Register(s, OpCodes.Xor); break;
            case Opcode.Or: Register(s, OpCodes.Or); break;
            case Opcode.And: Register(s, OpCodes.And); break;
            case Opcode.Slt: Register(s, OpCodes.Clt); break;
            case Opcode.Sltu: Register(s, OpCodes.Clt_Un); break;
            case Opcode.Mul: Register(s, OpCodes.Mul); break;
            case Opcode.Sll: Shift(s, OpCodes.Shl); break;
            case Opcode.Srl: Shift(s, OpCodes.Shr_Un); break;
            case Opcode.Sra: Shift(s, OpCodes.Shr); break;
            case Opcode.Mulh: Call(s, Mulh); break;
            case Opcode.Mulhsu: Call(s, Mulhsu); break;
            case Opcode.Mulhu: Call(s, Mulhu); break;
            case Opcode.Div: Call(s, Div); break;
            case Opcode.Divu: Call(s, Divu); break;
            case Opcode.Rem: Call(s, Rem); break;
            case Opcode.Remu: Call(s, Remu); break;
            case Opcode.Fence: break;
            default:
                // ECALL, EBREAK, an illegal word, a non-code slot or an extension's instruction: the interpreter's.
                ExitBefore(ip, left);
                return;
        }
        if (left == 1) GoTo(ip + 1); // a block cut short by the region's size, or one that runs into the next leader
    }

    void Immediate(in Interpreter.Slot s, OpCode op)
    {
        Read(s.Rs1);
        il.Emit(OpCodes.Ldc_I4, s.Imm);
        il.Emit(op);
        Write(s.Rd);
    }

    void Register(in Interpreter.Slot s, OpCode op)
    {
        Read(s.Rs1);
        Read(s.Rs2);
        il.Emit(op);
        Write(s.Rd);
    }

    void Shift(in Interpreter.Slot s, OpCode op)
    {
        Read(s.Rs1);
        Read(s.Rs2);
        il.Emit(OpCodes.Ldc_I4, 31);
        il.Emit(OpCodes.And);
        il.Emit(op);
        Write(s.Rd);
    }

    void Call(in Interpreter.Slot s, MethodInfo method)
    {
        Read(s.Rs1);
        Read(s.Rs2);
        il.Emit(OpCodes.Call, method);
        Write(s.Rd);
    }

    void EmitBranch(int ip, in Interpreter.Slot s, OpCode taken, int left)
    {
        var jump = il.DefineLabel();
        Read(s.Rs1);
        Read(s.Rs2);
        il.Emit(taken, jump);
        GoTo(ip + 1);
        il.MarkLabel(jump);
        if (s.Imm < 0) ExitBefore(ip, left); // taken to an address that is not code: the interpreter's trap
        else GoTo(s.Imm);
    }

    void EmitJalr(int ip, in Interpreter.Slot s, uint pc, int left)
    {
        // target = (rs1 + imm) & ~1, as a ROM offset; it must be a word inside the ROM that holds code.
        var bad = Stub(ip, left);
        Read(s.Rs1);
        il.Emit(OpCodes.Ldc_I4, s.Imm);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldc_I4, ~1);
        il.Emit(OpCodes.And);
        il.Emit(OpCodes.Ldc_I4, (int)shape.CodeBase);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stloc, target);
        il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Ldc_I4_3);
        il.Emit(OpCodes.And);
        il.Emit(OpCodes.Brtrue, bad);
        il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Ldc_I4, (int)shape.CodeBytes);
        il.Emit(OpCodes.Bge_Un, bad);
        // The code map: one byte per ROM index, 1 where the ROM holds code.
        il.Emit(OpCodes.Ldarg, ArgCodeMap);
        il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Ldc_I4_2);
        il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Ldelem_U1);
        il.Emit(OpCodes.Brfalse, bad);
        il.Emit(OpCodes.Ldc_I4, (int)(pc + 4));
        Write(s.Rd);
        il.Emit(OpCodes.Ldloc, target);
        il.Emit(OpCodes.Ldc_I4_2);
        il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Stloc, result);
        il.Emit(OpCodes.Br, epilogue);
    }

    /// <summary>address = rs1 + imm; a misaligned address or a page not in the fast table leaves for the interpreter.</summary>
    void EmitAddress(int ip, in Interpreter.Slot s, int left, int size, int tableArg)
    {
        var leave = Stub(ip, left);
        Read(s.Rs1);
        il.Emit(OpCodes.Ldc_I4, s.Imm);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stloc, address);
        if (size > 1)
        {
            il.Emit(OpCodes.Ldloc, address);
            il.Emit(OpCodes.Ldc_I4, size - 1);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Brtrue, leave);
        }
        il.Emit(OpCodes.Ldarg, tableArg);
        il.Emit(OpCodes.Ldloc, address);
        il.Emit(OpCodes.Ldc_I4, PagedMemory.PageBits);
        il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Ldelem_Ref);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, page);
        il.Emit(OpCodes.Brfalse, leave);
        // &page[address & mask], bounds-checked by the runtime.
        il.Emit(OpCodes.Ldloc, page);
        il.Emit(OpCodes.Ldloc, address);
        il.Emit(OpCodes.Ldc_I4, (int)PagedMemory.PageMask);
        il.Emit(OpCodes.And);
        il.Emit(OpCodes.Ldelema, typeof(byte));
    }

    void EmitLoad(int ip, in Interpreter.Slot s, int left, int size, OpCode load)
    {
        EmitAddress(ip, s, left, size, ArgPages);
        il.Emit(load);
        if (recording)
        {
            // log[logged++] = the zero-extended bytes read, as the interpreter logs them.
            il.Emit(OpCodes.Stloc, target);
            il.Emit(OpCodes.Ldarg, ArgLog);
            il.Emit(OpCodes.Ldloc, logged);
            il.Emit(OpCodes.Ldloc, target);
            if (size == 1) { il.Emit(OpCodes.Ldc_I4, 0xff); il.Emit(OpCodes.And); }
            else if (size == 2) { il.Emit(OpCodes.Ldc_I4, 0xffff); il.Emit(OpCodes.And); }
            il.Emit(OpCodes.Stelem_I4);
            il.Emit(OpCodes.Ldloc, logged);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Stloc, logged);
            il.Emit(OpCodes.Ldloc, target);
        }
        Write(s.Rd);
    }

    void EmitStore(int ip, in Interpreter.Slot s, int left, int size, OpCode store)
    {
        EmitAddress(ip, s, left, size, ArgWritable);
        Read(s.Rs2);
        il.Emit(store);
    }
}
