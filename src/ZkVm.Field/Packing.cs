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

    /// <summary>
    /// The widest packing no wider than <paramref name="width"/>, for kernels that vectorise across a row's columns
    /// (a row narrower than a vector would otherwise go one column at a time).
    /// </summary>
    public static PackingKind ForRows(int width) =>
        width >= 16 ? Best : width >= 8 && Avx2.IsSupported ? PackingKind.Avx2 : PackingKind.Scalar;

    /// <summary>Every packing this CPU runs, scalar first.</summary>
    public static IReadOnlyList<PackingKind> Supported { get; } = [.. Enum.GetValues<PackingKind>().Where(IsSupported)];

    public static bool IsSupported(PackingKind kind) => kind switch
    {
        PackingKind.Scalar => true,
        PackingKind.Avx2 => Avx2.IsSupported,
        PackingKind.Avx512 => Avx512F.IsSupported,
        _ => false,
    };

    /// <summary>Runs a generic operation specialised for the packed type of <paramref name="kind"/>.</summary>
    public static void Run<TOperation>(PackingKind kind, TOperation operation) where TOperation : IPackedOperation
    {
        EnsureSupported(kind);
        switch (kind)
        {
            case PackingKind.Avx512: operation.Run<PackedBabyBearAvx512>(); break;
            case PackingKind.Avx2: operation.Run<PackedBabyBearAvx2>(); break;
            default: operation.Run<BabyBear>(); break;
        }
    }

    public static void EnsureSupported(PackingKind kind)
    {
        if (!IsSupported(kind))
            throw new PlatformNotSupportedException($"packing {kind} is not supported by this CPU");
    }
}

/// <summary>Code written once over a packed type and dispatched by <see cref="Packing.Run"/>.</summary>
public interface IPackedOperation
{
    void Run<TP>() where TP : unmanaged, IPackedField<TP>;
}
