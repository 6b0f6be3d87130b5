using System.Buffers.Binary;
using ZkVm.Riscv.Elf;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Tests;

/// <summary>
/// Random RV32IM programs (every opcode of the table, random registers and immediates, memory
/// accesses biased towards a data buffer, short branches) run by the fast interpreter, by the
/// record stepper over real memory, and by pass 1 + memoryless re-execution: all three must agree
/// on every register, the trap or exit, the cycle count and every record. The program commits its buffer before it halts,
/// so the journal shows memory as well (JitTests runs the same programs on the JIT).
/// </summary>
public class DifferentialFuzzTests
{
    const int BodyInstructions = 256;
    const uint BaseRegister = 8; // s0 points at a writable buffer in the template

    static readonly Lazy<byte[]> Template = new(() => File.ReadAllBytes(Guests.FromText("fuzz_template.S", $"""
        .text
        .globl _start
        _start:
            la s0, buffer + 512
            li a0, 0x12345678
            li a1, -1
            li a2, 0x80000000
            li a3, 7
        body:
            .fill {BodyInstructions}, 4, 0x00000013
            # The buffer's final bytes go to the journal, so that every comparison of journals compares memory too.
            la a0, buffer
            li a1, 1024
            li a7, 3
            ecall
            li a0, 0
            li a7, 0
            ecall
        .data
        .align 4
        buffer: .space 1024
        """, bare: true)));

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 100));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Three_executions_of_a_random_program_agree(int seed)
    {
        var program = RandomProgram(new Random(seed));
        var options = new ExecutionOptions { MaxCycles = 5_000 };

        var fast = Interpreter.Run(program, "fuzz input"u8.ToArray(), options);
        var (reference, slow) = ReExecutor.RunWithRecords(program, "fuzz input"u8.ToArray(), options);
        Assert.Equal(slow.Trap?.Cause, fast.Trap?.Cause);
        Assert.Equal(slow.Trap?.Pc, fast.Trap?.Pc);
        Assert.Equal(slow.ExitCode, fast.ExitCode);
        Assert.Equal(slow.Cycles, fast.Cycles);
        Assert.Equal(slow.Registers, fast.Registers);
        Assert.Equal(slow.Journal, fast.Journal);

        using var trace = Interpreter.Record(program, "fuzz input"u8.ToArray(), options with { CheckpointInterval = 7 });
        Assert.Equal(fast.Registers, trace.Result.Registers);
        int next = 0;
        for (int i = 0; i < trace.Checkpoints.Count; i++)
        {
            var (start, log, cycles) = trace.Chunk(i);
            foreach (var record in ReExecutor.ReExecute(program, start, log, cycles))
                Assert.Equal(reference[next++], record);
        }
        Assert.Equal(reference.Count, next);
    }

    internal static HarvardProgram RandomProgram(Random random)
    {
        var bytes = Template.Value.ToArray();
        var elf = ElfFile.Parse(bytes);
        uint body = elf.Symbols.Single(s => s.Name == "body").Value;
        int offset = FileOffset(bytes, body);
        for (int i = 0; i < BodyInstructions; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset + 4 * i), RandomInstruction(random));
        return HarvardProgram.FromElf(ElfFile.Parse(bytes));
    }

    static uint RandomInstruction(Random random)
    {
        var spec = OpcodeTable.All[random.Next(OpcodeTable.All.Count)];
        uint word = spec.Match | ((uint)random.NextInt64() & ~spec.Mask);
        uint rd = (word >> 7) & 31;
        if (rd == BaseRegister && spec.Format is not (InstructionFormat.S or InstructionFormat.B))
            word ^= 1u << 7; // keep the buffer pointer most of the time
        switch (spec.Family)
        {
            case InstructionFamily.Load when random.Next(8) != 0:
                word = (word & 0x000F_FFFF & ~(31u << 15)) | BaseRegister << 15 | EncodeI(random.Next(-512, 512));
                break;
            case InstructionFamily.Store when random.Next(8) != 0:
                word = (word & 0x01FF_F07F & ~(31u << 15)) | BaseRegister << 15 | EncodeS(random.Next(-512, 512));
                break;
            case InstructionFamily.Branch when random.Next(8) != 0:
                word = (word & 0x01FF_F07F) | EncodeB(4 * random.Next(-8, 9));
                break;
            case InstructionFamily.Jump when spec.Opcode == Opcode.Jal && random.Next(8) != 0:
                word = (word & 0xFFF) | EncodeJ(4 * random.Next(-8, 9));
                break;
        }
        return word;
    }

    static uint EncodeI(int imm) => (uint)imm << 20;

    static uint EncodeS(int imm) => ((uint)(imm >> 5) & 0x7F) << 25 | ((uint)imm & 31) << 7;

    static uint EncodeB(int imm) =>
        ((uint)(imm >> 12) & 1) << 31 | ((uint)(imm >> 5) & 0x3F) << 25 | ((uint)(imm >> 1) & 0xF) << 8 | ((uint)(imm >> 11) & 1) << 7;

    static uint EncodeJ(int imm) =>
        ((uint)(imm >> 20) & 1) << 31 | ((uint)(imm >> 1) & 0x3FF) << 21 | ((uint)(imm >> 11) & 1) << 20 | ((uint)(imm >> 12) & 0xFF) << 12;

    /// <summary>The file offset of a virtual address, from the PT_LOAD headers.</summary>
    static int FileOffset(byte[] file, uint address)
    {
        uint phoff = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(28));
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(44));
        for (int i = 0; i < phnum; i++)
        {
            var ph = file.AsSpan((int)phoff + 32 * i);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(ph), offset = BinaryPrimitives.ReadUInt32LittleEndian(ph[4..]);
            uint vaddr = BinaryPrimitives.ReadUInt32LittleEndian(ph[8..]), filesz = BinaryPrimitives.ReadUInt32LittleEndian(ph[16..]);
            if (type == 1 && address >= vaddr && address < vaddr + filesz)
                return (int)(offset + address - vaddr);
        }
        throw new InvalidOperationException($"0x{address:x} is not in the file");
    }
}
