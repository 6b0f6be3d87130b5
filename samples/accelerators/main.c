/* accelerators: SHA-256 and Keccak-256 of the whole input through the zkVM standards' accelerator header
   (zkvm_accelerators.h); the journal is the SHA-256 digest, then the Keccak-256 digest. It runs and proves on
   a machine with the accelerators: zkvm run/prove --extension accelerators, or ZkAccelerators in a project.
   Set HASHES to 1 (SHA-256 only) or 2 (Keccak-256 only) to measure one accelerator against samples/sha256 or
   samples/keccak256, which hash in software (docs/PERFORMANCE.md, "Accelerators"). */
#include <stdint.h>
#include <stdio.h>
#include "zkvm.h"
#include "zkvm_accelerators.h"

#ifndef HASHES
#define HASHES 3
#endif

/* The input lands here in one READ: word-aligned, so the hashes take their fast paths. */
static uint8_t input[4 << 20];

int main(void)
{
    size_t size = 0, n;
    while ((n = zkvm_read(input + size, sizeof input - size)) > 0)
        size += n;
    uint8_t digest[32];
    if (HASHES & 1) {
        zkvm_sha256(input, size, digest);
        zkvm_commit(digest, sizeof digest);
    }
    if (HASHES & 2) {
        zkvm_keccak256(input, size, digest);
        zkvm_commit(digest, sizeof digest);
    }
    printf("%u bytes hashed\n", (unsigned)size);
    return 0;
}
