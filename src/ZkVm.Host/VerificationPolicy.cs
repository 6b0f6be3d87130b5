using ZkVm.Stark.Security;

namespace ZkVm;

/// <summary>
/// What a verifier accepts beyond a proof that verifies: the security regime its bits must hold in, the exit codes the
/// guest may have halted with (only 0 by default: a guest that returns 3, or fails an <c>assert()</c> and exits 134,
/// reported a failure), and optionally the exact journal.
/// </summary>
public sealed record VerificationPolicy
{
    /// <summary>100 bits must hold in this regime; a receipt cannot lower it by naming a weaker preset.</summary>
    public SecurityRegime Minimum { get; init; } = SecurityRegime.Proven;

    /// <summary>The exit codes accepted; only 0 by default. Null accepts any.</summary>
    public IReadOnlyCollection<uint>? ExitCodes { get; init; } = [0];

    /// <summary>When set, the journal must be exactly these bytes.</summary>
    public ReadOnlyMemory<byte>? ExpectedJournal { get; init; }

    /// <summary>Proven bits, exit code 0, any journal.</summary>
    public static VerificationPolicy Default { get; } = new();

    /// <summary>Any exit code, bits in <paramref name="minimum"/>: for guests whose exit code is a result rather than a verdict.</summary>
    public static VerificationPolicy AnyExitCode(SecurityRegime minimum = SecurityRegime.Proven) => new() { Minimum = minimum, ExitCodes = null };

    /// <summary>Refuses a verified receipt this policy does not accept: ZK5106 for its exit code, ZK5107 for its journal.</summary>
    internal void Check(Receipt receipt)
    {
        if (ExitCodes is { } codes && !codes.Contains(receipt.ExitCode))
            throw new VerificationException(HostErrors.ExitCodeRefused,
                $"the guest halted with exit code {receipt.ExitCode}, and this verifier accepts {string.Join(", ", codes.Order())} "
                + "(a nonzero exit code is the guest reporting a failure; accept it explicitly if it is a result)");
        if (ExpectedJournal is { } journal && !receipt.Journal.Span.SequenceEqual(journal.Span))
            throw new VerificationException(HostErrors.JournalMismatch,
                $"the journal is {receipt.Journal.Length} bytes ({Convert.ToHexStringLower(receipt.Journal.Span[..Math.Min(32, receipt.Journal.Length)])}…), "
                + $"not the {journal.Length} expected");
    }
}
