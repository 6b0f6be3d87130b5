#include "directed.h"
START
    TEST_RR(1, add, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR(2, add, 0x80000000, 0x7fffffff, 0x00000001)
    TEST_RR(3, add, 0x00000000, 0xffffffff, 0x00000001)
    TEST_RR(4, sub, 0xffffffff, 0x00000000, 0x00000001)
    TEST_RR(5, sub, 0x7fffffff, 0x80000000, 0x00000001)
    TEST_RR(6, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(7, or,  0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(8, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(9, slt, 1, 0x80000000, 0x00000000)
    TEST_RR(10, slt, 0, 0x00000000, 0x80000000)
    TEST_RR(11, slt, 1, 0xffffffff, 0x00000001)
    TEST_RR(12, sltu, 0, 0xffffffff, 0x00000001)
    TEST_RR(13, sltu, 1, 0x00000001, 0xffffffff)
    TEST_RR(14, sltu, 0, 0x00000005, 0x00000005)
    TEST_IMM(15, addi, 0x00000800, 0x00001000, -2048)
    TEST_IMM(16, addi, 0x800007fe, 0x7fffffff, 2047)
    TEST_IMM(17, addi, 0xffffffff, 0x00000000, -1)
    TEST_IMM(18, andi, 0x0000070f, 0xff00ff0f, 0x70f)
    TEST_IMM(19, andi, 0xff00ff00, 0xff00ff00, -1)
    TEST_IMM(20, ori,  0xff00fff0, 0xff00ff00, 0x0f0)
    TEST_IMM(21, ori,  0xffffffff, 0x00ff00ff, -1)
    TEST_IMM(22, xori, 0x00ff000f, 0xff00ff0f, -256)
    TEST_IMM(23, xori, 0xff00ff0f, 0xff00ff00, 0x00f)
    TEST_IMM(24, slti, 1, 0xffffffff, 0)
    TEST_IMM(25, slti, 0, 0x00000000, -1)
    TEST_IMM(26, slti, 1, 0x80000000, 0x7ff)
    TEST_IMM(27, sltiu, 1, 0x00000000, -1)      /* -1 is 0xffffffff unsigned */
    TEST_IMM(28, sltiu, 0, 0xffffffff, -1)
    TEST_IMM(29, sltiu, 1, 0x00000000, 1)       /* seqz */
    TEST_RR_ALL_SAME(30, add, 0x0000001a, 13)
    TEST_RR_ALL_SAME(31, sub, 0, 0x12345678)
    TEST_RR_ALL_SAME(32, xor, 0, 0x12345678)
    TEST_RR_ALL_SAME(33, slt, 0, 0x80000000)
    TEST_RR_DEST_RS1(34, sub, 0x00000002, 5, 3)
    TEST_RR_ZERO_DEST(35, add, 1, 2)
    TEST_RR_ZERO_DEST(36, sub, 7, 2)
    TEST_IMM_SAME(37, addi, 0x00000018, 13, 11)
    li TESTNUM, 38
    addi x0, x0, 5
    bne x0, zero, fail
    li TESTNUM, 39
    lui x0, 0x12345
    bnez x0, fail
    PASS_FAIL
