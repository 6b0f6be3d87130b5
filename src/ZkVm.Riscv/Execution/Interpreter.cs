using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Execution;

/// <summary>
/// Pass 1: runs a program at full speed over its pre-decoded ROM. <see cref="Run"/> only executes;
/// <see cref="Record"/> also keeps the <see cref="MinimalTrace"/>. Both share one loop, specialised
/// by the JIT per mode, so recording costs only its own appends.
/// </summary>
public static partial class Interpreter
{
    public static ExecutionResult Run(HarvardProgram program, ReadOnlyMemory<byte> input, ExecutionOptions? options = null) =>
        new Machine(program, input, options ?? ExecutionOptions.Default).Execute<Plain>(ulong.MaxValue);

    public static MinimalTrace Record(HarvardProgram program, ReadOnlyMemory<byte> input, ExecutionOptions? options = null)
    {
        options ??= ExecutionOptions.Default;
        if (options.CheckpointInterval == 0)
            throw new ArgumentOutOfRangeException(nameof(options), "checkpoint interval must be at least 1");
        if (options.MaxCycles > uint.MaxValue)
            throw new ZkVmException(TraceError.RunTooLong, $"a recorded run is limited to {uint.MaxValue} cycles (asked for {options.MaxCycles}); split the execution into shards");
        var machine = new Machine(program, input, options);
        try
        {
            var result = machine.Execute<Recording>(options.CheckpointInterval);
            return new MinimalTrace(result, options.CheckpointInterval, machine.Checkpoints, machine.ReadLog);
        }
        catch
        {
            machine.ReadLog.Dispose();
            throw;
        }
    }

    interface IMode;
    struct Plain : IMode;
    struct Recording : IMode;
    /// <summary>The JIT's interpreting modes: as <see cref="Plain"/> and <see cref="Recording"/>, and a taken branch or jump counts its
    /// target's entries and stops the loop (<see cref="Machine.StopReason.Region"/>) where a compiled region starts.</summary>
    struct JitPlain : IMode;
    struct JitRecording : IMode;

    /// <summary>A ROM entry laid out for the loop: rd 0 is redirected to a scratch register, and
    /// branch/JAL immediates are target indices (−1: target is not code), AUIPC's is pc + imm.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct Slot
    {
        public byte Op, Rd, Rs1, Rs2;
        public int Imm;
    }

    internal const byte NotCode = 255;
    internal const int Scratch = 32;
    /// <summary>The rs2 of an extension instruction whose second operand is its immediate (format I).</summary>
    const byte ImmediateOperand = 255;

    sealed partial class Machine
    {
        readonly HarvardProgram program;
        readonly ExecutionOptions options;
        readonly Slot[] slots;
        readonly uint[] regs = new uint[33];
        readonly PagedMemory memory;
        readonly GuestIo io;
        Jit.JitProgram? jit;
        public readonly List<Checkpoint> Checkpoints = [];
        public readonly ReadLog ReadLog;

        public Machine(HarvardProgram program, ReadOnlyMemory<byte> input, ExecutionOptions options)
        {
            this.program = program;
            this.options = options;
            memory = new PagedMemory(program, options.MemoryLimitBytes);
            io = new GuestIo(input);
            slots = Layout(program);
            ReadLog = new ReadLog(options.ReadLogMemoryEntries);
        }

        static Slot[] Layout(HarvardProgram program)
        {
            var rom = program.Rom;
            var slots = new Slot[rom.Length + 1]; // the extra slot catches running off the end
            for (int i = 0; i < slots.Length; i++)
            {
                uint pc = program.CodeBase + (uint)i * 4;
                if (!program.IsCode(pc))
                {
                    slots[i].Op = NotCode;
                    continue;
                }
                var ins = rom[i];
                slots[i] = new Slot { Op = (byte)ins.Op, Rd = ins.Rd == 0 ? (byte)Scratch : ins.Rd, Rs1 = ins.Rs1, Rs2 = ins.Rs2, Imm = ins.Imm };
                if (ins.Spec.Family == InstructionFamily.Extension && ins.Spec.Format != InstructionFormat.R)
                    slots[i].Rs2 = ImmediateOperand;
                if (ins.Spec.Family == InstructionFamily.Branch || ins.Op == Opcode.Jal)
                {
                    uint target = pc + (uint)ins.Imm;
                    slots[i].Imm = program.IsCode(target) ? program.IndexOf(target) : -1;
                }
                else if (ins.Op == Opcode.Auipc)
                    slots[i].Imm = (int)(pc + (uint)ins.Imm);
            }
            return slots;
        }

