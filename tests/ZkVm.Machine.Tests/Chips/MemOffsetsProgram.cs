namespace ZkVm.Machine.Tests.Chips;

/// <summary>
/// A bare guest that loads and stores at every offset each width allows, with bytes and halves whose
/// sign bit is set and clear, so every selector/offset pair of the load and store chips is exercised.
/// </summary>
static class MemOffsetsProgram
{
    public const string Name = "mem_offsets.S";

    public const string Text = """
        .data
        .align 2
    src: .word 0x80FF7F01, 0x7FFF8000
    dst: .word 0, 0, 0, 0
        .text
        .globl _start
    _start:
        la s0, src
        la s1, dst
        lb a0, 0(s0)
        lb a0, 1(s0)
        lb a0, 2(s0)
        lb a0, 3(s0)
        lbu a0, 0(s0)
        lbu a0, 1(s0)
        lbu a0, 2(s0)
        lbu a0, 3(s0)
        lh a0, 0(s0)
        lh a0, 2(s0)
        lh a0, 4(s0)
        lh a0, 6(s0)
        lhu a0, 0(s0)
        lhu a0, 2(s0)
        lhu a0, 6(s0)
        lw a0, 0(s0)
        lw a0, 4(s0)
        lb x0, 3(s0)
        li a1, 0x12345678
        li a2, -1
        sw a1, 0(s1)
        sb a2, 0(s1)
        sb a2, 1(s1)
        sb a1, 2(s1)
        sb a2, 3(s1)
        sh a2, 4(s1)
        sh a1, 6(s1)
        sh a1, 8(s1)
        sb a1, 9(s1)
        sw a2, 12(s1)
        sb a1, 13(s1)
        lw a0, 12(s1)
        lw a0, 8(s1)
        addi s2, s1, 2047
        lbu a0, -2043(s2)
        li a0, 0
        li a7, 0
        ecall
    """;
}
