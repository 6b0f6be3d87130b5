/* zicond: branchless selection with Zicond's czero.eqz and czero.nez, proven on the machine with the Zicond
   extension (samples/zicond/Zicond). Reads a u32 count and that many u32 values (little-endian); commits the
   maximum, the minimum, how many values are zero and a checksum, each computed without a branch, and checks
   them against plain C (exit 1 on a mismatch). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "zkvm.h"

/* rd = condition == 0 ? 0 : value. The assembler needs no Zicond support: .insn writes the R-type word
   (major opcode OP = 0x33, funct3 5, funct7 7). */
static inline uint32_t czero_eqz(uint32_t value, uint32_t condition)
{
    uint32_t rd;
    __asm__(".insn r 0x33, 5, 7, %0, %1, %2" : "=r"(rd) : "r"(value), "r"(condition));
    return rd;
}

/* rd = condition != 0 ? 0 : value (funct3 7). */
static inline uint32_t czero_nez(uint32_t value, uint32_t condition)
{
    uint32_t rd;
    __asm__(".insn r 0x33, 7, 7, %0, %1, %2" : "=r"(rd) : "r"(value), "r"(condition));
    return rd;
}

/* condition ? a : b, the idiom Zicond is made for. */
static inline uint32_t select(uint32_t condition, uint32_t a, uint32_t b)
{
    return czero_eqz(a, condition) | czero_nez(b, condition);
}

int main(void)
{
    uint32_t n;
    if (zkvm_read(&n, sizeof n) != sizeof n || n == 0 || n > (1u << 16))
        return 2;
    uint32_t *v = malloc(n * sizeof *v);
    if (!v || zkvm_read(v, n * sizeof *v) != n * sizeof *v)
        return 3;
    uint32_t max = v[0], min = v[0], zeros = 0, checksum = 0;
    for (uint32_t i = 0; i < n; i++)
    {
        max = select(v[i] > max, v[i], max);
        min = select(v[i] < min, v[i], min);
        zeros += select(v[i], 0, 1);
        checksum = checksum * 31 + czero_eqz(v[i], i & 1) + czero_nez(v[i] ^ 0x5a5a5a5a, i & 1);
    }
    uint32_t expected_max = v[0], expected_min = v[0], expected_zeros = 0, expected_checksum = 0;
    for (uint32_t i = 0; i < n; i++)
    {
        expected_max = v[i] > expected_max ? v[i] : expected_max;
        expected_min = v[i] < expected_min ? v[i] : expected_min;
        expected_zeros += v[i] == 0;
        expected_checksum = expected_checksum * 31 + ((i & 1) ? v[i] : v[i] ^ 0x5a5a5a5a);
    }
    if (max != expected_max || min != expected_min || zeros != expected_zeros || checksum != expected_checksum)
        return 1;
    uint32_t out[4] = {max, min, zeros, checksum};
    zkvm_commit(out, sizeof out);
    printf("%lu values: max %lu, min %lu, %lu zero, checksum %08lx\n", (unsigned long)n, (unsigned long)max,
           (unsigned long)min, (unsigned long)zeros, (unsigned long)checksum);
    free(v);
    return 0;
}
