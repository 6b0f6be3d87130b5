#include "directed.h"
    .data
    .align 4
bytes:  .byte 0x80, 0x7f, 0xff, 0x01
halves: .half 0x8000, 0x7fff
word:   .word 0xdeadbeef
buffer: .word 0, 0, 0, 0
START
    la s0, bytes
    li TESTNUM, 1
    lb a0, 0(s0)
    li t6, 0xffffff80
    bne a0, t6, fail
    li TESTNUM, 2
    lbu a0, 0(s0)
    li t6, 0x80
    bne a0, t6, fail
    li TESTNUM, 3
    lb a0, 1(s0)
    li t6, 0x7f
    bne a0, t6, fail
    li TESTNUM, 4
    lb a0, 2(s0)
    li t6, -1
    bne a0, t6, fail
    li TESTNUM, 5
    lbu a0, 2(s0)
    li t6, 0xff
    bne a0, t6, fail
    la s1, halves
    li TESTNUM, 6
    lh a0, 0(s1)
    li t6, 0xffff8000
    bne a0, t6, fail
    li TESTNUM, 7
    lhu a0, 0(s1)
    li t6, 0x8000
    bne a0, t6, fail
    li TESTNUM, 8
    lh a0, 2(s1)
    li t6, 0x7fff
    bne a0, t6, fail
    li TESTNUM, 9
    lw a0, 0(s0)             /* little-endian */
    li t6, 0x01ff7f80
    bne a0, t6, fail
    li TESTNUM, 10
    la s2, word
    lw a0, 0(s2)
    li t6, 0xdeadbeef
    bne a0, t6, fail
    li TESTNUM, 11
    lbu a0, 3(s2)
    li t6, 0xde
    bne a0, t6, fail
    /* Stores write only their width. */
    la s3, buffer
    li a1, 0xaabbccdd
    sw a1, 0(s3)
    li a2, 0x11223344
    sb a2, 1(s3)
    li TESTNUM, 12
    lw a0, 0(s3)
    li t6, 0xaabb44dd
    bne a0, t6, fail
    sh a2, 2(s3)
    li TESTNUM, 13
    lw a0, 0(s3)
    li t6, 0x334444dd
    bne a0, t6, fail
    /* Negative offsets, and a load into its own base register. */
    li TESTNUM, 14
    addi s4, s3, 4
    lw a0, -4(s4)
    li t6, 0x334444dd
    bne a0, t6, fail
    li TESTNUM, 15
    mv a5, s3
    lw a5, 0(a5)
    li t6, 0x334444dd
    bne a5, t6, fail
    /* A load into x0 is performed but the write is discarded. */
    li TESTNUM, 16
    lw x0, 0(s3)
    bnez x0, fail
    /* The stack is mapped and writable. */
    li TESTNUM, 17
    addi sp, sp, -16
    sw a1, 12(sp)
    lw a0, 12(sp)
    bne a0, a1, fail
    PASS_FAIL
