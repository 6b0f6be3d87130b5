namespace ZkVm.Machine.Witness;

/// <summary>
/// One extension syscall as its precompile table proves it: the ECALL's timestamp, a0 (the state) and a1 (the input), each
/// input word read at ts + 1 and each state word rewritten at ts + 3 (old value → the operation's result).
/// </summary>
public sealed record PrecompileCall(uint Number, uint Ts, uint StateAddress, uint InputAddress, AccessRecord[] Input, AccessRecord[] State)
{
    /// <summary>The state words the call read.</summary>
    public uint[] StateIn => [.. State.Select(a => a.PrevValue)];

    /// <summary>The state words it wrote.</summary>
    public uint[] StateOut => [.. State.Select(a => a.Value)];

    public uint[] InputWords => [.. Input.Select(a => a.Value)];

    /// <summary>
    /// Call <paramref name="index"/> of a table proven by itself, with no machine around it: at the ts of cycle
    /// <paramref name="index"/>, on words never touched before, the state at 0x1000_0000 + 0x400·index and the input after it.
    /// </summary>
    public static PrecompileCall Standalone(uint number, int index, uint[] stateIn, uint[] input, uint[] stateOut)
    {
        uint ts = MachineLayout.Timestamp((ulong)index), state = 0x1000_0000u + 0x400u * (uint)index, inputAt = state + 4 * (uint)stateIn.Length;
        return new PrecompileCall(number, ts, state, inputAt,
            [.. input.Select(v => new AccessRecord(ts + MachineLayout.SlotPrecompileInput, v, 0, v))],
            [.. stateIn.Select((v, k) => new AccessRecord(ts + MachineLayout.SlotPrecompileState, v, 0, stateOut[k]))]);
    }
}
