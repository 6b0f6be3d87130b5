/* fibonacci: reads n (u32, little-endian) and commits F(n) mod 2^64. */
#include <stdint.h>
#include <stdio.h>
#include "zkvm.h"

int main(void)
{
    uint32_t n = 0;
    if (zkvm_read(&n, sizeof n) != sizeof n)
        return 2;
    uint64_t a = 0, b = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t next = a + b;
        a = b;
        b = next;
    }
    zkvm_commit(&a, sizeof a);
    printf("fib(%lu) mod 2^64 = %llu\n", (unsigned long)n, (unsigned long long)a);
    return 0;
}
