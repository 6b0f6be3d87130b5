namespace ZkVm.Machine.Witness;

/// <summary>
/// One access of offline memory checking as a chip proves it: at <see cref="Ts"/> the cell held
/// <see cref="PrevValue"/>, last written or read at <see cref="PrevTs"/>, and now holds <see cref="Value"/>
/// (equal for a read). The default value means "no access" and fills padding rows.
/// </summary>
public readonly record struct AccessRecord(uint Ts, uint PrevValue, uint PrevTs, uint Value)
{
    /// <summary>A memory word on a read-only page: the access travels in <see cref="MachineLayout.ReadOnlySpace"/>.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>ts − prevTs − 1, the gap the range check proves non-negative.</summary>
    public uint Gap => Ts - PrevTs - 1;

    public uint DiffLo => Gap & 0xFFFF;
    public uint DiffHi => Gap >> 16;
}
