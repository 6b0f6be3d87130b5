/* zkvm_io.h — the zkVM I/O interface of the eth-act zkVM standards (standards/io-interface), so that a guest
   written to it builds unchanged: the private input as one read-only buffer, and the public output (our
   journal) as the concatenation of what write_output is given. */
#ifndef ZKVM_IO_H
#define ZKVM_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sets *buf_ptr to the whole private input and *buf_size to its length (when 0, *buf_ptr is not to be used).
   Cannot fail; may be called any number of times and always gives the same buffer. The runtime reads the
   input on the first call, so a guest uses either this or zkvm_read, not both. */
void read_input(const uint8_t **buf_ptr, size_t *buf_size);

/* Appends size bytes to the public output. Cannot fail. */
void write_output(const uint8_t *output, size_t size);

#ifdef __cplusplus
}
#endif

#endif
