/* loop: a tight integer loop for measuring the interpreter (docs/PERFORMANCE.md). Reads the
   iteration count (u32, little-endian; 100 000 000 without input; input.bin asks for 10 000, the
   size the tests use) and commits the result. */
#include <stdint.h>
#include <stdio.h>
#include "zkvm.h"

__attribute__((noinline)) static uint32_t spin(uint32_t n)
{
    uint32_t x = 1;
    for (uint32_t i = 0; i < n; i++)
        x = (x ^ i) * 31 + (x >> 3);
    return x;
}

int main(void)
{
    uint32_t n = 100000000;
    zkvm_read(&n, sizeof n);
    uint32_t x = spin(n);
    zkvm_commit(&x, sizeof x);
    printf("spin(%lu) = %lu\n", (unsigned long)n, (unsigned long)x);
    return 0;
}
