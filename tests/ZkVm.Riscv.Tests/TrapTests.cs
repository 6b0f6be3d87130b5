using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;

namespace ZkVm.Riscv.Tests;

/// <summary>Every way a run can end without HALT ends it cleanly, with the cause and the pc of the
/// faulting instruction (labelled <c>fault</c> in each program), in both executors.</summary>
public class TrapTests
{
    public static TheoryData<string, string, TrapCause> Programs => new()
    {
        { "misaligned_lw", "la a0, data\n addi a0, a0, 2\nfault: lw a1, 0(a0)", TrapCause.MisalignedAccess },
        { "misaligned_lh", "la a0, data\n addi a0, a0, 1\nfault: lh a1, 0(a0)", TrapCause.MisalignedAccess },
        { "misaligned_lhu", "la a0, data\n addi a0, a0, 3\nfault: lhu a1, 0(a0)", TrapCause.MisalignedAccess },
        { "misaligned_sw", "la a0, data\n addi a0, a0, 1\nfault: sw a1, 0(a0)", TrapCause.MisalignedAccess },
        { "misaligned_sh", "la a0, data\n addi a0, a0, 1\nfault: sh a1, 0(a0)", TrapCause.MisalignedAccess },
        { "null_load", "li a0, 0\nfault: lw a1, 0(a0)", TrapCause.UnmappedAccess },
        { "load_above_memory", "li a0, 0x20000000\nfault: lb a1, 0(a0)", TrapCause.UnmappedAccess },
        { "load_from_code", "la a0, _start\nfault: lw a1, 0(a0)", TrapCause.UnmappedAccess },
        { "store_to_code", "la a0, _start\nfault: sw a1, 0(a0)", TrapCause.UnmappedAccess },
        { "ebreak", "nop\nfault: ebreak", TrapCause.Breakpoint },
        { "illegal_word", "nop\nfault: .word 0xffffffff", TrapCause.IllegalInstruction },
        { "csr_instruction", "fault: .word 0xc0001073", TrapCause.IllegalInstruction },
        { "jalr_misaligned", "la a0, _start\n addi a0, a0, 2\nfault: jalr a0", TrapCause.BadJumpTarget },
        { "jalr_to_data", "la a0, data\nfault: jr a0", TrapCause.BadJumpTarget },
        { "unknown_syscall", "li a7, 99\nfault: ecall", TrapCause.UnknownSyscall },
        { "write_bad_fd", "li a0, 7\n li a7, 2\nfault: ecall", TrapCause.BadSyscallArgument },
        { "commit_from_code", "la a0, _start\n li a1, 4\n li a7, 3\nfault: ecall", TrapCause.UnmappedAccess },
        { "infinite_loop", "fault: j fault", TrapCause.CycleLimit },
        { "store_to_rodata", "la a0, constant\n li a1, 5\nfault: sw a1, 0(a0)", TrapCause.ReadOnlyWrite },
        { "read_into_rodata", "la a0, constant\n li a1, 4\n li a7, 1\nfault: ecall", TrapCause.ReadOnlyWrite },
        { "write_unmapped", "li a0, 1\n li a1, 0x100\n li a2, 4\n li a7, 2\nfault: ecall", TrapCause.UnmappedAccess },
        { "write_too_long", "li a0, 1\n la a1, data\n li a2, 0x1000000\n li a7, 2\nfault: ecall", TrapCause.BadSyscallArgument },
        { "commit_above_memory", "li a0, 0x1ffffffe\n li a1, 4\n li a7, 3\nfault: ecall", TrapCause.UnmappedAccess },
    };

    const ulong MaxCycles = 100_000;

    internal static string Source(string body) => $"""
        .text
        .globl _start
        _start:
        {body}
            li a0, 0
            li a7, 0
            ecall
        .data
        .align 4
        data: .word 0x11223344, 0x55667788
        .section .rodata
        .align 4
        constant: .word 42
        """;

