namespace ZkVm.Machine.Witness;

/// <summary>A cell's first and last state: opened at timestamp 0 with <see cref="Initial"/>, closed with <see cref="Final"/> at <see cref="FinalTs"/>.</summary>
public readonly record struct BoundaryEntry(uint Space, uint Index, uint Initial, uint Final, uint FinalTs, bool InImage)
{
    /// <summary>The sort key of the boundary table: space·2^27 + index.</summary>
    public uint Key => (Space << 27) + Index;
}
