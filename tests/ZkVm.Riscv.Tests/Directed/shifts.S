#include "directed.h"
START
    TEST_RR(1, sll, 0x80000001, 0x80000001, 0)
    TEST_RR(2, sll, 0x80000000, 0x00000001, 31)
    TEST_RR(3, sll, 0x00000001, 0x00000001, 32)       /* amount masked to 5 bits: 32 -> 0 */
    TEST_RR(4, sll, 0x00000002, 0x00000001, 33)
    TEST_RR(5, sll, 0x80000000, 0x00000001, 0xffffffff) /* -1 -> 31 */
    TEST_RR(6, srl, 0x80000000, 0x80000000, 0)
    TEST_RR(7, srl, 0x00000001, 0x80000000, 31)
    TEST_RR(8, srl, 0x80000000, 0x80000000, 32)
    TEST_RR(9, srl, 0x00ffffff, 0xffffffff, 0xffffffe8) /* 0xe8 & 31 = 8 */
    TEST_RR(10, sra, 0x80000000, 0x80000000, 0)
    TEST_RR(11, sra, 0xffffffff, 0x80000000, 31)
    TEST_RR(12, sra, 0xc0000000, 0x80000000, 33)
    TEST_RR(13, sra, 0x00000000, 0x7fffffff, 31)
    TEST_IMM(14, slli, 0x80000001, 0x80000001, 0)
    TEST_IMM(15, slli, 0x80000000, 0x00000003, 31)
    TEST_IMM(16, slli, 0x00000210, 0x00000021, 4)
    TEST_IMM(17, srli, 0x80000000, 0x80000000, 0)
    TEST_IMM(18, srli, 0x00000001, 0xffffffff, 31)
    TEST_IMM(19, srli, 0x08000000, 0x80000000, 4)
    TEST_IMM(20, srai, 0x80000000, 0x80000000, 0)
    TEST_IMM(21, srai, 0xffffffff, 0x80000000, 31)
    TEST_IMM(22, srai, 0xf8000000, 0x80000000, 4)
    TEST_IMM(23, srai, 0x07ffffff, 0x7fffffff, 4)
    TEST_RR_ALL_SAME(24, sll, 0x00000380, 7)             /* 7 << 7 */
    TEST_RR_ALL_SAME(25, srl, 0x00000000, 31)
    TEST_RR_ZERO_DEST(26, sra, 0x80000000, 1)
    PASS_FAIL
