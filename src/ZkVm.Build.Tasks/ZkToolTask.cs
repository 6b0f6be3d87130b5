using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ZkVm.Build.Tasks;

/// <summary>
/// Base of the ZkVm tasks: starts the <c>zkvm</c> tool (a framework-dependent <c>zkvm.dll</c> run by the
/// dotnet host that runs this build, or an executable) and hands each line of its output to the task
/// on the task's own thread, as it comes, so progress shows while a proof is made.
/// </summary>
public abstract partial class ZkToolTask : Microsoft.Build.Utilities.Task
{
    /// <summary>The tool: <c>zkvm.dll</c> (run with <see cref="DotnetHost"/>) or an executable.</summary>
    [Required] public string ToolPath { get; set; } = "";

    /// <summary>The dotnet host (<c>$(DOTNET_HOST_PATH)</c>); <c>dotnet</c> from PATH when empty.</summary>
    public string? DotnetHost { get; set; }

    /// <summary>The project file, where errors without a place of their own are reported.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>A line the tool wrote: <c>error ZKnnnn: message</c> (docs/ERRORS.md).</summary>
    [GeneratedRegex(@"^error (?<code>ZK[0-9A-Z]+): (?<message>.*)$")]
    internal static partial Regex ToolError();

    /// <summary>Runs the tool; <paramref name="onLine"/> sees every line of stdout (false) and stderr (true).</summary>
    protected int RunTool(IReadOnlyList<string> arguments, Action<string, bool> onLine)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        if (ToolPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = string.IsNullOrEmpty(DotnetHost) ? "dotnet" : DotnetHost;
            start.ArgumentList.Add(ToolPath);
        }
        else
            start.FileName = ToolPath;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // The tool is an ordinary .NET app: no MSBuild state of ours should leak into it.
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        Log.LogMessage(MessageImportance.Low, $"{start.FileName} {string.Join(" ", start.ArgumentList.Select(Quote))}");

        using var lines = new BlockingCollection<(string Line, bool Error)>();
        using var process = new Process { StartInfo = start };
        int open = 2;
        void Add(string? line, bool error)
        {
            if (line is not null)
                lines.Add((line, error));
            else if (Interlocked.Decrement(ref open) == 0)
                lines.CompleteAdding();
        }
        process.OutputDataReceived += (_, e) => Add(e.Data, false);
        process.ErrorDataReceived += (_, e) => Add(e.Data, true);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"cannot start the zkvm tool '{start.FileName}': {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        foreach (var (line, error) in lines.GetConsumingEnumerable())
            onLine(line, error);
        process.WaitForExit();
        return process.ExitCode;
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

    protected void LogError(string code, string message, string? file, int line = 0, int column = 0) =>
        Log.LogError("ZkVm", code, null, file ?? ProjectFile, line, column, 0, 0, "{0}", message);

    static string Quote(string s) => s.Contains(' ') ? $"\"{s}\"" : s;
}
