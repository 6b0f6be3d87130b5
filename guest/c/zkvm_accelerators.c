/* zkvm_accelerators.c — the calls of zkvm_accelerators.h: each operation one ECALL, the hashes' padding here.
   Linked from an archive, so a guest that calls none of them carries none of this code. */
#include <string.h>
#include "zkvm_accelerators.h"

static inline void zkvm_accelerate(uint32_t number, void *state, const void *input)
{
    register uint32_t r_a0 __asm__("a0") = (uint32_t)(uintptr_t)state;
    register uint32_t r_a1 __asm__("a1") = (uint32_t)(uintptr_t)input;
    register uint32_t r_a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : : "r"(r_a0), "r"(r_a1), "r"(r_a7) : "memory");
}

void zkvm_sha256_compress(uint32_t state[8], const uint32_t block[16])
{
    zkvm_accelerate(ZKVM_SYS_SHA256_COMPRESS, state, block);
}

void zkvm_keccakf(uint64_t state[25])
{
    zkvm_accelerate(ZKVM_SYS_KECCAKF, state, 0);
}

void zkvm_poseidon2_permute(uint32_t state[16])
{
    zkvm_accelerate(ZKVM_SYS_POSEIDON2_PERMUTE, state, 0);
}

void zkvm_sha256(const uint8_t *data, const size_t len, uint8_t output[ZKVM_HASH_SHA256_LEN])
{
    /* FIPS 180-4 §5.3.3. */
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint32_t block[16];
    size_t n = len;
    if (((uintptr_t)data & 3) == 0)
        for (; n >= 64; data += 64, n -= 64)
            zkvm_accelerate(ZKVM_SYS_SHA256_COMPRESS, h, data);
    else
        for (; n >= 64; data += 64, n -= 64) {
            memcpy(block, data, 64);
            zkvm_accelerate(ZKVM_SYS_SHA256_COMPRESS, h, block);
        }
    /* Padding (§5.1.1): 0x80, zeros, then the length in bits, big-endian, over one or two blocks. */
    uint8_t *bytes = (uint8_t *)block;
    memcpy(bytes, data, n);
    bytes[n] = 0x80;
    memset(bytes + n + 1, 0, 63 - n);
    if (n >= 56) {
        zkvm_accelerate(ZKVM_SYS_SHA256_COMPRESS, h, block);
        memset(bytes, 0, 56);
    }
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) bytes[63 - i] = (uint8_t)(bits >> (8 * i));
    zkvm_accelerate(ZKVM_SYS_SHA256_COMPRESS, h, block);
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < 4; i++) output[4 * k + i] = (uint8_t)(h[k] >> (24 - 8 * i));
}

/* Keccak-256's rate: 1088 bits. */
#define KECCAK256_RATE 136

void zkvm_keccak256(const uint8_t *data, const size_t len, uint8_t output[ZKVM_HASH_KECCAK256_LEN])
{
    uint64_t state[25] = { 0 };
    uint32_t *words = (uint32_t *)state;
    uint8_t *bytes = (uint8_t *)state;
    size_t n = len;
    for (; n >= KECCAK256_RATE; data += KECCAK256_RATE, n -= KECCAK256_RATE) {
        if (((uintptr_t)data & 3) == 0)
            for (int i = 0; i < KECCAK256_RATE / 4; i++) words[i] ^= ((const uint32_t *)data)[i];
        else
            for (int i = 0; i < KECCAK256_RATE; i++) bytes[i] ^= data[i];
        zkvm_accelerate(ZKVM_SYS_KECCAKF, state, 0);
    }
    for (size_t i = 0; i < n; i++) bytes[i] ^= data[i];
    /* Keccak's pad10*1 with Ethereum's domain byte 0x01. */
    bytes[n] ^= 0x01;
    bytes[KECCAK256_RATE - 1] ^= 0x80;
    zkvm_accelerate(ZKVM_SYS_KECCAKF, state, 0);
    memcpy(output, state, ZKVM_HASH_KECCAK256_LEN);
}
