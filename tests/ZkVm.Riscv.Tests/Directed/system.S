#include "directed.h"
START
    /* CYCLES returns the instructions retired before the ECALL: here exactly 1 (li). */
    li a7, 4
    ecall
    li TESTNUM, 1
    li t6, 1
    bne a0, t6, fail
    li TESTNUM, 2
    bnez a1, fail
    /* FENCE does nothing. */
    li a0, 5
    fence
    fence rw, rw
    fence.tso
    li TESTNUM, 3
    li t6, 5
    bne a0, t6, fail
    /* A second CYCLES call: the first ECALL retired as instruction 2, and 13 more follow it. */
    li a7, 4
    ecall
    li TESTNUM, 4
    li t6, 15
    bne a0, t6, fail
    /* READ of the private input: the host passes "zk" and nothing more. */
    la a0, buf
    li a1, 16
    li a7, 1
    ecall
    li TESTNUM, 5
    li t6, 2
    bne a0, t6, fail
    la s0, buf
    lbu a1, 1(s0)
    li TESTNUM, 6
    li t6, 'k'
    bne a1, t6, fail
    /* COMMIT and WRITE the two bytes. */
    la a0, buf
    li a1, 2
    li a7, 3
    ecall
    li a0, 1
    la a1, buf
    li a2, 2
    li a7, 2
    ecall
    PASS_FAIL
    .bss
buf: .space 16
