/* runtime.c — zkvm syscalls, and the glue that runs picolibc on them (stdio, exit, heap). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "zkvm.h"

static inline uint32_t zkvm_syscall3(uint32_t number, uint32_t a0, uint32_t a1, uint32_t a2)
{
    register uint32_t r_a0 __asm__("a0") = a0;
    register uint32_t r_a1 __asm__("a1") = a1;
    register uint32_t r_a2 __asm__("a2") = a2;
    register uint32_t r_a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a2), "r"(r_a7) : "memory");
    return r_a0;
}

size_t zkvm_read(void *buf, size_t len)
{
    return zkvm_syscall3(ZKVM_SYS_READ, (uint32_t)(uintptr_t)buf, len, 0);
}

void zkvm_commit(const void *buf, size_t len)
{
    zkvm_syscall3(ZKVM_SYS_COMMIT, (uint32_t)(uintptr_t)buf, len, 0);
}

void zkvm_write(int fd, const void *buf, size_t len)
{
    zkvm_syscall3(ZKVM_SYS_WRITE, (uint32_t)fd, (uint32_t)(uintptr_t)buf, len);
}

uint64_t zkvm_cycles(void)
{
    register uint32_t lo __asm__("a0");
    register uint32_t hi __asm__("a1");
    register uint32_t r_a7 __asm__("a7") = ZKVM_SYS_CYCLES;
    __asm__ volatile("ecall" : "=r"(lo), "=r"(hi) : "r"(r_a7) : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* stdout and stderr are line-buffered in the guest so that printf costs one syscall per line. */
struct zkvm_stream {
    FILE file;
    int fd;
    size_t used;
    char buf[256];
};

static int zkvm_flush(FILE *f)
{
    struct zkvm_stream *s = (struct zkvm_stream *)f;
    if (s->used) {
        zkvm_write(s->fd, s->buf, s->used);
        s->used = 0;
    }
    return 0;
}

static int zkvm_put(char c, FILE *f)
{
    struct zkvm_stream *s = (struct zkvm_stream *)f;
    s->buf[s->used++] = c;
    if (c == '\n' || s->used == sizeof s->buf)
        zkvm_flush(f);
    return (unsigned char)c;
}

static int zkvm_get(FILE *f)
{
    (void)f;
    return EOF;
}

static struct zkvm_stream zkvm_stdout = { FDEV_SETUP_STREAM(zkvm_put, zkvm_get, zkvm_flush, _FDEV_SETUP_RW), 1, 0, {0} };
static struct zkvm_stream zkvm_stderr = { FDEV_SETUP_STREAM(zkvm_put, zkvm_get, zkvm_flush, _FDEV_SETUP_RW), 2, 0, {0} };

FILE *const stdin = &zkvm_stdout.file;
FILE *const stdout = &zkvm_stdout.file;
FILE *const stderr = &zkvm_stderr.file;

ZKVM_NORETURN void zkvm_halt(int code)
{
    zkvm_flush(&zkvm_stdout.file);
    zkvm_flush(&zkvm_stderr.file);
    zkvm_syscall3(ZKVM_SYS_HALT, (uint32_t)code, 0, 0);
    __builtin_unreachable();
}

/* picolibc ends every path here: exit() and _Exit(). */
ZKVM_NORETURN void _exit(int code)
{
    zkvm_halt(code);
}

/* abort() and a failed assert() raise SIGABRT; picolibc's raise() delivers it with kill(getpid()).
   There is one process and no handler outside it: the signal ends the run with 128 + signal. */
pid_t getpid(void)
{
    return 1;
}

int kill(pid_t pid, int sig)
{
    (void)pid;
    zkvm_halt(128 + sig);
}

/* write(2) for the few picolibc paths that bypass stdio. */
ssize_t write(int fd, const void *buf, size_t len)
{
    if (fd != 1 && fd != 2)
        return -1;
    zkvm_flush(fd == 1 ? stdout : stderr);
    zkvm_write(fd, buf, len);
    return (ssize_t)len;
}

/*
 * C++ without libstdc++ (Debian ships none for riscv64-unknown-elf): the few symbols that classes,
 * virtual functions, new/delete and static objects need, written in C under their mangled names
 * (ILP32: size_t is unsigned int, "j"). No exceptions, so a failed new aborts. Static objects' destructors
 * are registered and run by exit(), as in a hosted C++ program.
 */
void *_Znwj(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        abort();
    return p;
}
void *_Znaj(size_t size) { return _Znwj(size); }
void _ZdlPv(void *p) { free(p); }
void _ZdaPv(void *p) { free(p); }
void _ZdlPvj(void *p, size_t size) { (void)size; free(p); }
void _ZdaPvj(void *p, size_t size) { (void)size; free(p); }
/* A pure virtual function called through a half-built or half-destroyed object. */
void __cxa_pure_virtual(void) { abort(); }
void *__dso_handle = &__dso_handle;

extern int main(int argc, char **argv);
extern void __libc_init_array(void);

/* Called by crt0.S: the ELF loader has already placed .data and zeroed .bss. */
ZKVM_NORETURN void __zkvm_main(void)
{
    static char *argv[] = { "guest", NULL };
    __libc_init_array();
    exit(main(1, argv));
}
