using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ZkVm.Build.Tasks;

/// <summary>
/// Base of the ZkVm tasks: runs the <c>zkvm</c> tool (a framework-dependent <c>zkvm.dll</c> run by the
/// dotnet host that runs this build, or an executable) through MSBuild's <see cref="ToolTask"/>, which
/// finds the host, kills the tool when the build is cancelled and hands each line of its output to the
/// task as it comes, so progress shows while a proof is made. A task may run the tool several times.
/// </summary>
public abstract partial class ZkToolTask : ToolTask
{
    Action<string, bool>? onLine;

    /// <summary>The tool: <c>zkvm.dll</c> (run with <see cref="DotnetHost"/>) or an executable.</summary>
    [Required] public string ZkvmPath { get; set; } = "";

    /// <summary>The dotnet host (<c>$(DOTNET_HOST_PATH)</c>); <c>dotnet</c> from PATH when empty.</summary>
    public string? DotnetHost { get; set; }

    /// <summary>The project file, where errors without a place of their own are reported.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>The machine extensions' assemblies (the project's resolved ZkExtension items), passed as <c>--extension</c>.</summary>
    public ITaskItem[] Extensions { get; set; } = [];

    /// <summary>The built-in hash accelerators (the project's ZkAccelerators property), passed as <c>--extension accelerators</c>.</summary>
    public bool Accelerators { get; set; }

    /// <summary><c>--extension PATH</c> for each of <see cref="Extensions"/>, and <c>--extension accelerators</c> with <see cref="Accelerators"/>.</summary>
    protected IEnumerable<string> ExtensionArguments =>
        Extensions.SelectMany(e => new[] { "--extension", e.GetMetadata("FullPath") }).Concat(Accelerators ? ["--extension", "accelerators"] : []);

    /// <summary>A line the tool wrote: <c>error ZKnnnn: message</c> (docs/ERRORS.md).</summary>
    [GeneratedRegex(@"^error (?<code>ZK[0-9A-Z]+): (?<message>.*)$")]
    internal static partial Regex ToolError();

    bool RunsDll => ZkvmPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    protected override string ToolName => RunsDll ? "dotnet" : Path.GetFileName(ZkvmPath);

    protected override string GenerateFullPathToTool() =>
        RunsDll ? (string.IsNullOrEmpty(DotnetHost) ? "dotnet" : DotnetHost!) : ZkvmPath;

    // stdout and stderr reach LogEventsFromTextOutput with these importances, which tell them apart.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

    protected override void LogToolCommand(string message) => Log.LogMessage(MessageImportance.Low, message);

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance) =>
        onLine?.Invoke(singleLine, messageImportance == StandardErrorImportanceToUse && StandardErrorImportanceToUse != StandardOutputImportanceToUse);

    protected override ProcessStartInfo GetProcessStartInfo(string pathToTool, string commandLineCommands, string responseFileSwitch)
    {
        var start = base.GetProcessStartInfo(pathToTool, commandLineCommands, responseFileSwitch);
        // The tool is an ordinary .NET app: no MSBuild state of ours should leak into it.
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>True once the build is cancelled: ToolTask has killed the tool, MSBuild reports it, and
    /// the task starts nothing more and reports no failure of its own.</summary>
    protected bool Canceled => ToolCanceled.WaitOne(0);

    /// <summary>Runs the tool; <paramref name="lines"/> sees every line of stdout (false) and stderr (true).</summary>
    protected int RunTool(IReadOnlyList<string> arguments, Action<string, bool> lines)
    {
        if (Canceled)
            return -1;
        var command = new CommandLineBuilder();
        if (RunsDll)
            command.AppendFileNameIfNotNull(ZkvmPath);
        // Switches as they are; everything else (paths, values) quoted where MSBuild's rules need it.
        foreach (var argument in arguments)
            if (argument.StartsWith('-'))
                command.AppendSwitch(argument);
            else
                command.AppendFileNameIfNotNull(argument);
        string? tool = GenerateFullPathToTool();
        onLine = lines;
        try
        {
            return ExecuteTool(tool, "", command.ToString());
        }
        finally
        {
            onLine = null;
        }
    }

    /// <summary>Logs a tool line <c>error ZKnnnn: …</c> as an MSBuild error at <paramref name="file"/>; false for other lines.</summary>
    protected bool LogToolError(string line, string? file)
    {
        var match = ToolError().Match(line);
        if (!match.Success)
            return false;
        LogError(match.Groups["code"].Value, match.Groups["message"].Value, file);
        return true;
    }

    protected void LogError(string code, string message, string? file, int line = 0, int column = 0)
    {
        if (!Canceled)
            Log.LogError("ZkVm", code, null, file ?? ProjectFile, line, column, 0, 0, "{0}", message);
    }
}
