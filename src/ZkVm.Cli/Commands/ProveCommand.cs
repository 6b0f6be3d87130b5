using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ZkVm.Machine;
using ZkVm.Stark.Security;

namespace ZkVm.Cli.Commands;

/// <summary>
/// <c>zkvm prove &lt;elf&gt; [--input FILE] -o &lt;receipt&gt; [--preset proven100|conjectured100] [--max-cycles N] [--shard-size N] [--cluster C] [--json] [--profile FILE]</c>:
/// runs the guest, proves the run and writes the receipt; progress goes to stderr, the summary to stdout.
/// </summary>
static class ProveCommand
{
    public static readonly string[] Presets = ["proven100", "conjectured100"];

    public static SecurityPreset ParsePreset(string name) => name == "conjectured100" ? SecurityPreset.Conjectured100 : SecurityPreset.Proven100;

    public static Command Create()
    {
        var elf = new Argument<string>("elf") { Description = "the guest ELF" };
        var input = new Option<string?>("--input") { Description = "file whose bytes are the guest's private input (READ)", HelpName = "file" };
        var output = new Option<string>("-o", "--output") { Description = "the receipt to write", Required = true, HelpName = "receipt" };
        var preset = new Option<string>("--preset") { Description = "security preset", DefaultValueFactory = _ => "proven100" };
        preset.AcceptOnlyFromAmong(Presets);
        var maxCycles = new Option<ulong>("--max-cycles") { Description = $"stop without a proof after this many cycles (at most {ProverOptions.MaxCyclesPerProof})", DefaultValueFactory = _ => ProverOptions.MaxCyclesPerProof };
        var shardSize = new Option<ulong>("--shard-size")
        {
            Description = $"cycles per shard ({MachineLayout.MinShardCycles}…{MachineLayout.MaxShardCycles}); a longer run is proven in shards",
            DefaultValueFactory = _ => MachineLayout.DefaultShardCycles,
        };
        var cluster = new Option<string?>("--cluster")
        {
            Description = "prove the shards on a cluster of 'zkvm worker's: 'localhost' or a Redis connection string (docs/DISTRIBUTED.md)",
            HelpName = "connection",
        };
        var json = new Option<bool>("--json") { Description = "print the receipt's JSON summary (with the seconds taken) instead of text" };
        var engine = EngineOption.Create();
        var profile = ProfileCommand.ProfileOption();
        var extensions = ExtensionOption.Create();
        var command = new Command("prove", "Execute a guest, prove the run and write the receipt (for zkvm verify)")
        {
            elf, input, output, preset, maxCycles, shardSize, cluster, json, engine, profile, extensions,
        };
        command.SetAction(parsed =>
        {
            ulong limit = parsed.GetValue(maxCycles);
            if (limit is 0 or > ProverOptions.MaxCyclesPerProof)
                throw new ZkVmException(CliErrors.BadOption, $"--max-cycles must be 1…{ProverOptions.MaxCyclesPerProof}, got {limit}");
            ulong shard = parsed.GetValue(shardSize);
            if (shard is < MachineLayout.MinShardCycles or > MachineLayout.MaxShardCycles)
                throw new ZkVmException(CliErrors.BadOption, $"--shard-size must be {MachineLayout.MinShardCycles}…{MachineLayout.MaxShardCycles}, got {shard}");
            var program = ZkProgram.Load(parsed.GetValue(elf)!, ExtensionOption.Machine(parsed, extensions));
            var bytes = InputFile.Read(parsed.GetValue(input));
            string? connection = parsed.GetValue(cluster);
            if (connection is not null) Cluster.ClusterConnection.Parse(connection);
            var options = new ProverOptions { Preset = ParsePreset(parsed.GetValue(preset)!), MaxCycles = limit, ShardCycles = shard, Cluster = connection, Engine = parsed.GetValue(engine) };

            var watch = Stopwatch.StartNew();
            Receipt receipt;
            using (var progress = new ProgressReporter(Console.Error, interactive: !Console.IsErrorRedirected))
                receipt = program.Prove(bytes, options, progress);
            double seconds = watch.Elapsed.TotalSeconds;
            ProfileCommand.WriteIfAsked(parsed.GetValue(profile), program.Machine.Program, parsed.GetValue(elf)!, bytes, limit);
            string path = parsed.GetValue(output)!;
            try
            {
                receipt.Save(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ZkVmException(CliErrors.BadOption, $"the receipt cannot be written to '{path}': {e.Message}", e);
            }

            if (parsed.GetValue(json))
            {
                var summary = System.Text.Json.Nodes.JsonNode.Parse(receipt.SummaryJson())!.AsObject();
                summary["receiptBytes"] = new FileInfo(path).Length;
                summary["seconds"] = Math.Round(seconds, 3);
                Console.WriteLine(summary.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Console.WriteLine($"receipt: {path}");
                Console.WriteLine($"image id: {receipt.ImageId}");
                Console.WriteLine($"exit code: {receipt.ExitCode}");
                Console.WriteLine($"cycles: {receipt.Cycles}");
                Console.WriteLine($"journal: {receipt.Journal.Length} bytes");
                Console.WriteLine($"proof: {receipt.ProofBytes} bytes ({ReceiptFormat.PresetName(receipt.Preset)}), receipt {new FileInfo(path).Length} bytes");
                if (receipt.Shards.Count > 1) Console.WriteLine($"shards: {receipt.Shards.Count} of {receipt.ShardCycles} cycles");
                Console.WriteLine($"time: {seconds.ToString("F2", CultureInfo.InvariantCulture)} s");
            }
            return Cli.Ok;
        });
        return command;
    }

}

/// <summary>
/// Proving progress on stderr: on a terminal one bar redrawn in place with the running stage, otherwise
/// one line per stage (for logs and CI).
/// </summary>
sealed class ProgressReporter(TextWriter writer, bool interactive) : IProgress<ProofProgress>, IDisposable
{
    const int Width = 30;
    readonly Stopwatch clock = Stopwatch.StartNew();
    bool drawn;

    public void Report(ProofProgress value)
    {
        string elapsed = clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        string stage = value.Shards > 0 ? $"{value.Stage} shard {value.Shard}/{value.Shards}" : value.Stage;
        if (value.Worker is not null)
        {
            // On a cluster, every shard event is a line of its own: which worker took, finished or lost which shard.
            if (drawn) writer.WriteLine();
            drawn = false;
            string what = value.Event switch
            {
                ShardEvent.Started => "started on",
                ShardEvent.Done => "done by",
                ShardEvent.Rejected => "REFUSED from",
                _ => "LOST with",
            };
            writer.WriteLine($"cluster: {stage} {what} worker {value.Worker}{(value.Reason is null ? "" : $" ({value.Reason})")} ({value.Fraction * 100:F0}%, {elapsed} s)");
            writer.Flush();
            return;
        }
        if (interactive)
        {
            int filled = (int)Math.Round(value.Fraction * Width);
            writer.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {value.Fraction * 100,3:F0}%  {stage,-24} {elapsed} s ");
            drawn = true;
        }
        else
        {
            writer.WriteLine($"proving: {stage} ({value.Fraction * 100:F0}%, {elapsed} s)");
        }
        writer.Flush();
    }

    public void Dispose()
    {
        if (drawn) writer.WriteLine();
    }
}
