using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Stark.Air;
using Cols = ZkVm.Machine.Chips.TransferChip.Columns;

namespace ZkVm.Machine.Tests.Chips;

public class TransferChipTests
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

    static BabyBear F(uint value) => BabyBear.FromCanonical(value);

    [Fact]
    public void Every_offset_and_count_of_both_kinds_fills_and_passes()
    {
        var h = All.Value;
        var words = h.Witness.Transfers;
        foreach (uint kind in new[] { MachineLayout.TransferRead, MachineLayout.TransferCommit })
        {
            for (int offset = 0; offset < 4; offset++)
                Assert.Contains(words, w => w.Kind == kind && w.Offset == offset);
            for (int count = 1; count <= 4; count++)
                Assert.Contains(words, w => w.Kind == kind && w.Count == count);
            Assert.Contains(words, w => w.Kind == kind && w.Last && w.Offset != 0);
            Assert.Contains(words, w => w.Kind == kind && !w.Last && w.Offset != 0);
        }
        TraceChecker.CheckConstraints(new TableTrace(new TransferChip(), h.Transfer));
        h.Check();
    }

    [Fact]
    public void The_journal_is_the_committed_bytes_of_memory()
    {
        var h = All.Value;
        // The i-th COMMIT (len i) copies i bytes from buf + (i+1)%4 + 8i, partly where the READs wrote.
        var journal = h.Witness.Journal;
        Assert.Equal(45, journal.Length);
        // The public journal decides: one byte off and the honest tables no longer balance.
        for (int i = 0; i < journal.Length; i += 7)
        {
            var other = (byte[])journal.Clone();
            other[i] ^= 1;
            h.Rejects(h.Syscall, h.Transfer, $"journal byte {i} flipped", journal: other);
        }
        h.Rejects(h.Syscall, h.Transfer, "journal one byte short", journal: journal[..^1]);
        h.Rejects(h.Syscall, h.Transfer, "journal one byte long", journal: [.. journal, 0]);
    }

    /// <summary>Representative rows: of each kind, a non-last unaligned row, a last row and a one-row chain.</summary>
    static IEnumerable<int> SampleRows(TransferWord[] words)
    {
        foreach (uint kind in new[] { MachineLayout.TransferRead, MachineLayout.TransferCommit })
        {
            yield return Array.FindIndex(words, w => w.Kind == kind && !w.Last && w.Offset != 0);
            yield return Array.FindIndex(words, w => w.Kind == kind && w.Last && w.Offset == 0);
            yield return Array.FindIndex(words, w => w.Kind == kind && w.Last && w.Offset != 0);
        }
    }

    [Fact]
    public void Every_column_changed_is_rejected()
    {
        var h = All.Value;
        var words = h.Witness.Transfers;
        foreach (int row in SampleRows(words))
        {
            Assert.True(row >= 0);
            for (int column = 0; column < new TransferChip().MainWidth; column++)
            {
                foreach (var delta in new[] { BabyBear.One, -BabyBear.One })
                    h.Rejects(h.Syscall, With(h.Transfer, row, column, h.Transfer[row, column] + delta),
                        $"column {Cols.MainNames[column]} of transfer row {row} ({words[row]}) changed by {delta}");
            }
        }
    }

    [Fact]
    public void Attack_a_read_writing_outside_its_buffer_is_rejected()
    {
        var h = All.Value;
        var words = h.Witness.Transfers;
        // The first row of a multi-word READ: move its word (and address) one word on. Every other
        // table is the adversary's, so the memory writes themselves would balance.
        int first = Enumerable.Range(0, words.Length).First(i => words[i] is { Kind: MachineLayout.TransferRead, Last: false, Offset: not 0 }
            && words[Array.FindIndex(words, i, w => w.Last)].Count < 4);
        var t = h.Transfer.Clone();
        t[first, Cols.Address] += F(4);
        t[first, Cols.Word] += BabyBear.One;
        h.Rejects(h.Syscall, t, "READ's first word moved past the buffer", adversarialRest: true);
        // The same on the last row of that chain: its address no longer follows the previous row.
        int last = Array.FindIndex(words, first, w => w.Last);
        t = h.Transfer.Clone();
        t[last, Cols.Address] += F(4);
        t[last, Cols.Word] += BabyBear.One;
        h.Rejects(h.Syscall, t, "READ's last word moved past the buffer", adversarialRest: true);
        // Or a row writing one more byte than it was handed (k + 1 at the same offset).
        t = h.Transfer.Clone();
        int k = words[last].Count;
        Assert.True(words[last].Offset + k < 4);
        t[last, Cols.Count + k - 1] = BabyBear.Zero;
        t[last, Cols.Count + k] = BabyBear.One;
        t[last, Cols.New + words[last].Offset + k] += BabyBear.One;
        h.Rejects(h.Syscall, t, "READ's last row writing a byte past the buffer", adversarialRest: true);
        // Or changing a byte of the word outside the moved range.
        int partial = Array.FindIndex(words, w => w.Kind == MachineLayout.TransferRead && w.Offset == 3 && w.Count == 1);
        h.Rejects(h.Syscall, With(h.Transfer, partial, Cols.New + 1, h.Transfer[partial, Cols.New + 1] + BabyBear.One),
            "READ changing byte 1 of a word it writes only byte 3 of", adversarialRest: true);
        // Or writing a "byte" of 256: the word's limb would leave u16, breaking memory's range invariant.
        h.Rejects(h.Syscall, With(h.Transfer, partial, Cols.New + 3, F(256)), "READ writing 256 into a byte", adversarialRest: true);
        // Or stopping early, writing fewer bytes than n: Last on a row that leaves bytes over, the
        // rows after it dropped (made padding) so that the chain itself balances.
        t = h.Transfer.Clone();
        t[first, Cols.Last] = BabyBear.One;
        (t[first, Cols.RestLo], t[first, Cols.RestHi]) = (BabyBear.Zero, BabyBear.Zero);
        for (int i = first + 1; i <= last; i++) t.Row(i).Clear();
        h.Rejects(h.Syscall, t, "READ's chain cut short", adversarialRest: true);
    }

    [Fact]
    public void Attack_a_commit_byte_different_from_memory_is_rejected()
    {
        var h = All.Value;
        var words = h.Witness.Transfers;
        int row = Array.FindIndex(words, w => w.Kind == MachineLayout.TransferCommit && !w.Last && w.Offset != 0);
        var w = words[row];
        int j = w.Offset;
        uint position = w.Position;
        var journal = (byte[])h.Witness.Journal.Clone();
        journal[position] ^= 0x40;
        // The journal byte alone: the row no longer matches memory's unchanged word.
        var t = With(h.Transfer, row, Cols.New + j, F(journal[position]));
        h.Rejects(h.Syscall, t, "COMMIT sends a byte it did not read", journal: journal, adversarialRest: true);
        // Old and new both: the memory word read is not memory's.
        t[row, Cols.Old + j] = F(journal[position]);
        h.Rejects(h.Syscall, t, "COMMIT reads a word memory does not hold", journal: journal);
    }

    [Fact]
    public void Attack_a_journal_byte_position_swapped_is_rejected()
    {
        var h = All.Value;
        var journal = h.Witness.Journal;
        int i = Enumerable.Range(0, journal.Length - 1).First(i => journal[i] != journal[i + 1]);
        var swapped = (byte[])journal.Clone();
        (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
        h.Rejects(h.Syscall, h.Transfer, $"journal bytes {i} and {i + 1} swapped", journal: swapped);
        // In the trace: a COMMIT chain's second row claims positions one later (or earlier).
        var words = h.Witness.Transfers;
        int row = Array.FindIndex(words, w => w.Kind == MachineLayout.TransferCommit && w.Last && w.Position != 0 && w.Offset == 0);
        foreach (var delta in new[] { BabyBear.One, -BabyBear.One })
            h.Rejects(h.Syscall, With(h.Transfer, row, Cols.Position, h.Transfer[row, Cols.Position] + delta),
                "COMMIT row's journal positions shifted", adversarialRest: true);
        // And the syscall row handing the chain another cursor than the one it read.
        int commit = h.SyscallRow(Riscv.Execution.Syscalls.Commit, 3);
        int cursor = Columns.Index(new SyscallChip(), "Slot3.PrevLo");
        var s = With(h.Syscall, commit, cursor, h.Syscall[commit, cursor] + BabyBear.One);
        h.Rejects(s, h.Transfer, "COMMIT starting at another journal position");
    }

    [Fact]
    public void Attack_a_row_running_past_the_end_of_its_word_is_rejected()
    {
        var h = All.Value;
        var words = h.Witness.Transfers;
        // READ of 1 byte at offset 3: claim len = n = 2 and a single row moving 2 bytes from offset 3,
        // so the second byte lies past its word and is never written. Every other table is the
        // adversary's (a1's value included), so only offset + k ≤ 4 can stop it.
        int row = Array.FindIndex(words, w => w.Kind == MachineLayout.TransferRead && w.Last && w.Offset == 3 && w.Count == 1);
        int call = Enumerable.Range(0, h.Rows.Length).First(i => h.Witness.Steps[h.Rows[i]].Ts == words[row].Ts);
        var s = h.Syscall.Clone();
        s[call, SyscallChip.Columns.LenLo] = F(2);
        s[call, SyscallChip.Columns.OutLo] = F(2);
        s[call, SyscallChip.Columns.MovesInv] = F(2).Inverse();
        Assert.Equal(BabyBear.Zero, s[call, SyscallChip.Columns.SlackLo]);
        var t = h.Transfer.Clone();
        (t[row, Cols.Count], t[row, Cols.Count + 1]) = (BabyBear.Zero, BabyBear.One);
        t[row, Cols.Remaining] = F(2);
        h.Rejects(s, t, "a row moving bytes 3 and 4 of a word", adversarialRest: true);
    }
}
