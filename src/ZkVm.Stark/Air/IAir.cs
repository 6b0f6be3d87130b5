using ZkVm.Field;

namespace ZkVm.Stark.Air;

/// <summary>One table of a multi-table proof: its columns and its constraints.</summary>
public interface IAir
{
    string Name { get; }
    int MainWidth { get; }
    int PreprocessedWidth => 0;
    int PublicValueCount => 0;

    /// <summary>The fixed columns (part of the verification key) for a table of this height, if any.</summary>
    RowMajorMatrix? Preprocessed(int height) => null;

    void Eval<TB, TE>(TB builder) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>;
}
