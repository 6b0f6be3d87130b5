#include "directed.h"
START
    TEST_RR(1, mul, 0x00001200, 0x00007e00, 0xb6db6db7)
    TEST_RR(2, mul, 0x00000001, 0xffffffff, 0xffffffff)
    TEST_RR(3, mul, 0x80000000, 0x80000000, 0xffffffff)
    TEST_RR(4, mulh, 0x00000000, 0x00000002, 0x00000003)
    TEST_RR(5, mulh, 0xffffffff, 0xffffffff, 0x00000001)   /* -1 * 1 = -1: high word all ones */
    TEST_RR(6, mulh, 0x00000000, 0xffffffff, 0xffffffff)   /* -1 * -1 = 1 */
    TEST_RR(7, mulh, 0x40000000, 0x80000000, 0x80000000)   /* (-2^31)^2 = 2^62 */
    TEST_RR(8, mulh, 0xc0000000, 0x80000000, 0x7fffffff)   /* -2^31 * (2^31-1) */
    TEST_RR(9, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_RR(10, mulhu, 0x00000000, 0xffffffff, 0x00000001)
    TEST_RR(11, mulhu, 0x40000000, 0x80000000, 0x80000000)
    TEST_RR(12, mulhsu, 0xffffffff, 0xffffffff, 0x00000001) /* signed -1 * unsigned 1 */
    TEST_RR(13, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff) /* -1 * (2^32-1) = -(2^32-1) */
    TEST_RR(14, mulhsu, 0x7ffffffe, 0x7fffffff, 0xffffffff) /* (2^31-1)(2^32-1) */
    TEST_RR(15, mulhsu, 0x80000000, 0x80000000, 0xffffffff) /* -2^31 * (2^32-1) */
    TEST_RR(16, div, 0x00000003, 20, 6)
    TEST_RR(17, div, 0xfffffffd, -20, 6)    /* rounds toward zero */
    TEST_RR(18, div, 0xfffffffd, 20, -6)
    TEST_RR(19, div, 0x00000003, -20, -6)
    TEST_RR(20, div, 0xffffffff, 20, 0)     /* by zero: all ones */
    TEST_RR(21, div, 0x80000000, 0x80000000, -1) /* overflow: INT_MIN */
    TEST_RR(22, divu, 0x00000003, 20, 6)
    TEST_RR(23, divu, 0x2aaaaaa7, -20, 6)
    TEST_RR(24, divu, 0xffffffff, 20, 0)
    TEST_RR(25, divu, 0x00000000, 0x80000000, -1)
    TEST_RR(26, rem, 2, 20, 6)
    TEST_RR(27, rem, -2, -20, 6)            /* sign of the dividend */
    TEST_RR(28, rem, 2, 20, -6)
    TEST_RR(29, rem, -2, -20, -6)
    TEST_RR(30, rem, 20, 20, 0)             /* by zero: the dividend */
    TEST_RR(31, rem, 0, 0x80000000, -1)     /* overflow: 0 */
    TEST_RR(32, rem, 1, 7, -3)
    TEST_RR(33, rem, -1, -7, 3)             /* REM(-7, 3) = -1, not +2 */
    TEST_RR(34, remu, 2, 20, 6)
    TEST_RR(35, remu, 2, -20, 6)
    TEST_RR(36, remu, -20, -20, 0)
    TEST_RR(37, remu, 0x80000000, 0x80000000, -1)
    TEST_RR_ALL_SAME(38, mul, 0x00000019, 5)
    TEST_RR_ALL_SAME(39, div, 1, -9)
    TEST_RR_ALL_SAME(40, rem, 0, -9)
    TEST_RR_ALL_SAME(41, mulhu, 0xfffffffe, 0xffffffff)
    TEST_RR_ZERO_DEST(42, div, 7, 0)
    TEST_RR_ZERO_DEST(43, mulh, 0x80000000, 0x80000000)
    PASS_FAIL
