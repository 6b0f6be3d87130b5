using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The committed base columns of one table that its constraints read on the next row, per tree, ascending: the only
/// columns opened at ζω and given a ζω term in the DEEP quotient. Both sides derive them from the AIR (the symbolic
/// builder records every next-row read) and the LogUp layout, never from a proof.
/// </summary>
public sealed record NextColumns(int[] Preprocessed, int[] Main, int[] Aux)
{
    public static NextColumns For(AirShape shape, LogUpLayout layout) => new(shape.PreprocessedNext, shape.MainNext, layout.NextBaseColumns);

    /// <summary>Where base column <paramref name="column"/> of a tree sits among its ζω openings.</summary>
    public static int Position(int[] columns, int column, string tree)
    {
        int position = Array.BinarySearch(columns, column);
        // The symbolic builder saw every next-row read of the same Eval, so a miss is a bug here, never a proof's doing.
        if (position < 0) throw new InvalidOperationException($"{tree} column {column} is read on the next row but was not opened at ζω");
        return position;
    }
}
