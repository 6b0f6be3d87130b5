/* portable-io: written only to the zkVM I/O interface of the eth-act zkVM standards (zkvm_io.h), so it
   builds unchanged for any zkVM that provides it. Reads its input, writes the input's length and its
   Adler-32 (RFC 1950) to the public output, both little-endian, in two write_output calls. */
#include <stddef.h>
#include <stdint.h>
#include "zkvm_io.h"

static void put_u32(uint8_t out[4], uint32_t v)
{
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

int main(void)
{
    const uint8_t *input;
    size_t size;
    read_input(&input, &size);

    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < size; i++)
    {
        a = (a + input[i]) % 65521;
        b = (b + a) % 65521;
    }

    uint8_t out[4];
    put_u32(out, (uint32_t)size);
    write_output(out, sizeof out);
    put_u32(out, (b << 16) | a);
    write_output(out, sizeof out);
    return 0;
}
