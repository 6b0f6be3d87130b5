using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;

namespace ZkVm.Build.Tasks;

/// <summary>
/// Cross-compiles the guest's C/C++/assembly sources with the guest/c runtime into an RV32IM ELF
/// (<c>zkvm cc</c>). GCC's diagnostics become MSBuild errors and warnings at their file, line and column.
/// </summary>
public sealed partial class ZkCompileGuest : ZkToolTask
{
    public const string CompileFailed = "ZK2202";
    public const string CompilerWarning = BuildErrors.CompilerWarning;

    [Required] public ITaskItem[] Sources { get; set; } = [];
    [Required] public string OutputElf { get; set; } = "";
    public string Optimization { get; set; } = "2";

    /// <summary><c>file:line:col: error: message</c> (the column and "fatal" are optional), as GCC and GAS write them.</summary>
    [GeneratedRegex(@"^(?<file>(?:[A-Za-z]:)?[^:]+):(?<line>\d+):(?:(?<col>\d+):)? (?<kind>fatal error|error|warning|note): (?<message>.*)$")]
    internal static partial Regex GccDiagnostic();

    public override bool Execute()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputElf))!);
        var args = new List<string> { "cc" };
        args.AddRange(Sources.Select(s => s.GetMetadata("FullPath")));
        args.AddRange(["-o", OutputElf, "-O" + Optimization]);
        Log.LogMessage(MessageImportance.Normal, $"ZkVm: compiling {Sources.Length} guest source(s) to {OutputElf}");

        int located = 0;
        var unlocated = new StringBuilder();
        string? pendingCode = null;
        int exit = RunTool(args, (line, _) =>
        {
            var match = ToolError().Match(line);
            if (match.Success)
            {
                // ZK2202's detail is GCC's own output, on the lines that follow: each is reported on its own.
                pendingCode = match.Groups["code"].Value;
                unlocated.AppendLine(match.Groups["message"].Value);
                return;
            }
            if (Diagnostic(line))
                located += line.Contains(": error: ") || line.Contains(": fatal error: ") ? 1 : 0;
            else if (line.Length > 0)
                unlocated.AppendLine(line);
        });
        if (exit == 0)
            return !Log.HasLoggedErrors;
        // A located error says it all; otherwise (a link error, a missing toolchain) the whole message is the error.
        if (located == 0 || pendingCode != CompileFailed)
            LogError(pendingCode ?? CompileFailed, unlocated.ToString().TrimEnd(), ProjectFile);
        return false;
    }

    bool Diagnostic(string line)
    {
        var match = GccDiagnostic().Match(line);
        if (!match.Success)
            return false;
        string file = match.Groups["file"].Value;
        int lineNumber = int.Parse(match.Groups["line"].Value);
        int column = match.Groups["col"].Success ? int.Parse(match.Groups["col"].Value) : 0;
        string message = match.Groups["message"].Value;
        switch (match.Groups["kind"].Value)
        {
            case "warning":
                Log.LogWarning("gcc", CompilerWarning, null, file, lineNumber, column, 0, 0, "{0}", message);
                break;
            case "note":
                Log.LogMessage("gcc", null, null, file, lineNumber, column, 0, 0, MessageImportance.High, "note: {0}", message);
                break;
            default:
                Log.LogError("gcc", CompileFailed, null, file, lineNumber, column, 0, 0, "{0}", message);
                break;
        }
        return true;
    }
}
