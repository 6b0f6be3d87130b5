using ZkVm.Field;

namespace ZkVm.Stark.Air;

/// <summary>A table's AIR with its witness: the main trace, the fixed columns and its public values.</summary>
public sealed class TableTrace
{
    public TableTrace(IAir air, RowMajorMatrix main, BabyBear[]? publicValues = null)
    {
        Air = air;
        Main = main;
        PublicValues = publicValues ?? [];
        int height = main.Height;
        if (height < 2 || (height & (height - 1)) != 0)
            throw new ZkVmException(AirErrors.TraceShape, $"table '{air.Name}' has height {height}; heights are powers of two ≥ 2");
        if (air.FixedLogHeight is int fixedLog && height != 1 << fixedLog)
            throw new ZkVmException(AirErrors.TraceShape, $"table '{air.Name}' must have height 2^{fixedLog}, not {height}");
        if (main.Width != air.MainWidth)
            throw new ZkVmException(AirErrors.TraceShape, $"table '{air.Name}' trace has {main.Width} columns, its AIR {air.MainWidth}");
        if (PublicValues.Length != air.PublicValueCount)
            throw new ZkVmException(AirErrors.TraceShape, $"table '{air.Name}' has {PublicValues.Length} public values, its AIR {air.PublicValueCount}");
        Preprocessed = air.Preprocessed(height);
        int preprocessedWidth = Preprocessed?.Width ?? 0;
        if (preprocessedWidth != air.PreprocessedWidth || (Preprocessed is not null && Preprocessed.Height != height))
            throw new ZkVmException(AirErrors.TraceShape, $"table '{air.Name}' preprocessed columns do not match its AIR ({preprocessedWidth} wide)");
    }

    public IAir Air { get; }
    public RowMajorMatrix Main { get; }
    public RowMajorMatrix? Preprocessed { get; }
    public BabyBear[] PublicValues { get; }
    public int Height => Main.Height;
}
