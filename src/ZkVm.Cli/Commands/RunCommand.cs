using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;

namespace ZkVm.Cli.Commands;

/// <summary><c>zkvm run &lt;elf&gt; [--input FILE] [--max-cycles N] [--json] [--record] [--engine interpreter|jit] [--profile FILE]</c>: executes a guest and reports its result.</summary>
static class RunCommand
{
    public static Command Create()
    {
        var elf = new Argument<string>("elf") { Description = "the guest ELF" };
        var input = new Option<string?>("--input") { Description = "file whose bytes are the guest's private input (READ)", HelpName = "file" };
        var maxCycles = new Option<ulong>("--max-cycles") { Description = "stop with a trap after this many instructions", DefaultValueFactory = _ => ExecutionOptions.DefaultMaxCycles };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };
        var record = new Option<bool>("--record") { Description = "run as pass 1 of proving: also record checkpoints and the read log" };
        var engine = EngineOption.Create();
        var profile = ProfileCommand.ProfileOption();
        var extensions = ExtensionOption.Create();
        var command = new Command("run", "Execute a guest: prints its stdout, then exit code, journal, cycles and speed")
        {
            elf, input, maxCycles, json, record, engine, profile, extensions,
        };
        command.SetAction(parsed =>
        {
            var program = HarvardProgram.Load(parsed.GetValue(elf)!, ExtensionOption.Machine(parsed, extensions).Isa);
            var bytes = InputFile.Read(parsed.GetValue(input));
            var options = new ExecutionOptions { MaxCycles = parsed.GetValue(maxCycles), Engine = parsed.GetValue(engine) };
            var watch = Stopwatch.StartNew();
            using var trace = parsed.GetValue(record) ? Interpreter.Record(program, bytes, options) : null;
            var result = trace?.Result ?? Interpreter.Run(program, bytes, options);
            double seconds = watch.Elapsed.TotalSeconds;
            double mhz = result.Cycles / Math.Max(seconds, 1e-9) / 1e6;
            ProfileCommand.WriteIfAsked(parsed.GetValue(profile), program, parsed.GetValue(elf)!, bytes, options.MaxCycles);
            if (parsed.GetValue(json))
                PrintJson(result, seconds, mhz);
            else
                PrintText(result, seconds, mhz);
            if (trace is not null && !parsed.GetValue(json))
                Console.WriteLine($"trace: {trace.Checkpoints.Count} checkpoints every {trace.Interval} cycles, {trace.ReadLog.Count} read-log entries");
            return result.Succeeded ? Cli.Ok : Cli.GuestFailed;
        });
        return command;
    }

    static void PrintText(ExecutionResult result, double seconds, double mhz)
    {
        using (var stdout = Console.OpenStandardOutput())
            stdout.Write(result.Stdout);
        using (var stderr = Console.OpenStandardError())
            stderr.Write(result.Stderr);
        if (result.Trap is { } trap)
            Console.Error.WriteLine($"error {trap.Code}: guest trapped: {trap.Message}");
        else
            Console.WriteLine($"exit code: {result.ExitCode}");
        Console.WriteLine($"journal: {Convert.ToHexStringLower(result.Journal)}");
        Console.WriteLine($"cycles: {result.Cycles}");
        Console.WriteLine($"time: {seconds * 1000:F1} ms");
        Console.WriteLine($"speed: {mhz:F1} MHz");
    }

    static void PrintJson(ExecutionResult result, double seconds, double mhz)
    {
        var trap = result.Trap is { } t
            ? new JsonObject { ["code"] = t.Code, ["cause"] = t.Cause.ToString(), ["pc"] = $"0x{t.Pc:x8}", ["message"] = t.Message }
            : null;
        var root = new JsonObject
        {
            ["exitCode"] = result.ExitCode,
            ["trap"] = trap,
            ["journal"] = Convert.ToHexStringLower(result.Journal),
            ["cycles"] = result.Cycles,
            ["seconds"] = seconds,
            ["mhz"] = Math.Round(mhz, 1),
            ["stdout"] = System.Text.Encoding.UTF8.GetString(result.Stdout),
            ["stderr"] = System.Text.Encoding.UTF8.GetString(result.Stderr),
        };
        Console.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
