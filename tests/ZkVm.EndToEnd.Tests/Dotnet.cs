using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ZkVm.EndToEnd.Tests;

/// <summary>
/// Runs the dotnet CLI as a user would, in a sandbox: its own NuGet cache (unless <paramref name="ownPackages"/>
/// is false: then the user's) and CLI home, no build servers left behind.
/// </summary>
public sealed class Dotnet(string sandbox, bool ownPackages = true)
{
    public static string RepositoryRoot => Metadata("ZkVm.RepositoryRoot");
    public static string Configuration => Metadata("ZkVm.Configuration");

    public string Packages { get; } = Path.Combine(sandbox, "nuget-packages");
    public string Home { get; } = Path.Combine(sandbox, "cli-home");

    public sealed record Result(int ExitCode, string Output, TimeSpan Time)
    {
        public override string ToString() => $"exit {ExitCode} after {Time.TotalSeconds:F1} s:\n{Output}";
    }

    public Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, TimeSpan.FromMinutes(4), args);

    public Result Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        Start(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", workingDirectory, timeout, args);

    /// <summary>Runs a command line as a user types it (through bash, so `&amp;&amp;` works), with this sandbox's environment.</summary>
    public Result Shell(string workingDirectory, TimeSpan timeout, string commandLine) =>
        Start("bash", workingDirectory, timeout, "-c", commandLine);

    Result Start(string program, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The outer `dotnet test` leaves MSBuild and test-host variables that would steer the inner builds.
        foreach (var name in start.Environment.Keys.ToList())
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || name is "DOTNET_HOST_PATH" or "NUGET_PACKAGES")
                start.Environment.Remove(name);
        if (ownPackages) start.Environment["NUGET_PACKAGES"] = Packages;
        start.Environment["DOTNET_CLI_HOME"] = Home;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"dotnet {string.Join(" ", args)} ran past {timeout}:\n{output}");
        }
        process.WaitForExit();
        lock (output)
            return new Result(process.ExitCode, output.ToString(), watch.Elapsed);
    }

    static string Metadata(string key) =>
        typeof(Dotnet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
