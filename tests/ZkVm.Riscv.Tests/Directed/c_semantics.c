/* c_semantics.c — a self-checking C program: compiled by GCC at -O2 with the C runtime, it
   exercises what compiled code leans on (sign extension of narrow loads, 64-bit arithmetic through
   MULHU and libgcc, jump tables in .rodata, indirect calls, setjmp/longjmp, the heap, stdio) and the
   M-extension edge cases through inline assembly, so the compiler cannot fold them. Returns the
   number of the first failed check, 0 when all hold. */
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zkvm.h"

#define CHECK(n, cond) do { if (!(cond)) return n; } while (0)

#define RR(op) static uint32_t op##_(uint32_t a, uint32_t b) { uint32_t r; __asm__ volatile(#op " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
RR(div) RR(divu) RR(rem) RR(remu) RR(mulh) RR(mulhsu) RR(mulhu) RR(sll) RR(srl) RR(sra)

static volatile int8_t s8[2] = { -128, 127 };
static volatile uint8_t u8[2] = { 0x80, 0xff };
static volatile int16_t s16[2] = { -32768, 32767 };
static volatile uint16_t u16[2] = { 0x8000, 0xffff };

static int classify(int x)
{
    switch (x) { /* dense enough for a jump table in .rodata */
    case 0: return 10;
    case 1: return 11;
    case 2: return 12;
    case 3: return 13;
    case 4: return 14;
    case 5: return 15;
    case 6: return 16;
    case 7: return 17;
    default: return -1;
    }
}

static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
static jmp_buf env;
static void jump_back(int value) { longjmp(env, value); }

static uint64_t fib64(unsigned n) { return n < 2 ? n : fib64(n - 1) + fib64(n - 2); }

int main(void)
{
    /* Narrow loads: LB/LH sign-extend, LBU/LHU zero-extend. */
    CHECK(1, s8[0] == -128 && s8[1] == 127);
    CHECK(2, u8[0] == 128 && u8[1] == 255);
    CHECK(3, s16[0] == -32768 && s16[1] == 32767);
    CHECK(4, u16[0] == 32768 && u16[1] == 65535);
    CHECK(5, (int32_t)(int8_t)u8[1] == -1);

    /* M extension edge cases, as the spec defines them. */
    CHECK(10, div_(7, 0) == UINT32_MAX);
    CHECK(11, divu_(7, 0) == UINT32_MAX);
    CHECK(12, rem_(7, 0) == 7);
    CHECK(13, remu_(7, 0) == 7);
    CHECK(14, div_(0x80000000u, UINT32_MAX) == 0x80000000u);
    CHECK(15, rem_(0x80000000u, UINT32_MAX) == 0);
    CHECK(16, (int32_t)rem_((uint32_t)-7, 3) == -1);
    CHECK(17, (int32_t)div_((uint32_t)-7, 2) == -3);
    CHECK(18, mulh_((uint32_t)-1, (uint32_t)-1) == 0);
    CHECK(19, mulhsu_((uint32_t)-1, UINT32_MAX) == UINT32_MAX);
    CHECK(20, mulhu_(UINT32_MAX, UINT32_MAX) == 0xfffffffeu);
    CHECK(21, mulh_(0x80000000u, 2) == UINT32_MAX);
    CHECK(22, mulhsu_(0x80000000u, 2) == UINT32_MAX);
    CHECK(23, mulhu_(0x80000000u, 2) == 1);

    /* Register shifts use the low 5 bits of the amount. */
    CHECK(30, sll_(1, 32) == 1 && sll_(1, 31) == 0x80000000u && sll_(3, 0) == 3);
    CHECK(31, srl_(0x80000000u, 63) == 1 && sra_(0x80000000u, 63) == UINT32_MAX);

    /* 64-bit arithmetic: MUL/MULHU inline, division through libgcc. */
    volatile uint64_t big = 0x123456789abcdefull;
    CHECK(40, big * 3 == 0x369d0369d0369cdull);
    CHECK(41, big / 7 == 0x299c335ccf668full);
    CHECK(42, big % 7 == 6);
    volatile int64_t negative = -1000000000000ll;
    CHECK(43, negative / 3 == -333333333333ll && negative % 7 == -1);
    CHECK(44, fib64(20) == 6765);

    /* Jump tables, indirect calls, non-local jumps. */
    for (int i = 0; i < 8; i++)
        CHECK(50, classify(i) == 10 + i);
    CHECK(51, classify(8) == -1 && classify(-1) == -1);
    int (*volatile ops[2])(int) = { twice, square };
    CHECK(52, ops[0](21) == 42 && ops[1](12) == 144);
    int jumped = setjmp(env);
    if (jumped == 0)
        jump_back(5);
    CHECK(53, jumped == 5);

    /* The heap and stdio. */
    char *text = malloc(64);
    CHECK(60, text != NULL);
    snprintf(text, 64, "%d|%u|%x|%s|%05.1f", -42, 42u, 0xbeefu, "ok", 3.25);
    CHECK(61, strcmp(text, "-42|42|beef|ok|003.2") == 0 || strcmp(text, "-42|42|beef|ok|003.3") == 0);
    char *bigger = realloc(text, 1 << 16);
    CHECK(62, bigger != NULL && strncmp(bigger, "-42|", 4) == 0);
    memset(bigger, 'x', 1 << 16);
    free(bigger);
    CHECK(63, calloc(1, 1u << 30) == NULL); /* the heap cannot satisfy 1 GiB */

    /* Cycles advance. */
    uint64_t before = zkvm_cycles();
    CHECK(70, zkvm_cycles() > before);
    printf("c_semantics: all checks passed\n");
    return 0;
}
