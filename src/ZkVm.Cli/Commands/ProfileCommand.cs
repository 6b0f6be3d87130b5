using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Profiling;

namespace ZkVm.Cli.Commands;

/// <summary>
/// <c>zkvm profile &lt;elf&gt; [--input FILE] -o &lt;profile.json&gt; [--top N] [--max-cycles N]</c>: runs the
/// guest, writes cycles per call stack in speedscope's format and prints the functions with the most
/// cycles of their own.
/// </summary>
static class ProfileCommand
{
    public static Command Create()
    {
        var elf = new Argument<string>("elf") { Description = "the guest ELF (with its symbol table)" };
        var input = new Option<string?>("--input") { Description = "file whose bytes are the guest's private input (READ)", HelpName = "file" };
        var output = new Option<string>("-o", "--output") { Description = "the profile to write (speedscope JSON; open it at https://www.speedscope.app)", Required = true, HelpName = "file" };
        var top = new Option<int>("--top") { Description = "how many functions the table shows", DefaultValueFactory = _ => 15 };
        var maxCycles = new Option<ulong>("--max-cycles") { Description = "stop with a trap after this many instructions", DefaultValueFactory = _ => ExecutionOptions.DefaultMaxCycles };
        var extensions = ExtensionOption.Create();
        var command = new Command("profile", "Execute a guest and write its cycles per function and call stack (speedscope JSON)")
        {
            elf, input, output, top, maxCycles, extensions,
        };
        command.SetAction(parsed =>
        {
            int rows = parsed.GetValue(top);
            if (rows < 1)
                throw new ZkVmException(CliErrors.BadOption, $"--top must be at least 1, got {rows}");
            string elfPath = parsed.GetValue(elf)!;
            var program = HarvardProgram.Load(elfPath, ExtensionOption.Machine(parsed, extensions).Isa);
            var bytes = InputFile.Read(parsed.GetValue(input));
            var watch = Stopwatch.StartNew();
            var profile = Write(program, bytes, parsed.GetValue(maxCycles), Path.GetFileName(elfPath), parsed.GetValue(output)!);
            PrintTable(profile, rows, Console.Out);
            Console.WriteLine($"cycles: {profile.Result.Cycles}, in {profile.Stacks.Count} call stacks");
            Console.WriteLine($"profile: {parsed.GetValue(output)} (speedscope; open it at https://www.speedscope.app)");
            Console.WriteLine($"time: {watch.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
            if (profile.Result.Trap is { } trap)
                Console.Error.WriteLine($"error {trap.Code}: guest trapped: {trap.Message}");
            return profile.Result.Succeeded ? Cli.Ok : Cli.GuestFailed;
        });
        return command;
    }

    /// <summary><c>--profile FILE</c> of <c>zkvm run</c> and <c>zkvm prove</c> (the SDK's ZkProfile).</summary>
    public static Option<string?> ProfileOption() =>
        new("--profile") { Description = "also write the run's cycles per call stack here (speedscope JSON, as zkvm profile)", HelpName = "file" };

    public static void WriteIfAsked(string? path, HarvardProgram program, string elfPath, byte[] input, ulong maxCycles)
    {
        if (path is not null)
            Write(program, input, maxCycles, Path.GetFileName(elfPath), path);
    }

    /// <summary>Profiles one run and writes it to <paramref name="path"/>.</summary>
    public static CycleProfile Write(HarvardProgram program, byte[] input, ulong maxCycles, string name, string path)
    {
        var profile = Profiler.Run(program, input, new ExecutionOptions { MaxCycles = maxCycles });
        try
        {
            using var file = File.Create(path);
            SpeedscopeFormat.Write(profile, name, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZkVmException(CliErrors.BadOption, $"the profile cannot be written to '{path}': {e.Message}", e);
        }
        return profile;
    }

    public static void PrintTable(CycleProfile profile, int rows, TextWriter writer)
    {
        double all = Math.Max(profile.Result.Cycles, 1);
        writer.WriteLine($"{"self",12} {"self %",7} {"total",12} {"total %",7}  function");
        foreach (var function in profile.ByFunction().Take(rows))
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{function.Self,12} {function.Self / all,7:P1} {function.Total,12} {function.Total / all,7:P1}  {function.Name}"));
    }
}
