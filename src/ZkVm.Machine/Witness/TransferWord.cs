namespace ZkVm.Machine.Witness;

/// <summary>
/// One row of a READ or COMMIT buffer transfer: the bytes it moves all lie in one memory word.
/// <see cref="Word"/> is that word's access at the ECALL's timestamp + 3 (old → new value; equal for COMMIT).
/// </summary>
public readonly record struct TransferWord(uint Kind, uint Ts, uint Address, uint Remaining, uint Position, int Count, AccessRecord Word)
{
    public bool Last => Count == Remaining;
    public uint WordIndex => Address >> 2;
    public int Offset => (int)(Address & 3);
}
