using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;

namespace ZkVm.Build.Tasks;

/// <summary>
/// Executes the guest on each input and proves each run (<c>zkvm prove</c>), writing
/// <c>&lt;proofs&gt;/&lt;input&gt;.zkproof</c> and a JSON receipt summary beside it; with <see cref="Prove"/>
/// false it only executes (<c>zkvm run</c>) and writes <c>&lt;input&gt;.run.json</c>. The tool's progress
/// lines are shown as they come. A guest that traps is an error at the input, with its pc and symbol.
/// </summary>
public sealed partial class ZkProve : ZkToolTask
{
    [Required] public string Elf { get; set; } = "";
    [Required] public ITaskItem[] Inputs { get; set; } = [];
    [Required] public string ProofDirectory { get; set; } = "";
    public string? ImageId { get; set; }
    public bool Prove { get; set; } = true;
    public string? Preset { get; set; }
    public string? MaxCycles { get; set; }
    /// <summary>Cycles per shard (ZkShardSize): a longer run is proven in shards, and the tool's progress names each.</summary>
    public string? ShardSize { get; set; }
    /// <summary>The cluster that proves the shards (ZkCluster: 'localhost' or a Redis connection string; docs/DISTRIBUTED.md).</summary>
    public string? Cluster { get; set; }
    /// <summary>How pass 1 runs the guest (ZkEngine: jit, the default, or interpreter), passed as <c>--engine</c>.</summary>
    public string? Engine { get; set; }
    /// <summary>Also write <c>&lt;input&gt;.speedscope.json</c>, the run's cycles per call stack (ZkProfile).</summary>
    public bool Profile { get; set; }

    [Output] public ITaskItem[] Written { get; set; } = [];

    [GeneratedRegex(@"pc (?:0x)?(?<pc>[0-9a-fA-F]{1,8})")]
    private static partial Regex Pc();

    public override bool Execute()
    {
        Directory.CreateDirectory(ProofDirectory);
        var written = new List<ITaskItem>();
        foreach (var input in Inputs)
        {
            if (Prove ? ProveOne(input, written) : RunOne(input, written))
                continue;
            return false;
        }
        Written = [.. written];
        return !Log.HasLoggedErrors;
    }

    string ProofPath(ITaskItem input) => Path.Combine(ProofDirectory, input.GetMetadata("Filename") + ".zkproof");
    string SummaryPath(ITaskItem input) => Path.Combine(ProofDirectory, input.GetMetadata("Filename") + ".json");
    string ProfilePath(ITaskItem input) => Path.Combine(ProofDirectory, input.GetMetadata("Filename") + ".speedscope.json");

    void AddProfile(ITaskItem input, List<string> args)
    {
        if (Profile)
            args.AddRange(["--profile", ProfilePath(input)]);
    }

    void ReportProfile(ITaskItem input, string name, List<ITaskItem> written)
    {
        if (!Profile || !File.Exists(ProfilePath(input)))
            return;
        written.Add(new Microsoft.Build.Utilities.TaskItem(ProfilePath(input)));
        Log.LogMessage(MessageImportance.High, $"ZkVm: {name}: profile -> {ProfilePath(input)} (open it at https://www.speedscope.app)");
    }

