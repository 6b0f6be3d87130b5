using System.CommandLine;
using ZkVm.Machine;
using ZkVm.Stark.Security;

namespace ZkVm.Cli.Commands;

/// <summary>
/// <c>zkvm verify &lt;receipt&gt; (--elf &lt;elf&gt; | --image-id &lt;hex&gt;) [--accept-exit-code &lt;n|any&gt;]… [--extension &lt;dll&gt;]…</c>: exit 0 and
/// "verified" when the receipt proves a run of that program that halted with an accepted exit code (0 unless told otherwise,
/// as <see cref="VerificationPolicy"/>); exit 1 and "rejected: CODE reason" when it does not, for any content of the
/// file (malformed bytes included); exit 4 only when the file cannot be read.
/// </summary>
static class VerifyCommand
{
    public static Command Create()
    {
        var receiptPath = new Argument<string>("receipt") { Description = "the receipt (zkvm prove -o)" };
        var elf = new Option<string?>("--elf") { Description = "the guest ELF the receipt must be for", HelpName = "elf" };
        var imageId = new Option<string?>("--image-id") { Description = "the ImageId (64 hex digits) the receipt must be for", HelpName = "hex" };
        var acceptConjectured = new Option<bool>("--accept-conjectured")
        {
            Description = "accept 100 bits under the ethSTARK conjecture (conjectured100 receipts); the default requires 100 proven bits",
        };
        var exitCodes = new Option<string[]>("--accept-exit-code")
        {
            Description = "an exit code the guest may have halted with (repeatable), or 'any'; the default accepts 0 only",
            HelpName = "n|any",
            AllowMultipleArgumentsPerToken = false,
        };
        var extensions = ExtensionOption.Create();
        var command = new Command("verify", "Verify a receipt against a program (its ELF or its ImageId)") { receiptPath, elf, imageId, acceptConjectured, exitCodes, extensions };
        command.SetAction(parsed =>
        {
            string? elfPath = parsed.GetValue(elf), hex = parsed.GetValue(imageId);
            if ((elfPath is null) == (hex is null))
                throw new ZkVmException(CliErrors.Usage, "give exactly one of --elf and --image-id");
            var policy = new VerificationPolicy
            {
                Minimum = parsed.GetValue(acceptConjectured) ? SecurityRegime.Conjectured : SecurityRegime.Proven,
                ExitCodes = ExitCodes(parsed.GetValue(exitCodes) ?? []),
            };
            var machine = ExtensionOption.Machine(parsed, extensions);
            ImageId? expected = null;
            if (hex is not null)
            {
                try
                {
                    expected = ImageId.Parse(hex);
                }
                catch (ZkVmException e) when (e.Code == MachineErrors.BadImageId)
                {
                    throw new ZkVmException(CliErrors.BadOption, $"--image-id: {e.Detail}");
                }
            }
            // The ELF is the verifier's own input: a bad one is exit 4, whatever the receipt holds.
            expected ??= ZkProgram.Load(elfPath!, machine).ImageId;
            Receipt receipt;
            try
            {
                // Only a receipt file that cannot be read escapes as exit 4 (ZK5208); bad bytes are a rejection.
                receipt = Receipt.VerifyFile(parsed.GetValue(receiptPath)!, expected.Value, policy, machine);
            }
            catch (VerificationException e)
            {
                Console.WriteLine($"rejected: {e.Code} {e.Detail}");
                return Cli.Rejected;
            }
            Console.WriteLine("verified");
            Console.WriteLine($"image id: {receipt.ImageId}");
            Console.WriteLine($"exit code: {receipt.ExitCode}");
            Console.WriteLine($"cycles: {receipt.Cycles}");
            Console.WriteLine($"journal: {Convert.ToHexStringLower(receipt.Journal.Span)}");
            return Cli.Ok;
        });
        return command;
    }

    /// <summary>The exit codes <c>--accept-exit-code</c> names: none given is 0 only, 'any' is every code (null).</summary>
    static uint[]? ExitCodes(string[] given)
    {
        if (given.Length == 0) return [0];
        if (given.Contains("any", StringComparer.OrdinalIgnoreCase)) return null;
        return [.. given.Select(g => uint.TryParse(g, out uint code) ? code
            : int.TryParse(g, out int negative) ? unchecked((uint)negative)
            : throw new ZkVmException(CliErrors.BadOption, $"--accept-exit-code: '{g}' is not an exit code (a number, or 'any')"))];
    }
}
