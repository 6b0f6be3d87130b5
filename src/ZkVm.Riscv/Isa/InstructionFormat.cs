namespace ZkVm.Riscv.Isa;

/// <summary>The encoding formats of the base ISA, which decide where the immediate bits are.</summary>
public enum InstructionFormat : byte { R, I, IShift, S, B, U, J, Fence, System }
