namespace ZkVm.Machine.Witness;

/// <summary>A halted run prepared for trace generation: its steps, buffer transfers and memory boundary.</summary>
public sealed class MachineWitness(MachineStep[] steps, TransferWord[] transfers, BoundaryEntry[] boundary, uint exitCode, byte[] journal)
{
    public MachineStep[] Steps { get; } = steps;
    public TransferWord[] Transfers { get; } = transfers;

    /// <summary>Every cell touched, and every image cell, in increasing key order.</summary>
    public BoundaryEntry[] Boundary { get; } = boundary;

    public uint ExitCode { get; } = exitCode;
    public byte[] Journal { get; } = journal;
    public ulong Cycles => (ulong)Steps.Length;
}
