using System.CommandLine;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;

namespace ZkVm.Cli.Commands;

/// <summary><c>zkvm disasm &lt;elf&gt;</c>: the ROM in objdump's layout and mnemonics.</summary>
static class DisasmCommand
{
    public static Command Create()
    {
        var elf = new Argument<string>("elf") { Description = "the guest ELF" };
        var extensions = ExtensionOption.Create();
        var command = new Command("disasm", "Disassemble the code segments (GNU objdump -d mnemonics)") { elf, extensions };
        command.SetAction(parsed =>
        {
            var program = HarvardProgram.Load(parsed.GetValue(elf)!, ExtensionOption.Machine(parsed, extensions).Isa);
            var output = Console.Out;
            foreach (var (start, end) in program.CodeSegments)
                for (uint pc = start; pc < end; pc += 4)
                {
                    if (program.SymbolAt(pc) is { } symbol)
                        output.WriteLine($"\n{pc:x8} <{symbol}>:");
                    uint word = program.Words[program.IndexOf(pc)];
                    output.WriteLine($"{pc,8:x}:\t{word:x8}          \t{Disassembler.Format(word, pc, program.InstructionSet, program.SymbolAt)}");
                }
            return Cli.Ok;
        });
        return command;
    }
}
