using System.Diagnostics;

namespace ZkVm.Cli.Tests;

/// <summary>Runs the built <c>zkvm</c> tool as a real process, so exit codes and streams are the user's.</summary>
internal static class ZkvmProcess
{
    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zkvm.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"zkvm {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// The CLI's verdict on a receipt, the one judge of "rejected" for these tests: null when <c>zkvm verify</c>
    /// accepts (exit 0, "verified"), the code when it rejects (exit 1, "rejected: CODE reason" on stdout).
    /// Any other exit code (4 included), a stack trace or an uncoded rejection fails the test.
    /// </summary>
    public static string? VerifyVerdict(string what, params string[] args)
    {
        var (code, stdout, stderr) = Run(["verify", .. args]);
        Assert.False(stdout.Contains("   at ", StringComparison.Ordinal) || stderr.Contains("   at ", StringComparison.Ordinal), $"{what}: a stack trace\n{stdout}{stderr}");
        if (code == 0)
        {
            Assert.StartsWith("verified", stdout);
            return null;
        }
        Assert.True(code == 1, $"{what}: exit {code} instead of 1\n{stdout}{stderr}");
        var match = System.Text.RegularExpressions.Regex.Match(stdout, @"^rejected: (?<code>ZK[0-9]{4}) \S");
        Assert.True(match.Success, $"{what}: no 'rejected: CODE reason' line\n{stdout}{stderr}");
        return match.Groups["code"].Value;
    }
}
