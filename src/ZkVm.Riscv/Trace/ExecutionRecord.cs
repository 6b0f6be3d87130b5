using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Trace;

/// <summary>
/// Everything one retired instruction did, the input of trace generation (pass 2).
/// Rs1Value/Rs2Value are the operands read, RdValue what rd holds afterwards (0 if none).
/// Loads and stores fill MemAddress and MemValue (the raw bytes moved, zero-extended).
/// ECALL reads a7 as Rs1Value and a0, a1, a2 as Rs2Value, MemAddress, MemValue; RdValue is a0 afterwards.
/// </summary>
public readonly record struct ExecutionRecord(
    ulong Cycle,
    uint Pc,
    Instruction Instruction,
    uint Rs1Value,
    uint Rs2Value,
    uint RdValue,
    uint MemAddress,
    uint MemValue,
    uint NextPc);
