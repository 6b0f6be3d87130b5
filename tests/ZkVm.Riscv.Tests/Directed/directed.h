/* directed.h — self-checking test macros (in the style of riscv-tests' test_macros.h).
   Each check loads operands, runs one instruction, and compares with the value the RISC-V
   unprivileged spec gives; a mismatch halts with the check's number as exit code, so the
   host test names the failing check. Register x28 (t3) holds the current check number. */
#define TESTNUM t3

#define START            \
    .text;               \
    .globl _start;       \
_start:

#define PASS_FAIL        \
pass:                    \
    li a0, 0;            \
    li a7, 0;            \
    ecall;               \
fail:                    \
    mv a0, TESTNUM;      \
    li a7, 0;            \
    ecall;

#define EXPECT(n, reg, value) \
    li TESTNUM, n;            \
    li t6, value;             \
    bne reg, t6, fail;

/* rd = rs1 op rs2 with distinct registers. */
#define TEST_RR(n, inst, result, v1, v2) \
    li a1, v1; li a2, v2; inst a0, a1, a2; EXPECT(n, a0, result)
/* rs1 = rs2 = rd. */
#define TEST_RR_ALL_SAME(n, inst, result, v) \
    li a3, v; inst a3, a3, a3; EXPECT(n, a3, result)
/* rd = rs1. */
#define TEST_RR_DEST_RS1(n, inst, result, v1, v2) \
    li a1, v1; li a2, v2; inst a1, a1, a2; EXPECT(n, a1, result)
/* rd = x0: the write is discarded. */
#define TEST_RR_ZERO_DEST(n, inst, v1, v2) \
    li a1, v1; li a2, v2; inst x0, a1, a2; EXPECT(n, x0, 0)
#define TEST_IMM(n, inst, result, v1, imm) \
    li a1, v1; inst a0, a1, imm; EXPECT(n, a0, result)
#define TEST_IMM_SAME(n, inst, result, v1, imm) \
    li a1, v1; inst a1, a1, imm; EXPECT(n, a1, result)
/* Branch taken (expect = 1) or not (expect = 0). */
#define TEST_BR(n, inst, expect, v1, v2) \
    li a1, v1; li a2, v2; li a0, 0; inst a1, a2, 1f; j 2f; 1: li a0, 1; 2: EXPECT(n, a0, expect)
