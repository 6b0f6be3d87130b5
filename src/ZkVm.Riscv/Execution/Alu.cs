using System.Runtime.CompilerServices;
using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Execution;

/// <summary>
/// RV32IM arithmetic exactly as the unprivileged spec defines it (shift amounts masked to 5 bits,
/// division by zero gives all ones / the dividend, INT_MIN / −1 overflows to INT_MIN with
/// remainder 0). Shared by the fast interpreter and the record-producing stepper.
/// </summary>
public static class Alu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mulh(uint a, uint b) => (uint)(((long)(int)a * (int)b) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mulhsu(uint a, uint b) => (uint)(((long)(int)a * (long)b) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mulhu(uint a, uint b) => (uint)(((ulong)a * b) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Div(uint a, uint b) =>
        b == 0 ? uint.MaxValue : a == 0x8000_0000 && b == uint.MaxValue ? a : (uint)((int)a / (int)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Divu(uint a, uint b) => b == 0 ? uint.MaxValue : a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Rem(uint a, uint b) =>
        b == 0 ? a : a == 0x8000_0000 && b == uint.MaxValue ? 0 : (uint)((int)a % (int)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Remu(uint a, uint b) => b == 0 ? a : a % b;

    /// <summary>The result of a register-register or register-immediate instruction (b is the immediate for the latter).</summary>
    public static uint Compute(Opcode op, uint a, uint b) => op switch
    {
        Opcode.Add or Opcode.Addi => a + b,
        Opcode.Sub => a - b,
        Opcode.Xor or Opcode.Xori => a ^ b,
        Opcode.Or or Opcode.Ori => a | b,
        Opcode.And or Opcode.Andi => a & b,
        Opcode.Sll or Opcode.Slli => a << (int)(b & 31),
        Opcode.Srl or Opcode.Srli => a >> (int)(b & 31),
        Opcode.Sra or Opcode.Srai => (uint)((int)a >> (int)(b & 31)),
        Opcode.Slt or Opcode.Slti => (int)a < (int)b ? 1u : 0u,
        Opcode.Sltu or Opcode.Sltiu => a < b ? 1u : 0u,
        Opcode.Mul => a * b,
        Opcode.Mulh => Mulh(a, b),
        Opcode.Mulhsu => Mulhsu(a, b),
        Opcode.Mulhu => Mulhu(a, b),
        Opcode.Div => Div(a, b),
        Opcode.Divu => Divu(a, b),
        Opcode.Rem => Rem(a, b),
        Opcode.Remu => Remu(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an ALU instruction"),
    };

    public static bool Taken(Opcode op, uint a, uint b) => op switch
    {
        Opcode.Beq => a == b,
        Opcode.Bne => a != b,
        Opcode.Blt => (int)a < (int)b,
        Opcode.Bge => (int)a >= (int)b,
        Opcode.Bltu => a < b,
        Opcode.Bgeu => a >= b,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a branch"),
    };

    /// <summary>Bytes moved by a load or store.</summary>
    public static int AccessSize(Opcode op) => op switch
    {
        Opcode.Lb or Opcode.Lbu or Opcode.Sb => 1,
        Opcode.Lh or Opcode.Lhu or Opcode.Sh => 2,
        Opcode.Lw or Opcode.Sw => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a memory access"),
    };

    /// <summary>The bits of a value a load or store of <paramref name="size"/> bytes moves.</summary>
    public static uint SizeMask(int size) => size == 4 ? uint.MaxValue : (1u << (8 * size)) - 1;

    /// <summary>
    /// The memory word after a store of the low <paramref name="size"/> bytes of <paramref name="value"/> at
    /// <paramref name="address"/> (aligned to the size), within the word that held <paramref name="word"/>.
    /// </summary>
    public static uint MergeStore(uint word, uint address, uint value, int size)
    {
        int shift = (int)(8 * (address & 3));
        uint mask = SizeMask(size) << shift;
        return (word & ~mask) | (value << shift & mask);
    }

    /// <summary>The raw (zero-extended) value a load of <paramref name="size"/> bytes at <paramref name="address"/> reads from its word.</summary>
    public static uint LoadFrom(uint word, uint address, int size) => (word >> (int)(8 * (address & 3))) & SizeMask(size);

    /// <summary>The register value of a load from the raw (zero-extended) memory value.</summary>
    public static uint Extend(Opcode op, uint raw) => op switch
    {
        Opcode.Lb => (uint)(sbyte)raw,
        Opcode.Lh => (uint)(short)raw,
        _ => raw,
    };
}
