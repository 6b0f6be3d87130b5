namespace ZkVm;

/// <summary>
/// A receipt was rejected (ZK51xx, docs/ERRORS.md). <see cref="ZkVmException.Detail"/> says why; where
/// the proof system gave the reason, <see cref="Reason"/> keeps its own code (ZK3xxx, ZK50xx).
/// </summary>
public sealed class VerificationException : ZkVmException
{
    /// <summary>A rejection with its code (ZK51xx) and message, and the proof system's error when that was the reason.</summary>
    public VerificationException(string code, string message, ZkVmException? reason = null)
        : base(code, message, reason) => Reason = reason;

    /// <summary>The proof system's own error, when it was what rejected the receipt.</summary>
    public ZkVmException? Reason { get; }
}
