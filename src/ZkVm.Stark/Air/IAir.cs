using ZkVm.Field;

namespace ZkVm.Stark.Air;

/// <summary>One table of a multi-table proof: its columns and its constraints.</summary>
public interface IAir
{
    string Name { get; }
    int MainWidth { get; }
    int PreprocessedWidth => 0;
    int PublicValueCount => 0;

    /// <summary>
    /// The only height the table may have, when its fixed columns define a set whose size matters (a
    /// byte table must have exactly 256 rows, or a proof could bring a larger table holding 256 too).
    /// The verifier rejects any other height; null lets the prover choose.
    /// </summary>
    int? FixedLogHeight => null;

    /// <summary>The fixed columns (part of the verification key) for a table of this height, if any.</summary>
    RowMajorMatrix? Preprocessed(int height) => null;

    void Eval<TB, TE>(TB builder) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>;
}
