/* keccak256: Keccak-256 (Ethereum's padding) in software over the whole input; the journal is the digest.
   samples/accelerators computes the same digest with the Keccak-f accelerator. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "zkvm.h"

/* FIPS 202 §3.2.5: the round constants of ι. */
static const uint64_t RC[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* FIPS 202 §3.2.2: ρ's offset of lane x + 5y. */
static const int RHO[25] = { 0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14 };

static uint64_t rotl(uint64_t x, int n) { return n ? (x << n) | (x >> (64 - n)) : x; }

static void keccakf(uint64_t a[25])
{
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], d[5], b[25];
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++) a[i] ^= d[i % 5];
        /* ρ and π: lane (x, y) moves to (y, 2x + 3y). */
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], RHO[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        a[0] ^= RC[round];
    }
}

#define RATE 136

int main(void)
{
    uint64_t state[25] = { 0 };
    uint8_t *bytes = (uint8_t *)state, block[RATE];
    uint64_t total = 0;
    size_t n;
    while ((n = zkvm_read(block, RATE)) == RATE) {
        for (int i = 0; i < RATE; i++) bytes[i] ^= block[i];
        keccakf(state);
        total += n;
    }
    total += n;
    /* pad10*1 with Ethereum's domain byte 0x01 (SHA3-256 would use 0x06). */
    for (size_t i = 0; i < n; i++) bytes[i] ^= block[i];
    bytes[n] ^= 0x01;
    bytes[RATE - 1] ^= 0x80;
    keccakf(state);
    zkvm_commit(bytes, 32);
    for (int i = 0; i < 32; i++)
        printf("%02x", bytes[i]);
    printf("  (%llu bytes)\n", (unsigned long long)total);
    return 0;
}
