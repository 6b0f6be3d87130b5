using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using Cols = ZkVm.Machine.Chips.SyscallChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class SyscallChipTests
{
    static readonly Lazy<SyscallHarness> All = new(() =>
    {
        var (elf, input) = SyscallHarness.AllSyscalls();
        return SyscallHarness.Run(elf, input);
    });

    static RowMajorMatrix With(RowMajorMatrix m, int row, int column, BabyBear value)
    {
        var copy = m.Clone();
        copy[row, column] = value;
        return copy;
    }

    [Fact]
    public void A_bare_guest_making_every_syscall_fills_and_passes()
    {
        var h = All.Value;
        Assert.Equal(0x10007u, h.Witness.ExitCode);
        foreach (uint number in new[] { Syscalls.Halt, Syscalls.Read, Syscalls.Write, Syscalls.Commit, Syscalls.Cycles })
            h.SyscallRow(number);
        TraceChecker.CheckConstraints(new TableTrace(new SyscallChip(), h.Syscall, SyscallChip.PublicValuesOf(0)));
        h.Check();
        Assert.Equal(45, h.Witness.Journal.Length);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("textstats")]
    public void A_sample_that_reads_and_commits_fills_and_passes(string sample)
    {
        var h = SyscallHarness.Run(Guests.SampleElf(sample), Guests.SampleInput(sample));
        Assert.NotEmpty(h.Witness.Journal);
        h.SyscallRow(Syscalls.Read);
        h.SyscallRow(Syscalls.Commit);
        h.Check();
    }

    [Theory]
    [InlineData(Syscalls.Halt)]
    [InlineData(Syscalls.Read)]
    [InlineData(Syscalls.Write)]
    [InlineData(Syscalls.Commit)]
    [InlineData(Syscalls.Cycles)]
    public void Every_column_changed_is_rejected(uint number)
    {
        var h = All.Value;
        // The first such ECALL, and for READ/COMMIT also one that moves nothing.
        var rows = new List<int> { h.SyscallRow(number) };
        if (number == Syscalls.Read) rows.Add(h.SyscallRow(number, 10));
        if (number == Syscalls.Commit) rows.Add(h.SyscallRow(number, 9));
        foreach (int row in rows)
            // Every column: the ones this syscall does not use must stay 0.
            for (int column = 0; column < new SyscallChip().MainWidth; column++)
                foreach (var delta in new[] { BabyBear.One, -BabyBear.One })
                    h.Rejects(With(h.Syscall, row, column, h.Syscall[row, column] + delta), h.Transfer,
                        $"column {Cols.MainNames[column]} of the a7 = {number} row {row} changed by {delta}");
    }

    [Fact]
    public void Rows_that_move_nothing_are_the_empty_read_and_commit()
    {
        var h = All.Value;
        Assert.Equal(BabyBear.Zero, h.Syscall[h.SyscallRow(Syscalls.Read, 10), Cols.Moves]);
        Assert.Equal(BabyBear.Zero, h.Syscall[h.SyscallRow(Syscalls.Commit, 9), Cols.Moves]);
        Assert.Equal(BabyBear.One, h.Syscall[h.SyscallRow(Syscalls.Read, 9), Cols.Moves]);
    }

    [Fact]
    public void Attack_a_halt_with_another_exit_code_is_rejected()
    {
        var h = All.Value;
        // The verifier is told another exit code: the honest HALT row's halt tuple does not match it.
        h.Rejects(h.Syscall, h.Transfer, "public exit code 0x10008", exitCode: 0x10008);
        h.Rejects(h.Syscall, h.Transfer, "public exit code with another high limb", exitCode: 0x20007);
        // The prover claims that code in the HALT row, with every other table bent to agree: the
        // halt tuple is what a0 holds, so only the public code can match it... and it is the real one.
        int row = h.SyscallRow(Syscalls.Halt);
        var forged = With(h.Syscall, row, Cols.A0Lo, SyscallHarness.F(8));
        h.Rejects(forged, h.Transfer, "HALT row sends exit code 0x10008 while the public code is 0x10007", adversarialRest: true);
        // Against the honest rest of the machine, a0 holds 0x10007, so the read itself fails too.
        h.Rejects(forged, h.Transfer, "HALT row reads a0 = 0x10008", exitCode: 0x10008);
        // A HALT that passes the execution on (as a WRITE would) to run further is not a HALT.
        var resumed = With(With(h.Syscall, row, Cols.IsHalt, BabyBear.Zero), row, Cols.IsWrite, BabyBear.One);
        h.Rejects(resumed, h.Transfer, "HALT row relabelled WRITE", adversarialRest: true);
    }

    [Fact]
    public void Attack_a_read_returning_more_than_len_is_rejected()
    {
        // len = 2 with 3 bytes of input: the honest READ returns 2 at an aligned buffer.
        string elf = Guests.FromText("syscall_short_read.S", """
            .globl _start
            _start:
                la a0, buf
                li a1, 2
                li a7, 1
                ecall
                li a0, 0
                li a7, 0
                ecall
                .data
                .balign 4
            buf: .word 0
            """, bare: true);
        var h = SyscallHarness.Run(elf, [1, 2, 3]);
        h.Check();
        int row = h.SyscallRow(Syscalls.Read);
        Assert.Single(h.Witness.Transfers);
        // Forge n = 3: a0 = 3, slack = len − n = −1, and the transfer row writes 3 bytes. Every other
        // table is the adversary's, so only n ≤ len can stop it.
        var s = h.Syscall.Clone();
        s[row, Cols.OutLo] = SyscallHarness.F(3);
        s[row, Cols.SlackLo] = -BabyBear.One;
        s[row, Cols.SlackHi] = BabyBear.Zero;
        s[row, Cols.MovesInv] = SyscallHarness.F(3).Inverse();
        var t = h.Transfer.Clone();
        var tc = TransferChip.Columns.Count;
        t[0, tc + 1] = BabyBear.Zero;
        t[0, tc + 2] = BabyBear.One;
        t[0, TransferChip.Columns.Remaining] = SyscallHarness.F(3);
        t[0, TransferChip.Columns.New + 2] = SyscallHarness.F(3);
        // Without the n ≤ len check this forgery would balance: make sure only the slack's range fails.
        foreach (var table in SyscallHarness.Tables(s, t)) TraceChecker.CheckConstraints(table);
        var e = Assert.Throws<ZkVmException>(() => h.Check(s, t, adversarialRest: true));
        Assert.Contains("bytes", e.Message);
        // Any slack that does satisfy len − n = slack is out of range: try the u16 route too.
        s[row, Cols.SlackLo] = SyscallHarness.F(0xFFFF);
        s[row, Cols.SlackHi] = (-BabyBear.One - SyscallHarness.F(0xFFFF)) * SyscallHarness.F(1 << 16).Inverse();
        h.Rejects(s, t, "n = len + 1 with the slack's high limb huge", adversarialRest: true);
    }

    [Fact]
    public void Attack_cycles_reporting_another_cycle_is_rejected()
    {
        var h = All.Value;
        int row = h.SyscallRow(Syscalls.Cycles, 1);
        // cycle + p fits two u16 limbs and 4·(cycle + p) ≡ 4·cycle: the high limb's byte check stops it.
        uint cycle = h.Syscall[row, Cols.OutLo].ToCanonical() + (h.Syscall[row, Cols.OutHi].ToCanonical() << 16);
        ulong forged = cycle + (ulong)BabyBear.P;
        var s = h.Syscall.Clone();
        s[row, Cols.OutLo] = SyscallHarness.F((uint)(forged & 0xFFFF));
        s[row, Cols.OutHi] = SyscallHarness.F((uint)(forged >> 16));
        h.Rejects(s, h.Transfer, "CYCLES returning cycle + p", adversarialRest: true);
    }

    [Fact]
    public void Attack_a_commit_length_that_wraps_the_field_is_rejected()
    {
        var h = All.Value;
        int row = h.SyscallRow(Syscalls.Commit, 4);
        uint len = h.Syscall[row, Cols.LenLo].ToCanonical();
        // a1 = len + p: valid u16 limbs, the same field element, but a length the emulator refuses
        // (over 2^24). Every other table is the adversary's, so only len < 2^24 can stop it.
        uint wrapped = len + BabyBear.P;
        var s = h.Syscall.Clone();
        s[row, Cols.LenLo] = SyscallHarness.F(wrapped & 0xFFFF);
        s[row, Cols.LenHi] = SyscallHarness.F(wrapped >> 16);
        h.Rejects(s, h.Transfer, "COMMIT of len + p bytes proven as len", adversarialRest: true);
    }

    [Fact]
    public void Attack_a_write_length_that_wraps_the_field_is_rejected()
    {
        var h = All.Value;
        int row = h.SyscallRow(Syscalls.Write);
        uint len = h.Syscall[row, Cols.A2Lo].ToCanonical();
        Assert.NotEqual(0u, len);
        // a2 = len + p: the same field element with valid u16 limbs, a length the emulator refuses (ZK2109).
        // Every other table is the adversary's, so only a2's high limb being a byte can stop it.
        uint wrapped = len + BabyBear.P;
        var s = h.Syscall.Clone();
        s[row, Cols.A2Lo] = SyscallHarness.F(wrapped & 0xFFFF);
        s[row, Cols.A2Hi] = SyscallHarness.F(wrapped >> 16);
        h.Rejects(s, h.Transfer, "WRITE of len + p bytes proven as len", adversarialRest: true);
    }

    [Fact]
    public void Attack_a_write_buffer_that_wraps_the_field_is_rejected()
    {
        var h = All.Value;
        int row = h.SyscallRow(Syscalls.Write);
        // WRITE's buffer is a1 (the a1 columns): buf + p is outside guest memory, but buf in the field.
        uint wrapped = h.Syscall[row, Cols.LenLo].ToCanonical() + (h.Syscall[row, Cols.LenHi].ToCanonical() << 16) + BabyBear.P;
        var s = h.Syscall.Clone();
        s[row, Cols.LenLo] = SyscallHarness.F(wrapped & 0xFFFF);
        s[row, Cols.LenHi] = SyscallHarness.F(wrapped >> 16);
        h.Rejects(s, h.Transfer, "WRITE at buf + p proven at buf", adversarialRest: true);
    }

    [Fact]
    public void Attack_a_write_to_another_fd_is_rejected()
    {
        var h = All.Value;
        int row = h.SyscallRow(Syscalls.Write);
        foreach (uint fd in new uint[] { 0, 3, 7, 1 + 0x10000 })
        {
            var s = h.Syscall.Clone();
            s[row, Cols.A0Lo] = SyscallHarness.F(fd & 0xFFFF);
            s[row, Cols.A0Hi] = SyscallHarness.F(fd >> 16);
            h.Rejects(s, h.Transfer, $"WRITE to fd {fd} proven", adversarialRest: true);
        }
    }

    [Fact]
    public void Attack_a_buffer_address_that_wraps_the_field_is_rejected()
    {
        var h = All.Value;
        foreach (var (number, n) in new[] { (Syscalls.Read, 4), (Syscalls.Commit, 4) })
        {
            int row = h.SyscallRow(number, n);
            uint buf = h.Syscall[row, Cols.A0Lo].ToCanonical() + (h.Syscall[row, Cols.A0Hi].ToCanonical() << 16);
            // buf + p lies outside guest memory (the emulator traps), but is buf in the field: the
            // transfer rows would touch buf's words. Only buf < 2^29 can stop it.
            uint wrapped = buf + BabyBear.P;
            var s = h.Syscall.Clone();
            s[row, Cols.A0Lo] = SyscallHarness.F(wrapped & 0xFFFF);
            s[row, Cols.A0Hi] = SyscallHarness.F(wrapped >> 16);
            if (number == Syscalls.Read)
                (s[row, Columns.Index(new SyscallChip(), "Out.PrevLo")], s[row, Columns.Index(new SyscallChip(), "Out.PrevHi")]) = (s[row, Cols.A0Lo], s[row, Cols.A0Hi]);
            h.Rejects(s, h.Transfer, $"a7 = {number} at buf + p proven at buf", adversarialRest: true);
        }
    }
}
