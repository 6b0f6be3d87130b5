/* native.c — zkvm.h on a hosted libc, to run a guest natively (debugging, the speed baseline
   of docs/PERFORMANCE.md): input from stdin, journal as hex on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "zkvm.h"

size_t zkvm_read(void *buf, size_t len) { return fread(buf, 1, len, stdin); }

void zkvm_commit(const void *buf, size_t len)
{
    fputs("journal: ", stderr);
    for (size_t i = 0; i < len; i++)
        fprintf(stderr, "%02x", ((const unsigned char *)buf)[i]);
    fputc('\n', stderr);
}

void zkvm_write(int fd, const void *buf, size_t len) { (void)!write(fd, buf, len); }

ZKVM_NORETURN void zkvm_halt(int code) { exit(code); }

uint64_t zkvm_cycles(void) { return 0; }
