/* zkvm_io.c — the standard I/O interface (zkvm_io.h) over zkvm.h, for the runtime and for native.c alike:
   the input read once, into a buffer that grows as it fills; the output appended to the journal. */
#include <stdlib.h>
#include "zkvm.h"
#include "zkvm_io.h"

void read_input(const uint8_t **buf_ptr, size_t *buf_size)
{
    static uint8_t *input;
    static size_t size;
    static int done;
    if (!done)
    {
        size_t capacity = 0;
        for (;;)
        {
            if (size == capacity)
            {
                capacity = capacity ? 2 * capacity : 4096;
                input = realloc(input, capacity);
                if (input == NULL)
                    abort();
            }
            size_t n = zkvm_read(input + size, capacity - size);
            if (n == 0)
                break;
            size += n;
        }
        done = 1;
    }
    *buf_ptr = input;
    *buf_size = size;
}

void write_output(const uint8_t *output, size_t size)
{
    zkvm_commit(output, size);
}
