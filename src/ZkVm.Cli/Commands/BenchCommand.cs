using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ZkVm.Cli.Benchmarks;
using ZkVm.Machine;
using ZkVm.Stark.Security;

namespace ZkVm.Cli.Commands;

/// <summary><c>zkvm bench primitives|stark|prover|verifier [--json]</c>: throughput of the primitives, a synthetic STARK, the machine prover and a shared verifier on this machine.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure performance on this machine");
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of 'name: value' lines" };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed runs per measurement (the median is reported)", DefaultValueFactory = _ => 5 };
        var primitives = new Command("primitives", "BabyBear multiplication, coset LDE, Poseidon2 and Merkle commitment throughput");
        primitives.Options.Add(json);
        primitives.Options.Add(repetitions);
        primitives.SetAction(parsed =>
        {
            int reps = parsed.GetValue(repetitions);
            if (reps < 1) throw new ZkVmException(CliErrors.BadOption, $"--repetitions must be at least 1, got {reps}");
            var results = PrimitiveBenchmarks.Run(reps, step => Console.Error.WriteLine($"measuring {step} …"));
            Print(results, parsed.GetValue(json), decimals: 0);
            return Cli.Ok;
        });
        bench.Subcommands.Add(primitives);
        bench.Subcommands.Add(Stark(json));
        bench.Subcommands.Add(Prover(json));
        bench.Subcommands.Add(VerifierBench(json));
        bench.Subcommands.Add(Executor(json));
        return bench;
    }

    private static Command Stark(Option<bool> json)
    {
        var logRows = new Option<int>("--log-rows") { Description = "log2 of the synthetic table's height", DefaultValueFactory = _ => 20 };
        var columns = new Option<int>("--columns") { Description = "Columns of the synthetic table", DefaultValueFactory = _ => 64 };
        var preset = new Option<SecurityPreset>("--preset") { Description = "Security preset", DefaultValueFactory = _ => SecurityPreset.Proven100 };
        var output = new Option<string?>("--output", "-o") { Description = "Also write the proof to this file (for zkvm inspect)" };
        var stark = new Command("stark", "Prove a synthetic table (degree-3 constraints, one bus): phases, peak memory, proof size, verify time");
        stark.Options.Add(json);
        stark.Options.Add(logRows);
        stark.Options.Add(columns);
        stark.Options.Add(preset);
        stark.Options.Add(output);
        stark.SetAction(parsed =>
        {
            int log = parsed.GetValue(logRows), width = parsed.GetValue(columns);
            if (log is < 1 or > 24) throw new ZkVmException(CliErrors.BadOption, $"--log-rows must be 1…24, got {log}");
            if (width is < 3 or > 4096) throw new ZkVmException(CliErrors.BadOption, $"--columns must be 3…4096, got {width}");
            var results = StarkBenchmark.Run(log, width, parsed.GetValue(preset), parsed.GetValue(output), step => Console.Error.WriteLine($"{step} …"));
            Print(results, parsed.GetValue(json), decimals: 3);
            return Cli.Ok;
        });
        return stark;
    }

    private static Command Prover(Option<bool> json)
    {
        var logCycles = new Option<int[]>("--log-cycles") { Description = "log2 of the cycle counts to prove (each workload's input is sized to match)", DefaultValueFactory = _ => [20], AllowMultipleArgumentsPerToken = true };
        var preset = new Option<string>("--preset") { Description = "security preset", DefaultValueFactory = _ => "proven100" };
        preset.AcceptOnlyFromAmong(ProveCommand.Presets);
        var workload = new Option<string[]>("--workload") { Description = "the guests to prove: fibonacci (ALU-bound), sha256 (in software), sort (memory-heavy)", DefaultValueFactory = _ => [.. ProverWorkload.Names], AllowMultipleArgumentsPerToken = true };
        workload.AcceptOnlyFromAmong([.. ProverWorkload.Names]);
        var source = new Option<string?>("--source") { Description = "the guest's main.c, with one workload (default: samples/<workload>/main.c above the current folder)", HelpName = "file" };
        var shardSize = new Option<ulong>("--shard-size") { Description = "cycles per shard (a longer run is proven in shards)", DefaultValueFactory = _ => MachineLayout.DefaultShardCycles };
        var prover = new Command("prover", "Prove samples/fibonacci, sha256 and sort at about 2^20 cycles: cycles, shards, seconds, kHz, peak memory, proof size, verify time, phases");
        prover.Options.Add(json);
        prover.Options.Add(logCycles);
        prover.Options.Add(preset);
        prover.Options.Add(workload);
        prover.Options.Add(source);
        prover.Options.Add(shardSize);
        prover.SetAction(parsed =>
        {
            int[] logs = parsed.GetValue(logCycles) ?? [];
            if (logs.Length == 0 || logs.Any(l => l is < 10 or > 31))
                throw new ZkVmException(CliErrors.BadOption, $"--log-cycles must be one or more of 10…31, got {string.Join(' ', logs)}");
            ulong shard = parsed.GetValue(shardSize);
            if (shard is < MachineLayout.MinShardCycles or > MachineLayout.MaxShardCycles)
                throw new ZkVmException(CliErrors.BadOption, $"--shard-size must be {MachineLayout.MinShardCycles}…{MachineLayout.MaxShardCycles}, got {shard}");
            var chosen = (parsed.GetValue(workload) ?? []).Distinct().Select(ProverWorkload.Named).ToArray();
            if (chosen.Length == 0) throw new ZkVmException(CliErrors.BadOption, "--workload needs at least one of " + string.Join(", ", ProverWorkload.Names));
            string? main = parsed.GetValue(source);
            if (main is not null && chosen.Length != 1) throw new ZkVmException(CliErrors.BadOption, "--source needs exactly one --workload");
            var sources = chosen.Select(w => (w, main ?? w.FindSource()
                ?? throw new ZkVmException(CliErrors.BadOption, $"samples/{w.Name}/main.c not found above the current folder; pass --source"))).ToArray();
            var runs = ProverBenchmark.Run(sources, logs, ProveCommand.ParsePreset(parsed.GetValue(preset)!), shard, step => Console.Error.WriteLine($"{step} …"));
            if (parsed.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(runs.Select(r => r.Values.ToDictionary(x => x.Name, x => (object)Math.Round(x.Value, 3)).Prepend(new("workload", r.Workload)).ToDictionary())));
                return Cli.Ok;
            }
            for (int i = 0; i < runs.Count; i++)
            {
                if (i > 0) Console.WriteLine();
                Console.WriteLine($"workload: {runs[i].Workload}");
                Print(runs[i].Values, json: false, decimals: 3);
            }
            return Cli.Ok;
        });
        return prover;
    }

    /// <summary><c>zkvm bench verifier</c>: one <see cref="Verifier"/> shared by N threads, each verifying a receipt M times: the first call's
    /// time (the verification key built) and the others' median, 90th percentile and worst, wall-clock per call.</summary>
    static Command VerifierBench(Option<bool> json)
    {
        var receipt = new Argument<string>("receipt") { Description = "a receipt (zkvm prove -o) to verify again and again" };
        var elf = new Option<string>("--elf") { Description = "the guest ELF it is for", Required = true, HelpName = "elf" };
        var threads = new Option<int>("--threads") { Description = "threads sharing the verifier", DefaultValueFactory = _ => 8 };
        var count = new Option<int>("--count") { Description = "verifications per thread", DefaultValueFactory = _ => 10 };
        var acceptConjectured = new Option<bool>("--accept-conjectured") { Description = "accept 100 conjectured bits (conjectured100 receipts)" };
        var extensions = ExtensionOption.Create();
        var command = new Command("verifier", "Verify one receipt from many threads through one shared Verifier: the first call and the steady state") { receipt, elf, threads, count, acceptConjectured, extensions };
        command.Options.Add(json);
        command.SetAction(parsed =>
        {
            int n = parsed.GetValue(threads), m = parsed.GetValue(count);
            if (n is < 1 or > 256 || m is < 1 or > 10_000)
                throw new ZkVmException(CliErrors.BadOption, $"--threads must be 1…256 and --count 1…10000, got {n} and {m}");
            var machine = ExtensionOption.Machine(parsed, extensions);
            var expected = ZkProgram.Load(parsed.GetValue(elf)!, machine).ImageId;
            byte[] bytes = Receipt.Load(parsed.GetValue(receipt)!, machine).ToBytes();
            var policy = VerificationPolicy.AnyExitCode(parsed.GetValue(acceptConjectured) ? SecurityRegime.Conjectured : SecurityRegime.Proven);
            var results = VerifierBenchmark.Run(new Verifier(machine, policy), bytes, expected, n, m);
            Print(results, parsed.GetValue(json), decimals: 2);
            return Cli.Ok;
        });
        return command;
    }

    /// <summary><c>zkvm bench executor</c>: a guest on the interpreter and on the JIT, alternately, each run cold (issue 18).</summary>
    static Command Executor(Option<bool> json)
    {
        var elf = new Argument<string>("elf") { Description = "the guest ELF" };
        var input = new Option<string?>("--input") { Description = "file whose bytes are the guest's private input", HelpName = "file" };
        var runs = new Option<int>("--runs") { Description = "runs of each engine, alternating (after one of each not counted)", DefaultValueFactory = _ => 5 };
        var record = new Option<bool>("--record") { Description = "record as pass 1 does (checkpoints and the read log)" };
        var extensions = ExtensionOption.Create();
        var command = new Command("executor", "Run a guest on the interpreter and on the JIT, alternately and cold: medians, MHz, the JIT's compile time") { elf, input, runs, record, extensions };
        command.Options.Add(json);
        command.SetAction(parsed =>
        {
            int n = parsed.GetValue(runs);
            if (n is < 1 or > 1000) throw new ZkVmException(CliErrors.BadOption, $"--runs must be 1…1000, got {n}");
            var machine = ExtensionOption.Machine(parsed, extensions);
            var results = ExecutorBenchmark.Run(parsed.GetValue(elf)!, InputFile.Read(parsed.GetValue(input)), n, parsed.GetValue(record), () => machine.Isa);
            Print(results, parsed.GetValue(json), decimals: 3);
            return Cli.Ok;
        });
        return command;
    }

    private static void Print(IReadOnlyList<(string Name, double Value)> results, bool json, int decimals)
    {
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(results.ToDictionary(r => r.Name, r => Math.Round(r.Value, decimals))));
        else
            foreach (var (name, value) in results)
                Console.WriteLine($"{name}: {value.ToString(value == Math.Floor(value) ? "F0" : "F" + decimals, CultureInfo.InvariantCulture)}");
    }
}
