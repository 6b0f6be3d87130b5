using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>
/// A run's SYSCALL and TRANSFER tables checked as the whole machine would check them, before
/// MachineCircuit exists: the byte table is modelled (it answers every valid lookup, and only those),
/// the verifier's halt and journal receipts are the run's public data, and the rest of the machine
/// (memory, execution and program buses) is stood in for by the complement of a reference pair of
/// tables: the honest ones (any changed value must then be answered by the other chips) or the
/// forged ones themselves (the adversary controls every other table; only what these two chips
/// enforce, with the bytes and the public data, can reject).
/// </summary>
sealed class SyscallHarness
{
    public required MachineWitness Witness { get; init; }
    public required RowMajorMatrix Syscall { get; init; }
    public required RowMajorMatrix Transfer { get; init; }
    public required int[] Rows { get; init; }

    public static SyscallHarness Run(string elf, byte[] input)
    {
        var (_, witness) = MachineRuns.Run(elf, input);
        int[] rows = [.. Enumerable.Range(0, witness.Steps.Length).Where(i => witness.Steps[i].Record.Instruction.Spec.Family == InstructionFamily.Syscall)];
        return new SyscallHarness
        {
            Witness = witness,
            Rows = rows,
            Syscall = new SyscallChip().Fill(witness.Steps, rows),
            Transfer = new TransferChip().Fill(witness.Transfers),
        };
    }

    public static TableTrace[] Tables(RowMajorMatrix syscall, RowMajorMatrix transfer) =>
        [new TableTrace(new SyscallChip(), syscall, SyscallChip.PublicValuesOf(0)), new TableTrace(new TransferChip(), transfer)];

    /// <summary>The syscall row (index into the table) of the n-th ECALL whose a7 is <paramref name="number"/>.</summary>
    public int SyscallRow(uint number, int n = 0) =>
        Enumerable.Range(0, Rows.Length).Where(i => Witness.Steps[Rows[i]].Record.Rs1Value == number).ElementAt(n);

    /// <summary>Both tables' constraints, then the machine-level balance; throws on the first failure.</summary>
    public void Check(RowMajorMatrix syscall, RowMajorMatrix transfer, bool adversarialRest = false, uint? exitCode = null, byte[]? journal = null)
    {
        var tables = Tables(syscall, transfer);
        foreach (var table in tables) TraceChecker.CheckConstraints(table);
        var rest = adversarialRest ? tables : Tables(Syscall, Transfer);
        var publicEntries = new List<PublicBusEntry>();
        foreach (var e in Entries(rest))
            if (e.Bus.Id == MachineBuses.Memory.Id || e.Bus.Id == MachineBuses.Execution.Id || e.Bus.Id == MachineBuses.Program.Id)
                publicEntries.Add(new PublicBusEntry(e.Bus, -e.Multiplicity, e.Values));
        foreach (var e in Entries(tables))
            if (e.Bus.Id == MachineBuses.Bytes.Id && ValidByteLookup(e.Values))
                publicEntries.Add(new PublicBusEntry(e.Bus, -e.Multiplicity, e.Values));
        uint exit = exitCode ?? Witness.ExitCode;
        publicEntries.Add(new PublicBusEntry(MachineBuses.Halt, -BabyBear.One,
            [F(exit & 0xFFFF), F(exit >> 16), F(MachineLayout.Timestamp(Witness.Cycles - 1))]));
        var bytes = journal ?? Witness.Journal;
        for (int i = 0; i < bytes.Length; i++)
            publicEntries.Add(new PublicBusEntry(MachineBuses.Journal, -BabyBear.One, [F((uint)i), F(bytes[i])]));
        TraceChecker.Check(tables, publicEntries);
    }

    public void Check() => Check(Syscall, Transfer);

    /// <summary>Every interaction of the tables' rows, base-field values (all a trace holds).</summary>
    static IEnumerable<(Bus Bus, BabyBear Multiplicity, BabyBear[] Values)> Entries(TableTrace[] tables)
    {
        foreach (var table in tables)
        {
            var evaluator = new RowEvaluator(table);
            for (int row = 0; row < table.Height; row++)
            {
                evaluator.EvaluateRow(row);
                foreach (var e in evaluator.Entries)
                    if (!e.Multiplicity.IsZero)
                        yield return (e.Bus, e.Multiplicity.Value.C0, [.. e.Values.Select(v => v.Value.C0)]);
            }
        }
    }

    /// <summary>What the byte table answers: (U16, x &lt; 2^16, 0, 0) and (BytePair, x, y bytes, 0).</summary>
    static bool ValidByteLookup(BabyBear[] v)
    {
        return ByteTable.Holds(v[0].ToCanonical(), v[1].ToCanonical(), v[2].ToCanonical(), v[3].ToCanonical());
    }

    public static BabyBear F(uint value) => BabyBear.FromCanonical(value);

    /// <summary>Asserts that the forged tables are rejected, by a constraint or by the machine's balance.</summary>
    public void Rejects(RowMajorMatrix syscall, RowMajorMatrix transfer, string because, bool adversarialRest = false, uint? exitCode = null, byte[]? journal = null)
    {
        try
        {
            Check(syscall, transfer, adversarialRest, exitCode, journal);
        }
        catch (ZkVmException)
        {
            return;
        }
        Assert.Fail($"accepted a forged witness: {because}");
    }

    /// <summary>A bare guest that makes every syscall: CYCLES, READs of 1..9 bytes into buffers at
    /// every alignment (the last ones short and empty), COMMITs of 1..9 bytes (and 0), WRITE, HALT.</summary>
    public static (string Elf, byte[] Input) AllSyscalls()
    {
        var asm = new System.Text.StringBuilder(".globl _start\n_start:\n    li a7, 4\n    ecall\n");
        for (int len = 1; len <= 9; len++)
            asm.Append($"    la a0, buf+{(len + 2) % 4 + 4 * len}\n    li a1, {len}\n    li a7, 1\n    ecall\n");
        // Input runs out: 3 of 8 bytes, then none.
        asm.Append("    la a0, buf+101\n    li a1, 8\n    li a7, 1\n    ecall\n");
        asm.Append("    la a0, buf+120\n    li a1, 5\n    li a7, 1\n    ecall\n");
        for (int len = 1; len <= 9; len++)
            asm.Append($"    la a0, buf+{(len + 1) % 4 + 8 * len}\n    li a1, {len}\n    li a7, 3\n    ecall\n");
        asm.Append("    la a0, buf\n    li a1, 0\n    li a7, 3\n    ecall\n");
        asm.Append("    li a0, 1\n    la a1, buf\n    li a2, 3\n    li a7, 2\n    ecall\n");
        asm.Append("    li a7, 4\n    ecall\n");
        asm.Append("    li a0, 0x10007\n    li a7, 0\n    ecall\n");
        // Nonzero old bytes, so an unmoved byte that changed would show.
        asm.Append("    .data\n    .balign 4\nbuf: .fill 160, 1, 0xa5\n");
        string elf = Guests.FromText("syscall_all.S", asm.ToString(), bare: true);
        var input = new byte[45 + 3];
        for (int i = 0; i < input.Length; i++) input[i] = (byte)(7 * i + 1);
        return (elf, input);
    }
}
