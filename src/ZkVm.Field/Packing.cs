using System.Runtime.Intrinsics.X86;

namespace ZkVm.Field;

/// <summary>Which packed BabyBear type this CPU runs best; dispatchers switch on it once per call.</summary>
public enum PackingKind
{
    Scalar,
    Avx2,
    Avx512,
}

public static class Packing
{
    /// <summary>The widest packing this process can use. Tests and benchmarks may pass others explicitly.</summary>
    public static PackingKind Best { get; } =
        Avx512F.IsSupported ? PackingKind.Avx512 : Avx2.IsSupported ? PackingKind.Avx2 : PackingKind.Scalar;

    public static bool IsSupported(PackingKind kind) => kind switch
    {
        PackingKind.Scalar => true,
        PackingKind.Avx2 => Avx2.IsSupported,
        PackingKind.Avx512 => Avx512F.IsSupported,
        _ => false,
    };

    public static void EnsureSupported(PackingKind kind)
    {
        if (!IsSupported(kind))
            throw new PlatformNotSupportedException($"packing {kind} is not supported by this CPU");
    }
}
