/* The guest program: reads n from its private input, publishes fib(n) in its journal.
 * Everything this program does is proven; the input stays private, the journal is public. */
#include <stdint.h>
#include <stdio.h>
#include "zkvm.h"

int main(void)
{
    /* The private input: a decimal number (inputs/*.txt). */
    char text[16] = {0};
    size_t length = zkvm_read(text, sizeof text - 1);
    uint32_t n = 0;
    for (size_t i = 0; i < length && text[i] >= '0' && text[i] <= '9'; i++)
        n = n * 10 + (uint32_t)(text[i] - '0');

    uint64_t a = 0, b = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t next = a + b;
        a = b;
        b = next;
    }

    /* The public output: what a verifier learns, bound to this program by the proof. */
    zkvm_commit(&a, sizeof a);
    printf("fib(%lu) = %llu\n", (unsigned long)n, (unsigned long long)a);
    return 0;
}