        uint PcOf(int ip) => program.CodeBase + (uint)ip * 4;

        public ExecutionResult Execute<TMode>(ulong interval) where TMode : struct, IMode
        {
            bool recording = typeof(TMode) == typeof(Recording);
            regs[2] = GuestMemoryMap.StackTop;
            int ip = program.IndexOf(program.Entry);
            ulong cycle = 0;
            ulong nextCheckpoint = 0;
            Trap? trap = null;
            int? exitCode = null;
            var cancellation = options.Cancellation;
            ulong slice = recording || !cancellation.CanBeCanceled ? ulong.MaxValue : ExecutionOptions.CancellationCycles;
            while (trap is null && exitCode is null)
            {
                if (recording && cycle == nextCheckpoint)
                {
                    var snapshot = regs[..32];
                    snapshot[0] = 0;
                    Checkpoints.Add(new Checkpoint(cycle, PcOf(ip), snapshot, ReadLog.Count));
                    nextCheckpoint += interval;
                }
                if (cycle >= options.MaxCycles)
                {
                    trap = new Trap(TrapCause.CycleLimit, PcOf(ip), $"cycle limit of {options.MaxCycles} reached without HALT");
                    break;
                }
                ulong stop = Math.Min(options.MaxCycles, recording ? nextCheckpoint : slice == ulong.MaxValue ? ulong.MaxValue : cycle + slice);
                // The JIT takes over after the first JitAfterCycles: a shorter run never meets it, and runs as the interpreter runs it.
                bool jitting = options.Engine == ExecutionEngine.Jit && cycle >= options.JitAfterCycles;
                if (jitting) jit ??= Jit.JitProgram.For(program, slots);
                var stopReason = !jitting ? Loop<TMode>(ref ip, ref cycle, options.Engine == ExecutionEngine.Jit ? Math.Min(stop, options.JitAfterCycles) : stop)
                    : recording ? Compiled<JitRecording>(ref ip, ref cycle, stop) : Compiled<JitPlain>(ref ip, ref cycle, stop);
                switch (stopReason)
                {
                    case StopReason.Limit:
                        cancellation.ThrowIfCancellationRequested();
                        break;
                    case StopReason.Ecall:
                        try
                        {
                            if (SyscallHandler.Execute(regs, cycle - 1, PcOf(ip), memory, io, program.InstructionSet))
                                exitCode = (int)regs[10];
                            else
                            {
                                if (recording && regs[17] == Syscalls.Read)
                                    ReadLog.Add(regs[10]);
                                ip++;
                            }
                        }
                        catch (TrapException e)
                        {
                            cycle--;
                            trap = e.Trap;
                        }
                        break;
                    default:
                        cycle--; // the faulting instruction did not retire
                        trap = TrapAt(stopReason, ip);
                        break;
                }
            }
            var final = regs[..32];
            final[0] = 0;
            return new ExecutionResult(exitCode, trap, cycle, PcOf(ip), final, io.Journal.ToArray(), io.Stdout.ToArray(), io.Stderr.ToArray(), memory.BytesInUse);
        }

        enum StopReason { Limit, Ecall, Illegal, Breakpoint, Misaligned, Fault, BadJump, NotCode, Region }

        uint faultAddress;

        Trap TrapAt(StopReason reason, int ip)
        {
            uint pc = PcOf(ip);
            string text = ip < program.Rom.Length ? Disassembler.Format(program.Words[ip], pc, program.InstructionSet) : "";
            return reason switch
            {
                StopReason.Illegal => new Trap(TrapCause.IllegalInstruction, pc, $"0x{program.Words[ip]:x8} is not an RV32IM instruction"),
                StopReason.Breakpoint => new Trap(TrapCause.Breakpoint, pc, "EBREAK"),
                StopReason.Misaligned => new Trap(TrapCause.MisalignedAccess, pc, $"{text.Replace('\t', ' ')} accesses misaligned address 0x{faultAddress:x8}"),
                StopReason.Fault => memory.FaultTrap(faultAddress, pc),
                StopReason.BadJump => new Trap(TrapCause.BadJumpTarget, pc, $"{text.Replace('\t', ' ')} jumps to 0x{faultAddress:x8}, which is not an aligned code address"),
                _ => new Trap(TrapCause.BadJumpTarget, pc, "execution reached an address outside the code segments"),
            };
        }

