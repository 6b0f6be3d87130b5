/* crt0.S — entry point of a zkvm guest: registers the ABI expects, then the C runtime. */
    .section .text.zkvm_start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __zkvm_stack_top
    la tp, __tls_base
    call __zkvm_main
    /* __zkvm_main never returns; a HALT with a distinct code guards against a broken libc. */
    li a0, 255
    li a7, 0
    ecall
