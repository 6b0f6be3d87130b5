namespace ZkVm.Riscv.Image;

/// <summary>Instructions [<see cref="Start"/>, <see cref="End"/>) entered only at the start.</summary>
public readonly record struct BasicBlock(uint Start, uint End)
{
    public int InstructionCount => (int)((End - Start) / 4);
}
