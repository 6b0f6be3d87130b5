using System.Text.RegularExpressions;
using Microsoft.Build.Framework;

namespace ZkVm.Build.Tasks;

/// <summary>
/// The <c>dotnet test</c> of a guest project: verifies every proof against the program's ImageId
/// (<c>zkvm verify</c>), reports each rejection as an error with its code, and ends with
/// <c>N passed, N failed</c>. Fails the build (non-zero exit) when any proof is rejected.
/// </summary>
public sealed partial class ZkVerifyProofs : ZkToolTask
{
    public ITaskItem[] Proofs { get; set; } = [];
    [Required] public string ImageId { get; set; } = "";

    /// <summary>The project's ZkPreset: its proofs are verified at the security that preset promises.</summary>
    public string Preset { get; set; } = "";

    /// <summary>The project's ZkAcceptExitCodes: the exit codes its guest may halt with (';'-separated, or 'any'); empty accepts 0 only.</summary>
    public string AcceptExitCodes { get; set; } = "";

    [Output] public int Passed { get; set; }
    [Output] public int Failed { get; set; }

    /// <summary><c>rejected: CODE reason</c>, the verifier's verdict on a bad proof.</summary>
    [GeneratedRegex(@"rejected:\s*(?<code>ZK[0-9A-Z]+):?\s*(?<message>.*)$")]
    private static partial Regex Rejected();

    public override bool Execute()
    {
        foreach (var proof in Proofs)
        {
            string path = proof.GetMetadata("FullPath");
            string name = Path.GetFileName(path);
            bool reported = false;
            string[] security = string.Equals(Preset, "conjectured100", StringComparison.OrdinalIgnoreCase) ? ["--accept-conjectured"] : [];
            string[] exitCodes = [.. AcceptExitCodes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .SelectMany(code => new[] { "--accept-exit-code", code })];
            string[] args = ["verify", path, "--image-id", ImageId, .. security, .. exitCodes, .. ExtensionArguments];
            int exit = RunTool(args, (line, _) =>
            {
                if (Rejected().Match(line) is { Success: true } r)
                {
                    LogError(r.Groups["code"].Value, $"{name}: proof rejected: {r.Groups["message"].Value}", path);
                    reported = true;
                }
                else if (ToolError().Match(line) is { Success: true } e)
                {
                    LogError(e.Groups["code"].Value, $"{name}: {e.Groups["message"].Value}", path);
                    reported = true;
                }
                else if (line.Trim().Length > 0)
                    Log.LogMessage(MessageImportance.Normal, $"ZkVm: {name}: {line.Trim()}");
            });
            if (exit == 0 && !reported)
            {
                Passed++;
                Log.LogMessage(MessageImportance.High, $"  Passed {name}");
            }
            else
            {
                Failed++;
                if (!reported)
                    LogError(BuildErrors.ProofRejected, $"{name}: proof rejected (zkvm verify exit {exit})", path);
                Log.LogMessage(MessageImportance.High, $"  Failed {name}");
            }
        }
        if (Proofs.Length == 0)
            Log.LogWarning("ZkVm", BuildErrors.NoProofs, null, ProjectFile, 0, 0, 0, 0, "no proofs to verify: add inputs (ZkInput items) and build with ZkProve=true");
        Log.LogMessage(MessageImportance.High, $"{Passed} passed, {Failed} failed");
        return Failed == 0;
    }
}
