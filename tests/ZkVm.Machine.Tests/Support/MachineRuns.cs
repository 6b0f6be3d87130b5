using System.Collections.Concurrent;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Support;

/// <summary>Witnesses of real guest runs, built once per ELF and input in a test run.</summary>
static class MachineRuns
{
    static readonly ConcurrentDictionary<string, Lazy<(MachineProgram, MachineWitness)>> Built = new();

    public static (MachineProgram Program, MachineWitness Witness) Run(string elf, byte[]? input = null) =>
        Built.GetOrAdd(elf + "|" + Convert.ToHexString(input ?? []), _ => new(() =>
        {
            var program = new MachineProgram(HarvardProgram.Load(elf));
            var (records, result) = ReExecutor.RunWithRecords(program.Program, input ?? []);
            Assert.Null(result.Trap);
            return (program, MemoryTimeline.Build(program, records, input ?? []));
        })).Value;

    public static (MachineProgram Program, MachineWitness Witness) Directed(string file) => Run(Guests.DirectedElf(file));

    /// <summary>A run of <paramref name="elf"/> on the machine <paramref name="machine"/> (its ROM decoded by the set's instructions), through pass 1 and pass 2.</summary>
    public static (MachineProgram Program, MachineWitness Witness) On(ExtensionSet machine, string elf)
    {
        var program = new MachineProgram(HarvardProgram.Load(elf, machine.Isa), machine);
        return (program, MachineProver.Witness(program, ReadOnlyMemory<byte>.Empty));
    }

    /// <summary>A run of <paramref name="elf"/> through pass 1, split into shards of <paramref name="shardCycles"/>; its trace stays open for the test run.</summary>
    public static (MachineProgram Program, ShardedRun Run, MinimalTrace Trace) InShards(string elf, ulong shardCycles, byte[]? input = null)
    {
        var program = new MachineProgram(HarvardProgram.Load(elf));
        var trace = MachineProver.Record(program, input ?? [], MachineLayout.MaxCycles, shardCycles);
        return (program, new ShardedRun(program, input ?? [], trace, shardCycles), trace);
    }

    /// <summary>The middle shard of <paramref name="elf"/>'s run in three shards: it pages cells in from an earlier shard and
    /// out to a later one, and its edge both takes the run over and hands it on.</summary>
    public static (MachineProgram Program, ShardedRun Run, MachineWitness Witness) MiddleShard(string elf)
    {
        ulong cycles = Interpreter.Run(HarvardProgram.Load(elf), ReadOnlyMemory<byte>.Empty).Cycles;
        var (program, run, _) = InShards(elf, Math.Max(MachineLayout.MinShardCycles, (cycles + 2) / 3));
        return (program, run, run.Witness(1));
    }

    /// <summary>A forger's best for a run in shards: every shard's <paramref name="traces"/> proved at Proven100 under one set of
    /// challenges drawn from all of them and the claim's public terms; the boundary pieces start where <paramref name="firstKey"/> says.</summary>
    public static ShardProof[] ProveShards(MachineProgram program, MachineClaim claim, ulong shardCycles, int count, Func<int, TableTrace[]> traces, Func<int, uint> firstKey)
    {
        var circuit = new MachineCircuit(program);
        var proofs = StarkProver.ProveShards(count, k => traces(k), SecurityPresets.Parameters(SecurityPreset.Proven100), circuit.PublicBus(claim, shardCycles));
        return [.. proofs.Select((p, k) => new ShardProof(firstKey(k), p))];
    }

    public static (MachineProgram Program, MachineWitness Witness) Sample(string sample) =>
        Run(Guests.SampleElf(sample), Guests.SampleInput(sample));

    public static (MachineProgram Program, MachineWitness Witness) X0Writes() => Run(Guests.FromText("x0_writes.S", X0WritesSource, bare: true));

    public static (MachineProgram Program, MachineWitness Witness) LastWrites() => Run(Guests.FromText("last_writes.S", LastWritesSource, bare: true));

    public static (MachineProgram Program, MachineWitness Witness) RecipeRows() =>
        Run(Guests.FromText("recipe_rows.S", RecipeRowsSource, bare: true), new byte[15]);