        StopReason Loop<TMode>(ref int ipRef, ref ulong cycleRef, ulong stop) where TMode : struct, IMode
        {
            bool recording = typeof(TMode) == typeof(Recording) || typeof(TMode) == typeof(JitRecording);
            bool jitting = typeof(TMode) == typeof(JitPlain) || typeof(TMode) == typeof(JitRecording);
            ref Slot rom = ref MemoryMarshal.GetArrayDataReference(slots);
            ref uint r = ref MemoryMarshal.GetArrayDataReference(regs);
            // Both tables have an entry for every page of the 32-bit space: indexing needs no bounds check.
            ref byte[]? pages = ref MemoryMarshal.GetArrayDataReference(memory.Pages);
            ref byte[]? writablePages = ref MemoryMarshal.GetArrayDataReference(memory.WritablePages);
            uint codeBase = program.CodeBase, codeBytes = (uint)program.Rom.Length * 4;
            var isa = program.InstructionSet;
            int ip = ipRef;
            ulong cycle = cycleRef;
            StopReason reason = StopReason.Limit;
            uint a = 0, loaded;
            byte[]? page;
            uint[] log = ReadLog.Buffer;
            int logged = ReadLog.BufferCount;

            while (cycle < stop)
            {
                ref Slot s = ref Unsafe.Add(ref rom, ip);
                cycle++;
                switch ((Opcode)s.Op)
                {
                    case Opcode.Lui:
                    case Opcode.Auipc:
                        Unsafe.Add(ref r, s.Rd) = (uint)s.Imm; ip++; break;
                    case Opcode.Jal:
                        if (s.Imm < 0) { a = codeBase + (uint)ip * 4 + (uint)program.Rom[ip].Imm; reason = StopReason.BadJump; goto stopped; }
                        Unsafe.Add(ref r, s.Rd) = codeBase + (uint)ip * 4 + 4;
                        ip = s.Imm;
                        if (jitting && jit!.Enter(ip, recording, options)) { reason = StopReason.Region; goto stopped; }
                        break;
                    case Opcode.Jalr:
                    {
                        uint target = (Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm) & ~1u;
                        uint offset = target - codeBase;
                        if ((offset & 3) != 0 || offset >= codeBytes || Unsafe.Add(ref rom, (int)(offset >> 2)).Op == NotCode)
                        { a = target; reason = StopReason.BadJump; goto stopped; }
                        Unsafe.Add(ref r, s.Rd) = codeBase + (uint)ip * 4 + 4;
                        ip = (int)(offset >> 2);
                        if (jitting && jit!.Enter(ip, recording, options)) { reason = StopReason.Region; goto stopped; }
                        break;
                    }
                    case Opcode.Beq: if (Unsafe.Add(ref r, s.Rs1) == Unsafe.Add(ref r, s.Rs2)) goto taken; ip++; break;
                    case Opcode.Bne: if (Unsafe.Add(ref r, s.Rs1) != Unsafe.Add(ref r, s.Rs2)) goto taken; ip++; break;
                    case Opcode.Blt: if ((int)Unsafe.Add(ref r, s.Rs1) < (int)Unsafe.Add(ref r, s.Rs2)) goto taken; ip++; break;
                    case Opcode.Bge: if ((int)Unsafe.Add(ref r, s.Rs1) >= (int)Unsafe.Add(ref r, s.Rs2)) goto taken; ip++; break;
                    case Opcode.Bltu: if (Unsafe.Add(ref r, s.Rs1) < Unsafe.Add(ref r, s.Rs2)) goto taken; ip++; break;
                    case Opcode.Bgeu: if (Unsafe.Add(ref r, s.Rs1) >= Unsafe.Add(ref r, s.Rs2)) goto taken; ip++; break;

                    case Opcode.Lb:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((page = Unsafe.Add(ref pages, a >> PagedMemory.PageBits) ?? memory.Fault(a, false)) is null) goto fault;
                        loaded = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask));
                        Unsafe.Add(ref r, s.Rd) = (uint)(sbyte)loaded;
                        goto load_done;
                    case Opcode.Lbu:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((page = Unsafe.Add(ref pages, a >> PagedMemory.PageBits) ?? memory.Fault(a, false)) is null) goto fault;
                        loaded = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask));
                        Unsafe.Add(ref r, s.Rd) = loaded;
                        goto load_done;
                    case Opcode.Lh:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((a & 1) != 0) goto misaligned;
                        if ((page = Unsafe.Add(ref pages, a >> PagedMemory.PageBits) ?? memory.Fault(a, false)) is null) goto fault;
                        loaded = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask)));
                        Unsafe.Add(ref r, s.Rd) = (uint)(short)loaded;
                        goto load_done;
                    case Opcode.Lhu:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((a & 1) != 0) goto misaligned;
                        if ((page = Unsafe.Add(ref pages, a >> PagedMemory.PageBits) ?? memory.Fault(a, false)) is null) goto fault;
                        loaded = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask)));
                        Unsafe.Add(ref r, s.Rd) = loaded;
                        goto load_done;
                    case Opcode.Lw:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((a & 3) != 0) goto misaligned;
                        if ((page = Unsafe.Add(ref pages, a >> PagedMemory.PageBits) ?? memory.Fault(a, false)) is null) goto fault;
                        loaded = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask)));
                        Unsafe.Add(ref r, s.Rd) = loaded;
                        goto load_done;
                    case Opcode.Sb:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((page = Unsafe.Add(ref writablePages, a >> PagedMemory.PageBits) ?? memory.Fault(a, true)) is null) goto fault;
                        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask)) = (byte)Unsafe.Add(ref r, s.Rs2);
                        ip++; break;
                    case Opcode.Sh:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((a & 1) != 0) goto misaligned;
                        if ((page = Unsafe.Add(ref writablePages, a >> PagedMemory.PageBits) ?? memory.Fault(a, true)) is null) goto fault;
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask)), (ushort)Unsafe.Add(ref r, s.Rs2));
                        ip++; break;
                    case Opcode.Sw:
                        a = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm;
                        if ((a & 3) != 0) goto misaligned;
                        if ((page = Unsafe.Add(ref writablePages, a >> PagedMemory.PageBits) ?? memory.Fault(a, true)) is null) goto fault;
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (int)(a & PagedMemory.PageMask)), Unsafe.Add(ref r, s.Rs2));
                        ip++; break;

                    case Opcode.Addi: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) + (uint)s.Imm; ip++; break;
                    case Opcode.Slti: Unsafe.Add(ref r, s.Rd) = (int)Unsafe.Add(ref r, s.Rs1) < s.Imm ? 1u : 0u; ip++; break;
                    case Opcode.Sltiu: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) < (uint)s.Imm ? 1u : 0u; ip++; break;
                    case Opcode.Xori: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) ^ (uint)s.Imm; ip++; break;
                    case Opcode.Ori: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) | (uint)s.Imm; ip++; break;
                    case Opcode.Andi: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) & (uint)s.Imm; ip++; break;
                    case Opcode.Slli: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) << s.Imm; ip++; break;
                    case Opcode.Srli: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) >> s.Imm; ip++; break;
                    case Opcode.Srai: Unsafe.Add(ref r, s.Rd) = (uint)((int)Unsafe.Add(ref r, s.Rs1) >> s.Imm); ip++; break;

                    case Opcode.Add: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) + Unsafe.Add(ref r, s.Rs2); ip++; break;
                    case Opcode.Sub: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) - Unsafe.Add(ref r, s.Rs2); ip++; break;
                    case Opcode.Sll: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) << (int)(Unsafe.Add(ref r, s.Rs2) & 31); ip++; break;
                    case Opcode.Slt: Unsafe.Add(ref r, s.Rd) = (int)Unsafe.Add(ref r, s.Rs1) < (int)Unsafe.Add(ref r, s.Rs2) ? 1u : 0u; ip++; break;
                    case Opcode.Sltu: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) < Unsafe.Add(ref r, s.Rs2) ? 1u : 0u; ip++; break;
                    case Opcode.Xor: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) ^ Unsafe.Add(ref r, s.Rs2); ip++; break;
                    case Opcode.Srl: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) >> (int)(Unsafe.Add(ref r, s.Rs2) & 31); ip++; break;
                    case Opcode.Sra: Unsafe.Add(ref r, s.Rd) = (uint)((int)Unsafe.Add(ref r, s.Rs1) >> (int)(Unsafe.Add(ref r, s.Rs2) & 31)); ip++; break;
                    case Opcode.Or: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) | Unsafe.Add(ref r, s.Rs2); ip++; break;
                    case Opcode.And: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) & Unsafe.Add(ref r, s.Rs2); ip++; break;

                    case Opcode.Mul: Unsafe.Add(ref r, s.Rd) = Unsafe.Add(ref r, s.Rs1) * Unsafe.Add(ref r, s.Rs2); ip++; break;
                    case Opcode.Mulh: Unsafe.Add(ref r, s.Rd) = Alu.Mulh(Unsafe.Add(ref r, s.Rs1), Unsafe.Add(ref r, s.Rs2)); ip++; break;
                    case Opcode.Mulhsu: Unsafe.Add(ref r, s.Rd) = Alu.Mulhsu(Unsafe.Add(ref r, s.Rs1), Unsafe.Add(ref r, s.Rs2)); ip++; break;
                    case Opcode.Mulhu: Unsafe.Add(ref r, s.Rd) = Alu.Mulhu(Unsafe.Add(ref r, s.Rs1), Unsafe.Add(ref r, s.Rs2)); ip++; break;
                    case Opcode.Div: Unsafe.Add(ref r, s.Rd) = Alu.Div(Unsafe.Add(ref r, s.Rs1), Unsafe.Add(ref r, s.Rs2)); ip++; break;
                    case Opcode.Divu: Unsafe.Add(ref r, s.Rd) = Alu.Divu(Unsafe.Add(ref r, s.Rs1), Unsafe.Add(ref r, s.Rs2)); ip++; break;
                    case Opcode.Rem: Unsafe.Add(ref r, s.Rd) = Alu.Rem(Unsafe.Add(ref r, s.Rs1), Unsafe.Add(ref r, s.Rs2)); ip++; break;
                    case Opcode.Remu: Unsafe.Add(ref r, s.Rd) = Alu.Remu(Unsafe.Add(ref r, s.Rs1), Unsafe.Add(ref r, s.Rs2)); ip++; break;

                    case Opcode.Fence: ip++; break;
                    case Opcode.Ecall: reason = StopReason.Ecall; goto stopped;
                    case Opcode.Ebreak: reason = StopReason.Breakpoint; goto stopped;
                    case Opcode.Illegal: reason = StopReason.Illegal; goto stopped;
                    default:
                        if (s.Op == NotCode) { reason = StopReason.NotCode; goto stopped; }
                        // An extension's instruction: the ROM holds only opcodes its InstructionSet decoded.
                        Unsafe.Add(ref r, s.Rd) = isa.Compute((Opcode)s.Op, Unsafe.Add(ref r, s.Rs1),
                            s.Rs2 == ImmediateOperand ? (uint)s.Imm : Unsafe.Add(ref r, s.Rs2));
                        ip++; break;
                }
                continue;
            load_done:
                if (recording)
                {
                    if ((uint)logged >= (uint)log.Length)
                    {
                        ReadLog.BufferCount = logged;
                        log = ReadLog.Grow();
                        logged = ReadLog.BufferCount;
                    }
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(log), logged++) = loaded;
                }
                ip++;
                continue;
            taken:
                if (s.Imm < 0) { a = codeBase + (uint)ip * 4 + (uint)program.Rom[ip].Imm; reason = StopReason.BadJump; goto stopped; }
                ip = s.Imm;
                if (jitting && jit!.Enter(ip, recording, options)) { reason = StopReason.Region; goto stopped; }
                continue;
            misaligned:
                reason = StopReason.Misaligned; goto stopped;
            fault:
                reason = StopReason.Fault; goto stopped;
            }
        stopped:
            if (recording)
                ReadLog.BufferCount = logged;
            faultAddress = a;
            ipRef = ip;
            cycleRef = cycle;
            return reason;
        }
    }
}
