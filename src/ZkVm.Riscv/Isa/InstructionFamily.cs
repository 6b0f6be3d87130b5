namespace ZkVm.Riscv.Isa;

/// <summary>The table (chip) that proves an instruction (docs/MACHINE.md §3).</summary>
public enum InstructionFamily : byte
{
    Alu, Shift, Compare, Branch, Jump, UpperImmediate, Load, Store, Multiply, DivRem, Syscall, Fence,

    /// <summary>An instruction a machine extension adds (<see cref="InstructionSet"/>): rd from rs1 and rs2 or the immediate, proven by the extension's chip.</summary>
    Extension,
}
