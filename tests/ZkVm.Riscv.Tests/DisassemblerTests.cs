using System.Text.RegularExpressions;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Toolchain;

namespace ZkVm.Riscv.Tests;

/// <summary>
/// Our disassembly against GNU objdump's, run as <c>riscv64-unknown-elf-objdump -d</c> (default
/// options: pseudo-instructions on). Each instruction line's mnemonic and operands are compared
/// after removing what objdump adds beyond them: the <c>&lt;symbol+offset&gt;</c> after branch
/// targets and the <c># address</c> comments.
/// </summary>
public partial class DisassemblerTests
{
    public static TheoryData<string> Elves => new(
        Guests.Samples.SelectMany(s => new[] { $"sample:{s}:2", $"sample:{s}:0", $"sample:{s}:s" })
            .Concat(Guests.DirectedPrograms.Select(f => "directed:" + f)));

    /// <param name="which">sample:&lt;name&gt;:&lt;-O level&gt; or directed:&lt;file&gt;</param>
    [Theory]
    [MemberData(nameof(Elves))]
    public void Every_instruction_matches_objdump(string which)
    {
        var parts = which.Split(':');
        string elf = parts[0] == "sample" ? Guests.SampleElf(parts[1], parts[2]) : Guests.DirectedElf(parts[1]);
        var program = Guests.Load(elf);
        string objdump = Tool.Find(GuestCompiler.Objdump)
            ?? throw new InvalidOperationException($"{GuestCompiler.Objdump} not found; install {GuestCompiler.Packages}");
        var (exit, output, errors) = Tool.Run(objdump, ["-d", elf]);
        Assert.True(exit == 0, errors);

        int compared = 0;
        foreach (Match line in InstructionLine().Matches(output))
        {
            uint pc = Convert.ToUInt32(line.Groups["pc"].Value, 16);
            uint word = Convert.ToUInt32(line.Groups["word"].Value, 16);
            Assert.Equal(word, program.Words[program.IndexOf(pc)]);
            string ours = Normalize(Disassembler.Format(word, pc, program.SymbolAt));
            Assert.True(Normalize(line.Groups["text"].Value) == ours, $"0x{pc:x}: objdump '{line.Groups["text"].Value}', ours '{ours}'");
            compared++;
        }
        // objdump shows every word of the code segments: data words too, as .word.
        Assert.Equal(program.CodeSegments.Sum(s => (int)(s.End - s.Start) / 4), compared);
    }

    [Fact]
    public void Every_opcode_table_line_decodes_to_itself()
    {
        foreach (var spec in OpcodeTable.All)
        {
            var decoded = Decoder.Decode(spec.Match);
            Assert.Equal(spec.Opcode, decoded.Op);
        }
        Assert.Equal(Opcode.Illegal, Decoder.Decode(0).Op);
        Assert.Equal(Opcode.Illegal, Decoder.Decode(0x0200_1013).Op); // slli with shamt[5] set: RV64 only
    }

    static string Normalize(string text)
    {
        text = Regex.Replace(text, @"\s*#.*$", "");
        text = Regex.Replace(text, @"\s*<[^>]*>", "");
        return Regex.Replace(text.Trim(), @"\s+", " ");
    }

    [GeneratedRegex(@"^\s*(?<pc>[0-9a-f]+):\t(?<word>[0-9a-f]{8})\s+\t(?<text>[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex InstructionLine();
}
