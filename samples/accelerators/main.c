/* accelerators: SHA-256 and Keccak-256 of the whole input through the zkVM standards' accelerator header;
   the journal is the SHA-256 digest, then the Keccak-256 digest. Run and prove it with --extension accelerators. */
#include <stdint.h>
#include <stdio.h>
#include "zkvm.h"
#include "zkvm_io.h"
#include "zkvm_accelerators.h"

int main(void)
{
    const uint8_t *input;
    size_t size;
    read_input(&input, &size);
    uint8_t sha[ZKVM_HASH_SHA256_LEN], keccak[ZKVM_HASH_KECCAK256_LEN];
    zkvm_sha256(input, size, sha);
    zkvm_keccak256(input, size, keccak);
    write_output(sha, sizeof sha);
    write_output(keccak, sizeof keccak);
    printf("%u bytes hashed\n", (unsigned)size);
    return 0;
}
