using System.CommandLine;
using ZkVm.Machine.Extensions;

namespace ZkVm.Cli.Commands;

/// <summary><c>--extension &lt;dll|accelerators&gt;</c> (repeatable): the machine extensions a guest was built for (docs/AIR_GENERATOR.md, "A machine
/// extension"), or the built-in hash accelerators (docs/GUEST_ABI.md, "Accelerators").</summary>
static class ExtensionOption
{
    public static Option<string[]> Create() => new("--extension")
    {
        Description = "an assembly of machine extensions the guest uses, or 'accelerators' for the built-in hash accelerators (repeatable); without it, plain RV32IM",
        HelpName = "dll|accelerators",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The machine the option names (ZK5211 for an assembly that is not one, ZK2114 for an inconsistent extension).</summary>
    public static ExtensionSet Machine(ParseResult parsed, Option<string[]> option) => MachineExtensions.Load(parsed.GetValue(option) ?? []);
}
