namespace ZkVm;

/// <summary>Named parameter sets; docs/SECURITY.md tabulates their bits.</summary>
public enum SecurityPreset
{
    /// <summary>The default: 100 provable bits (FRI in unique decoding, no conjecture), errors summed.</summary>
    Proven100,

    /// <summary>Fewer queries: 100 bits only under the ethSTARK toy conjecture, weakened in 2025.</summary>
    Conjectured100,
}
