using System.CommandLine;
using ZkVm.Host;
using ZkVm.Machine.Extensions;

namespace ZkVm.Cli.Commands;

/// <summary><c>--extension &lt;dll&gt;</c> (repeatable): the machine extensions a guest was built for (docs/AIR_GENERATOR.md, "A machine extension").</summary>
static class ExtensionOption
{
    public static Option<string[]> Create() => new("--extension")
    {
        Description = "an assembly of machine extensions the guest uses (repeatable); without it, plain RV32IM",
        HelpName = "dll",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The machine the option names (ZK5211 for an assembly that is not one, ZK2114 for an inconsistent extension).</summary>
    public static ExtensionSet Machine(ParseResult parsed, Option<string[]> option) => MachineExtensions.Load(parsed.GetValue(option) ?? []);
}
