using System.CommandLine;

namespace ZkVm.Cli;

/// <summary>Exit codes (docs/ERRORS.md) and the one place a typed error becomes a message.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Rejected = 1;
    public const int Usage = 2;
    public const int GuestFailed = 3;
    public const int BadInput = 4;

    public static int Run(RootCommand root, string[] args)
    {
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"error {CliErrors.Usage}: {error.Message}");
            Console.Error.WriteLine("Run 'zkvm --help' for usage.");
            return Usage;
        }
        try
        {
            // Our own handler below turns typed errors into a message and an exit code, never a stack trace.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ZkVmException e)
        {
            Console.Error.WriteLine($"error {e.Code}: {e.Detail}");
            return ExitCodeFor(e.Code);
        }
    }

    /// <summary>
    /// ZK00xx are usage errors; ZK31xx, ZK34xx and ZK51xx proof rejections; ZK5001 a guest that did not
    /// halt; the rest bad input (docs/ERRORS.md). <c>zkvm verify</c> catches the codes of malformed receipt
    /// bytes (ZK52xx, ZK30xx, ZK1001) itself and reports them as rejections; what reaches here is unreadable.
    /// </summary>
    public static int ExitCodeFor(string code) =>
        code.StartsWith("ZK00", StringComparison.Ordinal) ? Usage
        : code.StartsWith("ZK31", StringComparison.Ordinal) || code.StartsWith("ZK34", StringComparison.Ordinal) || code.StartsWith("ZK51", StringComparison.Ordinal) ? Rejected
        : code == "ZK5001" ? GuestFailed
        : BadInput;
}
