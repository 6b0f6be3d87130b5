/* zkvm.h — the guest side of docs/GUEST_ABI.md for C and C++ guests. */
#ifndef ZKVM_H
#define ZKVM_H

#include <stddef.h>
#include <stdint.h>

/* C has _Noreturn, C++ has [[noreturn]]. */
#ifdef __cplusplus
#define ZKVM_NORETURN [[noreturn]]
#else
#define ZKVM_NORETURN _Noreturn
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Syscall numbers (a7). Normative values: docs/GUEST_ABI.md. */
#define ZKVM_SYS_HALT   0
#define ZKVM_SYS_READ   1
#define ZKVM_SYS_WRITE  2
#define ZKVM_SYS_COMMIT 3
#define ZKVM_SYS_CYCLES 4

/* Reads up to len bytes of the private input; returns how many were read (0 at the end). */
size_t zkvm_read(void *buf, size_t len);

/* Appends len bytes to the public journal. */
void zkvm_commit(const void *buf, size_t len);

/* Writes len bytes to the host's stdout (fd 1) or stderr (fd 2); not part of the proof. */
void zkvm_write(int fd, const void *buf, size_t len);

/* Ends the run with this exit code (0 = success). Flushes stdout and stderr first. */
ZKVM_NORETURN void zkvm_halt(int code);

/* Instructions retired before this call. */
uint64_t zkvm_cycles(void);

#ifdef __cplusplus
}
#endif

#endif
