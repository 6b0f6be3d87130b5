using System.CommandLine;
using ZkVm.Riscv.Image;

namespace ZkVm.Cli.Commands;

/// <summary><c>zkvm inspect &lt;elf&gt; [--blocks]</c>: what the loader made of an ELF.</summary>
static class InspectCommand
{
    public static Command Create()
    {
        var elf = new Argument<string>("elf") { Description = "the guest ELF" };
        var blocks = new Option<bool>("--blocks") { Description = "list every basic block" };
        var command = new Command("inspect", "Show the Harvard layout of a guest: code, data, symbols, basic blocks") { elf, blocks };
        command.SetAction(parsed =>
        {
            var program = HarvardProgram.Load(parsed.GetValue(elf)!);
            Console.WriteLine($"entry:        0x{program.Entry:x8}");
            foreach (var (start, end) in program.CodeSegments)
                Console.WriteLine($"code (ROM):   0x{start:x8}..0x{end:x8}  {(end - start) / 4} instructions");
            foreach (var data in program.Data)
                Console.WriteLine($"data ({(data.Writable ? "rw" : "r-")}):    0x{data.Address:x8}..0x{data.Address + data.Size:x8}  {data.Bytes.Length} bytes initialised, {data.Size - data.Bytes.Length} zeroed");
            Console.WriteLine($"symbols:      {program.Symbols.Count} ({program.Symbols.Count(s => s.IsFunction)} functions)");
            Console.WriteLine($"basic blocks: {program.Blocks.Count}");
            if (parsed.GetValue(blocks))
                foreach (var block in program.Blocks)
                    Console.WriteLine($"  0x{block.Start:x8}..0x{block.End:x8}  {block.InstructionCount,5}  {program.SymbolAt(block.Start)}");
            return Cli.Ok;
        });
        return command;
    }
}
