using System.CommandLine;

namespace ZkVm.Cli;

/// <summary>Exit codes of DESIGN.md §8 and the one place a typed error becomes a message.</summary>
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
                Console.Error.WriteLine($"error ZK0001: {error.Message}");
            Console.Error.WriteLine("Run 'zkvm --help' for usage.");
            return Usage;
        }
        try
        {
            // Without this, System.CommandLine would print a stack trace and our catch would never run.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ZkVmException e)
        {
            Console.Error.WriteLine($"error {e.Code}: {e.Detail}");
            return BadInput;
        }
    }
}
