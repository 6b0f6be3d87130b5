using System.CommandLine;
using ZkVm.Machine;
using ZkVm.Riscv.Image;

namespace ZkVm.Cli.Commands;

/// <summary><c>zkvm image-id &lt;elf&gt;</c>: prints the program's ImageId (64 hex digits), what its proofs are verified against.</summary>
static class ImageIdCommand
{
    public static Command Create()
    {
        var elf = new Argument<string>("elf") { Description = "the guest ELF" };
        var extensions = ExtensionOption.Create();
        var command = new Command("image-id", "Print the ImageId of a guest ELF (64 hex digits)") { elf, extensions };
        command.SetAction(parsed =>
        {
            var machine = ExtensionOption.Machine(parsed, extensions);
            var program = new MachineProgram(HarvardProgram.Load(parsed.GetValue(elf)!, machine.Isa), machine);
            Console.WriteLine(program.ImageId.ToString());
            return Cli.Ok;
        });
        return command;
    }
}
