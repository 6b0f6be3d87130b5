using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ZkVm.Cli.Benchmarks;

namespace ZkVm.Cli.Commands;

/// <summary><c>zkvm bench primitives [--json]</c>: throughput of the field, NTT, hash and Merkle commitment on this machine.</summary>
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
            if (parsed.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(results.ToDictionary(r => r.Name, r => Math.Round(r.Value))));
            else
                foreach (var (name, value) in results)
                    Console.WriteLine($"{name}: {value.ToString("F0", CultureInfo.InvariantCulture)}");
            return Cli.Ok;
        });
        bench.Subcommands.Add(primitives);
        return bench;
    }
}
