#include "directed.h"
START
    li TESTNUM, 1
    lui a0, 0xfffff
    li t6, 0xfffff000
    bne a0, t6, fail
    li TESTNUM, 2
    lui a0, 0x80000
    srai a0, a0, 12
    li t6, 0xfff80000
    bne a0, t6, fail
    /* AUIPC: pc-relative; compare against the label's address computed by the linker. */
    li TESTNUM, 3
here:
    auipc a0, 0
    la t6, here
    bne a0, t6, fail
    li TESTNUM, 4
here2:
    auipc a0, 0x1
    la t6, here2 + 0x1000
    bne a0, t6, fail
    li TESTNUM, 5
here3:
    auipc a0, 0xfffff       /* -0x1000 */
    la t6, here3 - 0x1000
    bne a0, t6, fail
    /* JAL links pc + 4 and jumps. */
    li TESTNUM, 6
    jal a0, 1f
link1:
    j fail
1:  la t6, link1
    bne a0, t6, fail
    /* JALR clears bit 0 of the target and links pc + 4; rd = rs1 reads rs1 first. */
    li TESTNUM, 7
    la a1, 2f
    addi a1, a1, 1
    jalr a2, 0(a1)
link2:
    j fail
2:  la t6, link2
    bne a2, t6, fail
    li TESTNUM, 8
    la a1, 3f - 4
    jalr a1, 4(a1)
link3:
    j fail
3:  la t6, link3
    bne a1, t6, fail
    li TESTNUM, 9
    jal x0, 4f
    j fail
4:  li TESTNUM, 10
    la a1, 5f
    jalr x0, 0(a1)
    j fail
5:
    PASS_FAIL
