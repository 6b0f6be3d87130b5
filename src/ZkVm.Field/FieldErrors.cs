namespace ZkVm.Field;

/// <summary>Stable error codes of the field layer (docs/ERRORS.md, range ZK10xx).</summary>
public static class FieldErrors
{
    public const string NonCanonical = "ZK1001";
    public const string Truncated = "ZK1002";
}
