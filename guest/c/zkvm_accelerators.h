/* zkvm_accelerators.h — the hash accelerators (docs/GUEST_ABI.md, "Accelerators").
   zkvm_sha256 and zkvm_keccak256 are those of the eth-act zkVM standards' C interface
   (standards/c-interface-accelerators), so a guest written to it for these two builds unchanged; the other
   operations that standard names (secp256k1, BN254, BLS12-381, ...) are not offered. The lower-level calls
   below them are ours. A program that calls any of them runs and proves only on a machine with the
   "accelerators" extension (zkvm --extension accelerators; <ZkExtension Include="accelerators" /> in a project). */
#ifndef ZKVM_ACCELERATORS_H
#define ZKVM_ACCELERATORS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZKVM_HASH_KECCAK256_LEN 32
#define ZKVM_HASH_SHA256_LEN 32

/* Syscall numbers (a7) of the accelerators. Normative values: docs/GUEST_ABI.md. */
#define ZKVM_SYS_SHA256_COMPRESS   0x100
#define ZKVM_SYS_KECCAKF           0x101
#define ZKVM_SYS_POSEIDON2_PERMUTE 0x102

/* SHA-256 (FIPS 180-4) of len bytes at data. Fastest when data is 4-byte aligned. */
void zkvm_sha256(const uint8_t *data, const size_t len, uint8_t output[ZKVM_HASH_SHA256_LEN]);

/* Keccak-256 with Ethereum's padding (0x01 ... 0x80, not SHA3-256's 0x06) of len bytes at data. */
void zkvm_keccak256(const uint8_t *data, const size_t len, uint8_t output[ZKVM_HASH_KECCAK256_LEN]);

/* One SHA-256 compression: state holds H0..H7 as numbers; block is the 64 message bytes in order (FIPS 180-4's
   big-endian words, as they lie in memory). Both 4-byte aligned; they may overlap. */
void zkvm_sha256_compress(uint32_t state[8], const uint32_t block[16]);

/* Keccak-f[1600] on 25 lanes in place (lane x + 5y; each little-endian, as Keccak's byte order puts them). */
void zkvm_keccakf(uint64_t state[25]);

/* The Poseidon2 permutation of the prover's commitments (BabyBear, width 16) in place; every word must be below
   p = 0x78000001, or the call traps. */
void zkvm_poseidon2_permute(uint32_t state[16]);

#ifdef __cplusplus
}
#endif

#endif