    /// <summary>Rows for forgeries worked out by hand, each where a forged cell changes nothing another row reads:
    /// divisions into x0 of INT_MIN by divisors that are −1 in all bytes but one, and by −1 unsigned; an AUIPC into x0
    /// with the largest immediate; a store whose address's low limb carries; READs of zeros into words nothing
    /// reads again, at each offset and length the transfer chip's one-hot columns take.</summary>
    const string RecipeRowsSource = """
            .text
            .globl _start
        _start:
            li a1, 0x80000000
            li a2, 0xFFFF00FF
            li a3, 0xFF00FFFF
            li a4, 0x7FFFFFFF
            li a5, -1
            div x0, a1, a2
            div x0, a1, a3
            div x0, a1, a4
            divu x0, a1, a5
            auipc x0, 0x78000
            la s3, stored
            addi s4, s3, 4
            sw a1, -4(s4)
            li a7, 1
            la a0, bufs + 3
            li a1, 1
            ecall
            la a0, bufs + 5
            li a1, 2
            ecall
            la a0, bufs + 8
            li a1, 3
            ecall
            la a0, bufs + 13
            li a1, 3
            ecall
            la a0, bufs + 16
            li a1, 1
            ecall
            la a0, bufs + 21
            li a1, 1
            ecall
            la a0, bufs + 24
            li a1, 4
            ecall
            li a0, 0
            li a7, 0
            ecall
            .data
            .balign 4
        stored: .word 0
        bufs: .space 28
        """;

    /// <summary>An instruction of every kind whose write (a register, or a stored word) is its cell's last access,
    /// with signed, zero and overflowing operands: the rows where a forged result is closed by the boundary's final
    /// value, so that a check on how the result is computed is judged by its row alone.</summary>
    const string LastWritesSource = """
            .data
        words: .word 0x8081FF7F, 0x12345678, 0, 0, 0, 0xFFFF8001
            .text
            .globl _start
        _start:
            li a1, -7
            li a2, 3
            li a5, -1
            li a6, 0x80000000
            la a3, words
            la a4, target
            xor x1, a1, a2
            or x3, a1, a2
            and x4, a1, a2
            xori x5, a1, 0x55
            sll x6, a1, a2
            srl x7, a1, a2
            sra x8, a1, a2
            srai x9, a1, 3
            slli x18, a1, 5
            lui x19, 0x12345
            auipc x20, 0x10
            lb x21, 0(a3)
            lbu x22, 1(a3)
            lhu x23, 2(a3)
            lw x24, 4(a3)
            sb a1, 8(a3)
            sh a1, 12(a3)
            sw a1, 16(a3)
            mul x25, a1, a2
            mulh x26, a1, a2
            mulhsu x27, a1, a2
            mulhu x28, a1, a2
            div x29, a1, a2
            rem x30, a1, a2
            divu x31, a1, a2
            remu x2, a1, a2
            div a2, a1, x0
            div a5, a6, a5
            rem a6, a6, a1
            lh a3, 20(a3)
            jalr a4, 0(a4)
        target:
            xori a1, a1, 1
            li a0, 0
            li a7, 0
            ecall
        """;

    /// <summary>An instruction of every family that writes a register, each with rd = x0: the rows whose rd
    /// access columns only the pins (Gadgets.ZeroWhen) bind.</summary>
    const string X0WritesSource = """
            .text
            .globl _start
        _start:
            li a1, 7
            li a2, 3
            la t0, word
            lui x0, 5
            auipc x0, 1
            addi x0, x0, 5
            add x0, a1, a2
            slt x0, a1, a2
            sltiu x0, a1, 9
            sll x0, a1, a2
            srai x0, a1, 1
            mul x0, a1, a2
            mulhu x0, a1, a2
            div x0, a1, a2
            remu x0, a1, a2
            lw x0, 0(t0)
            lbu x0, 1(t0)
            jal x0, next
        next:
            li a0, 0
            li a7, 0
            ecall
            .data
        word: .word 0x11223344
        """;
}
