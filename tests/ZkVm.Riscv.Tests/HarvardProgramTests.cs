using ZkVm.Riscv.Elf;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Toolchain;

namespace ZkVm.Riscv.Tests;

/// <summary>ROM, data image and basic blocks of the samples.</summary>
public class HarvardProgramTests
{
    public static TheoryData<string> Samples => new(Guests.Samples);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Basic_blocks_cover_the_code_and_start_at_every_leader(string sample)
    {
        var program = Guests.Load(Guests.SampleElf(sample));
        var starts = program.Blocks.Select(b => b.Start).ToHashSet();

        // Contiguous, non-empty, covering every executable segment.
        Assert.Equal(program.CodeSegments.Sum(s => (int)(s.End - s.Start) / 4), program.Blocks.Sum(b => b.InstructionCount));
        Assert.All(program.Blocks, b => Assert.True(b.InstructionCount > 0));

        Assert.Contains(program.Entry, starts);
        foreach (var symbol in program.Symbols.Where(s => s.IsFunction && program.IsCode(s.Value)))
            Assert.Contains(symbol.Value, starts);
        foreach (var block in program.Blocks)
            for (uint pc = block.Start; pc < block.End; pc += 4)
            {
                var instruction = program.Rom[program.IndexOf(pc)];
                bool transfers = instruction.Spec.Family is InstructionFamily.Branch or InstructionFamily.Jump;
                // Only the last instruction of a block may transfer control.
                Assert.True(!transfers || pc + 4 == block.End, $"{sample}: 0x{pc:x} transfers control inside block 0x{block.Start:x}");
                if (transfers && program.IsCode(pc + 4))
                    Assert.Contains(pc + 4, starts);
                if (transfers && instruction.Op != Opcode.Jalr && program.IsCode(pc + (uint)instruction.Imm))
                    Assert.Contains(pc + (uint)instruction.Imm, starts);
            }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Rom_and_data_image_are_disjoint_and_complete(string sample)
    {
        var program = Guests.Load(Guests.SampleElf(sample));
        Assert.NotEmpty(program.Data);
        foreach (var data in program.Data)
            for (uint a = data.Address; a < data.Address + data.Size; a += 4)
                Assert.False(program.IsCode(a & ~3u));
        Assert.Contains(program.Data, d => d.Writable);
        Assert.Contains(program.Symbols, s => s.Name == "main" && s.IsFunction);
        Assert.Contains(program.Rom, i => i.Op == Opcode.Ecall);
    }

    [Fact]
    public void Symbols_are_optional_stripped_or_without_section_headers()
    {
        string elf = Guests.SampleElf("fibonacci");
        var input = Guests.SampleInput("fibonacci");
        var expected = Interpreter.Run(Guests.Load(elf), input);

        string strip = Tool.Find("riscv64-unknown-elf-strip") ?? throw new InvalidOperationException($"riscv64-unknown-elf-strip not found; install {GuestCompiler.Packages}");
        string stripped = Path.Combine(Guests.WorkDir, "fibonacci-stripped.elf");
        Assert.Equal(0, Tool.Run(strip, ["-o", stripped, elf]).ExitCode);
        var bytes = File.ReadAllBytes(elf);
        Array.Clear(bytes, 32, 4); // e_shoff
        Array.Clear(bytes, 48, 4); // e_shnum, e_shstrndx

        foreach (var program in new[] { HarvardProgram.Load(stripped), HarvardProgram.FromElf(ElfFile.Parse(bytes)) })
        {
            Assert.Empty(program.Symbols);
            var result = Interpreter.Run(program, input);
            Assert.Equal(expected.Journal, result.Journal);
            Assert.Equal(expected.Cycles, result.Cycles);
        }
    }
}
