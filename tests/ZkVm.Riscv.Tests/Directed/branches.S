#include "directed.h"
START
    TEST_BR(1, beq, 1, 5, 5)
    TEST_BR(2, beq, 0, 5, 6)
    TEST_BR(3, bne, 1, 5, 6)
    TEST_BR(4, bne, 0, 0xffffffff, 0xffffffff)
    TEST_BR(5, blt, 1, 0xffffffff, 0)
    TEST_BR(6, blt, 0, 0, 0xffffffff)
    TEST_BR(7, blt, 0, 7, 7)
    TEST_BR(8, blt, 1, 0x80000000, 0x7fffffff)
    TEST_BR(9, bge, 1, 7, 7)
    TEST_BR(10, bge, 1, 0, 0xffffffff)
    TEST_BR(11, bge, 0, 0x80000000, 0)
    TEST_BR(12, bltu, 0, 0xffffffff, 0)
    TEST_BR(13, bltu, 1, 0, 0xffffffff)
    TEST_BR(14, bltu, 0, 3, 3)
    TEST_BR(15, bgeu, 1, 0xffffffff, 0)
    TEST_BR(16, bgeu, 0, 0, 0xffffffff)
    TEST_BR(17, bgeu, 1, 3, 3)
    TEST_BR(18, bgeu, 1, 0x80000000, 0x7fffffff)
    /* Backward branch: a loop of 10 iterations. */
    li TESTNUM, 19
    li a0, 0
    li a1, 10
1:  addi a0, a0, 1
    bne a0, a1, 1b
    li t6, 10
    bne a0, t6, fail
    PASS_FAIL