    bool ProveOne(ITaskItem input, List<ITaskItem> written)
    {
        string inputPath = input.GetMetadata("FullPath");
        string name = input.GetMetadata("Filename") + input.GetMetadata("Extension");
        string proof = ProofPath(input);
        var args = new List<string> { "prove", Elf, "--input", inputPath, "-o", proof, "--json" };
        if (!string.IsNullOrEmpty(Preset)) args.AddRange(["--preset", Preset!]);
        if (!string.IsNullOrEmpty(MaxCycles)) args.AddRange(["--max-cycles", MaxCycles!]);
        if (!string.IsNullOrEmpty(ShardSize)) args.AddRange(["--shard-size", ShardSize!]);
        if (!string.IsNullOrEmpty(Cluster)) args.AddRange(["--cluster", Cluster!]);
        if (!string.IsNullOrEmpty(Engine)) args.AddRange(["--engine", Engine!]);
        AddProfile(input, args);
        args.AddRange(ExtensionArguments);
        Log.LogMessage(MessageImportance.High, $"ZkVm: proving {name} ...");
        var watch = Stopwatch.StartNew();
        var stdout = new StringBuilder();
        int exit = RunTool(args, (line, error) =>
        {
            if (ToolError().Match(line) is { Success: true } m)
            {
                LogGuestError(m.Groups["code"].Value, m.Groups["message"].Value, inputPath);
                return;
            }
            if (!error)
                stdout.AppendLine(line);        // the receipt's JSON summary
            else if (line.Trim().Length > 0)    // progress: one line per stage
                Log.LogMessage(MessageImportance.High, $"ZkVm: {name}: {line.Trim()}");
        });
        if (exit != 0 || !File.Exists(proof))
        {
            if (!Log.HasLoggedErrors)
                LogError(BuildErrors.ToolFailed, $"zkvm prove failed on {name} (exit {exit})", inputPath);
            TryDelete(proof);
            return false;
        }
        var summary = new JsonObject
        {
            ["input"] = name,
            ["proof"] = Path.GetFileName(proof),
            ["proofFileBytes"] = new FileInfo(proof).Length,
            ["provingSeconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
        };
        if (!string.IsNullOrEmpty(ImageId)) summary["imageId"] = ImageId;
        if (!string.IsNullOrEmpty(Preset)) summary["preset"] = Preset;
        // The receipt's own summary when the tool printed one (a JSON object on stdout).
        if (ParseObject(stdout.ToString()) is { } receipt)
            foreach (var (key, value) in receipt)
                summary[key] = value?.DeepClone();
        File.WriteAllText(SummaryPath(input), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        written.Add(new Microsoft.Build.Utilities.TaskItem(proof));
        written.Add(new Microsoft.Build.Utilities.TaskItem(SummaryPath(input)));
        Log.LogMessage(MessageImportance.High, $"ZkVm: {name} proved in {watch.Elapsed.TotalSeconds:F1} s -> {proof}");
        ReportProfile(input, name, written);
        return true;
    }

    bool RunOne(ITaskItem input, List<ITaskItem> written)
    {
        string inputPath = input.GetMetadata("FullPath");
        string name = input.GetMetadata("Filename") + input.GetMetadata("Extension");
        var args = new List<string> { "run", Elf, "--input", inputPath, "--json" };
        if (!string.IsNullOrEmpty(MaxCycles)) args.AddRange(["--max-cycles", MaxCycles!]);
        if (!string.IsNullOrEmpty(Engine)) args.AddRange(["--engine", Engine!]);
        AddProfile(input, args);
        args.AddRange(ExtensionArguments);
        Log.LogMessage(MessageImportance.High, $"ZkVm: executing {name} (ZkProve=false: no proof)");
        var stdout = new StringBuilder();
        int exit = RunTool(args, (line, error) =>
        {
            if (ToolError().Match(line) is { Success: true } m)
                LogGuestError(m.Groups["code"].Value, m.Groups["message"].Value, inputPath);
            else if (!error)
                stdout.AppendLine(line);
            else if (line.Length > 0)
                Log.LogMessage(MessageImportance.Normal, line);
        });
        var result = ParseObject(stdout.ToString());
        if (result is null)
        {
            if (!Log.HasLoggedErrors)
                LogError(BuildErrors.ToolFailed, $"zkvm run failed on {name} (exit {exit})", inputPath);
            return false;
        }
        if (result["stdout"]?.GetValue<string>() is { Length: > 0 } guestOut)
            foreach (var line in guestOut.TrimEnd('\n').Split('\n'))
                Log.LogMessage(MessageImportance.High, $"ZkVm: {name}: {line}");
        if (result["trap"] is JsonObject trap)
        {
            LogGuestError(trap["code"]?.GetValue<string>() ?? BuildErrors.ToolFailed, "guest trapped: " + trap["message"]?.GetValue<string>(), inputPath);
            return false;
        }
        string path = Path.Combine(ProofDirectory, input.GetMetadata("Filename") + ".run.json");
        result["input"] = name;
        if (!string.IsNullOrEmpty(ImageId)) result["imageId"] = ImageId;
        File.WriteAllText(path, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        written.Add(new Microsoft.Build.Utilities.TaskItem(path));
        ReportProfile(input, name, written);
        Log.LogMessage(MessageImportance.High,
            $"ZkVm: {name}: exit code {result["exitCode"]}, {result["cycles"]} cycles, journal {result["journal"]}");
        if (exit != 0)
        {
            LogError(BuildErrors.GuestExitCode, $"the guest failed on {name}: exit code {result["exitCode"]}", inputPath);
            return false;
        }
        return true;
    }

    /// <summary>A guest error; a trap names its pc, to which the ELF's symbol table adds the function.</summary>
    void LogGuestError(string code, string message, string inputPath)
    {
        if (Pc().Match(message) is { Success: true } pc
            && uint.TryParse(pc.Groups["pc"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint address)
            && Symbols.Lookup(Elf, address) is { } symbol && !message.Contains(symbol.Split('+')[0]))
            message += $" (in {symbol})";
        LogError(code, message, inputPath);
    }

    static JsonObject? ParseObject(string text)
    {
        int start = text.IndexOf('{');
        if (start < 0) return null;
        try
        {
            return JsonNode.Parse(text[start..]) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