    [Theory]
    [MemberData(nameof(Programs))]
    public void Interpreter_traps_with_cause_and_pc(string name, string body, TrapCause cause)
    {
        var program = Guests.Load(Guests.FromText(name + ".S", Source(body), bare: true));
        uint faultPc = program.Symbols.Single(s => s.Name == "fault").Value;
        var result = Interpreter.Run(program, "input"u8.ToArray(), new ExecutionOptions { MaxCycles = MaxCycles });
        Assert.Null(result.ExitCode);
        var trap = Assert.IsType<Trap>(result.Trap);
        Assert.Equal(cause, trap.Cause);
        Assert.Equal(faultPc, trap.Pc);
        Assert.Equal(TrapCodes.Of(cause), trap.ToException().Code);
        if (cause == TrapCause.CycleLimit)
            Assert.Equal(MaxCycles, result.Cycles);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Record_stepper_traps_identically(string name, string body, TrapCause cause)
    {
        var program = Guests.Load(Guests.FromText(name + ".S", Source(body), bare: true));
        var options = new ExecutionOptions { MaxCycles = MaxCycles };
        var fast = Interpreter.Run(program, "input"u8.ToArray(), options);
        var (records, slow) = ReExecutor.RunWithRecords(program, "input"u8.ToArray(), options);
        Assert.Equal(cause, slow.Trap?.Cause);
        Assert.Equal(fast.Trap!.Pc, slow.Trap!.Pc);
        Assert.Equal(fast.Cycles, slow.Cycles);
        Assert.Equal((ulong)records.Count, slow.Cycles);
        Assert.Equal(fast.Registers, slow.Registers);

        // Recording ends a trapping run where the plain run ends it.
        using var trace = Interpreter.Record(program, "input"u8.ToArray(), options with { CheckpointInterval = 5 });
        Assert.Equal(fast.Cycles, trace.Result.Cycles);
    }

    [Fact]
    public void Memory_limit_stops_a_guest_that_touches_too_much()
    {
        var elf = Guests.FromText("hog.c", """
            #include <stdlib.h>
            #include <string.h>
            int main(void) { char *p = malloc(4 << 20); if (!p) return 9; memset(p, 1, 4 << 20); return p[12345]; }
            """, bare: false);
        var result = Interpreter.Run(Guests.Load(elf), default, new ExecutionOptions { MemoryLimitBytes = 1 << 20 });
        Assert.Equal(TrapCause.MemoryLimit, result.Trap?.Cause);
        Assert.True(result.MemoryBytes <= 1 << 20);
        var unlimited = Interpreter.Run(Guests.Load(elf), default);
        Assert.Equal(1, unlimited.ExitCode);
    }

    [Fact]
    public void Abort_and_failed_assert_end_the_run_with_a_nonzero_exit_code()
    {
        var aborting = Interpreter.Run(Guests.Load(Guests.FromText("abort.c", """
            #include <stdio.h>
            #include <stdlib.h>
            int main(void) { printf("before abort\n"); abort(); }
            """, bare: false)), default);
        Assert.Null(aborting.Trap);
        Assert.Equal(134, aborting.ExitCode); // 128 + SIGABRT, docs/GUEST_ABI.md
        Assert.Equal("before abort\n", System.Text.Encoding.ASCII.GetString(aborting.Stdout));

        var asserting = Interpreter.Run(Guests.Load(Guests.FromText("assert.c", """
            #include <assert.h>
            #include "zkvm.h"
            int main(void) { unsigned char n = 0; zkvm_read(&n, 1); assert(n == 42); return 0; }
            """, bare: false)), new byte[] { 41 });
        Assert.Null(asserting.Trap);
        Assert.Equal(134, asserting.ExitCode);
        Assert.Contains("assert", System.Text.Encoding.ASCII.GetString(asserting.Stderr), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Main_return_value_is_the_exit_code_and_stdout_is_flushed()
    {
        var result = Interpreter.Run(Guests.Load(Guests.FromText("exit7.c", """
            #include <stdio.h>
            int main(void) { printf("no newline at the end"); return 7; }
            """, bare: false)), default);
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("no newline at the end", System.Text.Encoding.ASCII.GetString(result.Stdout));
    }
}
