using System.CommandLine;
using ZkVm.Riscv.Execution;

namespace ZkVm.Cli.Commands;

/// <summary><c>--engine interpreter|jit</c>: how pass 1 runs the guest (the results are the same either way).</summary>
static class EngineOption
{
    public static Option<ExecutionEngine> Create() => new("--engine")
    {
        Description = "how the guest's instructions run: interpreter (the reference), or jit (hot code compiled to native code)",
        DefaultValueFactory = _ => ExecutionOptions.Default.Engine,
        HelpName = "interpreter|jit",
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Enum.TryParse<ExecutionEngine>(text, ignoreCase: true, out var engine) && Enum.IsDefined(engine) && !char.IsDigit(text[0])) return engine;
            result.AddError($"--engine is 'interpreter' or 'jit', not '{text}'");
            return default;
        },
    };
}
