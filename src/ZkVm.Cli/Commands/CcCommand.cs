using System.CommandLine;
using ZkVm.Toolchain;

namespace ZkVm.Cli.Commands;

/// <summary><c>zkvm cc &lt;sources…&gt; -o &lt;elf&gt; [-O2]</c>: compiles a C guest with the RISC-V GCC and our runtime.</summary>
static class CcCommand
{
    public static Command Create()
    {
        var sources = new Argument<string[]>("sources") { Description = "C or assembly sources of the guest", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("-o", "--output") { Description = "the ELF to write", Required = true, HelpName = "elf" };
        var optimization = new Option<string>("-O") { Description = "optimization level: 0, 1, 2, 3, s or z (as gcc's -O)", DefaultValueFactory = _ => "0" };
        optimization.AcceptOnlyFromAmong(GuestCompiler.OptimizationLevels);
        var command = new Command("cc", "Compile a C guest to an RV32IM ELF (riscv64-unknown-elf-gcc, picolibc, guest/c runtime)")
        {
            sources, output, optimization,
        };
        command.SetAction(parsed =>
        {
            string warnings = GuestCompiler.Compile(parsed.GetValue(sources)!, parsed.GetValue(output)!, parsed.GetValue(optimization)!);
            Console.Error.Write(warnings);
            return Cli.Ok;
        });
        return command;
    }
}
