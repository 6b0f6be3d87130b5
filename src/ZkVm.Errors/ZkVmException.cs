namespace ZkVm;

/// <summary>
/// Every failure a user can cause (bad ELF, proof, input, parameters) surfaces as this type, with a
/// stable <see cref="Code"/> listed in docs/ERRORS.md so tools and scripts can match on it.
/// </summary>
public class ZkVmException : Exception
{
    public ZkVmException(string code, string message, Exception? inner = null)
        : base($"{code}: {message}", inner)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Detail = message;
    }

    /// <summary>Stable identifier such as <c>ZK0101</c>; never reused for another meaning.</summary>
    public string Code { get; }

    /// <summary>The message without the code prefix.</summary>
    public string Detail { get; }
}
