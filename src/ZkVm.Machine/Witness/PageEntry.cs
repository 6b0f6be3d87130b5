namespace ZkVm.Machine.Witness;

/// <summary>
/// A cell a shard touches: it pages in with <see cref="In"/>, as the shard tagged <see cref="InTag"/> left it (tag 0: the
/// boundary's opening), and pages out with <see cref="Out"/>, last touched at <see cref="OutTs"/> in the shard's time.
/// </summary>
public readonly record struct PageEntry(uint Space, uint Index, uint In, uint InTag, uint Out, uint OutTs)
{
    /// <summary>The page-in state alone: what rebuilding the shard needs to know of the cell (docs/PROTOCOL.md §10.2, entry lists).</summary>
    public PageEntry Entry => this with { Out = 0, OutTs = 0 };
}
