namespace ZkVm.Riscv.Isa;

/// <summary>The table (chip) that proves an instruction, DESIGN.md §5; pass 1 counts rows per family.</summary>
public enum InstructionFamily : byte
{
    Alu, Shift, Compare, Branch, Jump, UpperImmediate, Load, Store, Multiply, DivRem, Syscall, Fence,
}
