namespace ZkVm.Machine.Witness;

/// <summary>
/// A cell's first and last state in the run: opened with <see cref="Initial"/> (tag 0), closed with <see cref="Final"/>
/// as the shard that touched it last left it: tag <see cref="FinalTag"/> (that shard's index + 1; 0 when no shard
/// touched it), at <see cref="FinalTs"/> in that shard's time.
/// </summary>
public readonly record struct BoundaryEntry(uint Space, uint Index, uint Initial, uint Final, uint FinalTs, bool InImage)
{
    /// <summary>The sort key of the boundary table: space·2^27 + index.</summary>
    public uint Key => (Space << 27) + Index;

    public uint FinalTag { get; init; }
}
