using System.Text;
using ZkVm.Field;
using ZkVm.Machine.Tables;
using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Soundness;

/// <summary>
/// The knockout table: every constraint and every interaction of every machine table, with the evidence
/// that it is needed. For each, the search looks for a one-cell forgery (a used row's cell ± 1 in real
/// runs) that the debug check, judged as a forger plays it (recounted lookups absorb answerable tuples),
/// catches only through that check: dropping the check (<see cref="KnockoutAir"/>) would let it through.
/// Checks no one-cell forgery isolates are listed as such, with the proof-level tests that cover some of
/// them (KnockoutTests, TrapEquivalenceTests, MachineAttackTests). The table is a golden file beside this
/// test; ZKVM_UPDATE_GOLDEN=1 rewrites it.
/// </summary>
public class KnockoutTableTests
{
    static readonly string[] Runs = ["c_semantics.c", "system.S", "muldiv.S", "memory.S"];

    sealed record Evaluation(List<ExtensionValue> Constraints, List<BusEntry<ExtensionValue>> Entries);

    static Evaluation Evaluate(TableTrace table, int row)
    {
        var evaluator = new RowEvaluator(table);
        evaluator.EvaluateRow(row);
        return new([.. evaluator.Constraints.Select(c => c.Value)], [.. evaluator.Entries]);
    }

    /// <summary>Whether the bus terms of the rows change in a way a forger cannot absorb, leaving out one interaction.</summary>
    static bool BusCaught(Evaluation[] before, Evaluation[] after, int excluded, TableTrace table, HashSet<string>? rom)
    {
        var delta = new BusDelta();
        foreach (var e in before) Forgery.AddTerms(delta, e.Entries, -1, excluded);
        foreach (var e in after) Forgery.AddTerms(delta, e.Entries, +1, excluded);
        return Forgery.Unabsorbed(delta, table, rom);
    }

    static List<int> SampleRows(TableTrace table)
    {
        var used = new List<int>();
        int stride = Math.Max(1, table.Height / 4096);
        for (int row = 0; row < table.Height; row += stride)
            if (Evaluate(table, row).Entries.Any(e => !e.Multiplicity.IsZero)) used.Add(row);
        if (used.Count == 0) return used;
        var sample = Enumerable.Range(0, 6).Select(k => used[k * (used.Count - 1) / 5]).ToList();
        var names = Columns.Names(table.Air);
        if (names.Contains("WritesRd"))
        {
            int w = Array.IndexOf(names, "WritesRd");
            sample.AddRange(used.Where(r => table.Main[r, w].IsZero).Take(1));
        }
        if (names.Contains("Fence"))
        {
            int f = Array.IndexOf(names, "Fence");
            sample.AddRange(used.Where(r => !table.Main[r, f].IsZero).Take(2));
        }
        if (used[^1] + 1 < table.Height) sample.Add(used[^1] + 1); // the first padding row
        return [.. sample.Distinct()];
    }

    /// <summary>Checks shown necessary by a whole forgery, proved or checked, in the tests named (one-cell forgeries cannot isolate them).</summary>
    static readonly Dictionary<(string Table, string Constraint), string> ConstraintTests = new()
    {
        [("boundary", "(local.IsMemory - local.Mapped) * local.FinalTs")] = "KnockoutTests.A_trap_skipped_in_the_witness_is_caught_by_its_constraint_alone (null_load, code_as_data, commit_unmapped)",
        [("boundary", "local.NextInherits * (next.Mapped - local.Mapped)")] = "KnockoutTests.An_unmapped_word_claimed_mapped_is_caught_by_the_inherited_access_alone",
        [("boundary", "local.NextInherits * (next.Writable - local.Writable)")] = "KnockoutTests.A_read_only_word_claimed_writable_is_caught_by_the_inherited_access_alone",
        [("transfer", "local.ReadOnly * (one - local.IsCommit - local.IsWrite)")] = "KnockoutTests.A_trap_skipped_in_the_witness_is_caught_by_its_constraint_alone (rodata_read)",
        [("syscall", "local.IsWrite * (local.A0Lo - one) * (local.A0Lo - TE.Constant(BabyBear.FromCanonical(2)))")] = "KnockoutTests.A_trap_skipped_in_the_witness_is_caught_by_its_constraint_alone (write_bad_fd)",
    };

    /// <summary>The same for interactions, by table and position (see <see cref="InteractionTests"/> for how each is found).</summary>
    static Dictionary<(string Table, int Interaction), string> InteractionTests(string table, TableTrace trace)
    {
        var found = new Dictionary<(string, int), string>();
        var entries = Evaluate(trace, 0).Entries;
        if (table == "boundary")
        {
            // Its bytes lookups in order: IndexLo, IndexHi, 32·IndexHi, GapLo, 8·GapHi.
            int gapHi = entries.Select((e, i) => (e, i)).Where(x => x.e.Bus.Id == MachineBuses.Bytes.Id).ElementAt(4).i;
            found[(table, gapHi)] = "MachineTablesTests.A_cell_opened_twice_is_rejected, Cells_out_of_order_are_rejected (the gap solved in the field)";
        }
        if (table == "alu")
        {
            // Gadgets.Access: receive, send, U16 diffLo, BytePair diffHi; the first access is rs1's read.
            int rs1 = entries.FindIndex(e => e.Bus.Id == MachineBuses.Memory.Id);
            found[(table, rs1 + 3)] = "KnockoutTests.A_timestamp_that_goes_backwards_is_caught_by_the_gap_range_check_alone";
        }
        return found;
    }

    static string Generate()
    {
        // Evidence per (table, "c" or "i", index): the first one-cell forgery that only this check catches.
        var evidence = new Dictionary<(string, char, int), string>();
        var listing = new Dictionary<string, (List<string> Constraints, List<string> Interactions)>();
        var order = new List<string>();
        foreach (string run in Runs)
        {
            var (program, witness) = MachineRuns.Directed(run);
            var rom = Forgery.RomTuples(program);
            foreach (var table in new MachineCircuit(program).Traces(witness))
            {
                string name = table.Air.Name;
                if (!listing.ContainsKey(name))
                {
                    listing[name] = KnockoutAir.List(table);
                    order.Add(name);
                    foreach (var (key, test) in InteractionTests(name, table)) evidence[(key.Table, 'i', key.Interaction)] = test;
                    var constraintNames = listing[name].Constraints;
                    foreach (var (key, test) in ConstraintTests.Where(t => t.Key.Table == name))
                        evidence[(name, 'c', constraintNames.IndexOf(key.Constraint))] = test;
                }
                var tableRom = table.Air is ProgramTable ? null : rom;
                var names = Columns.Names(table.Air);
                foreach (int row in SampleRows(table))
                {
                    int previous = (row - 1 + table.Height) % table.Height;
                    var before = new[] { Evaluate(table, previous), Evaluate(table, row) };
                    for (int column = 0; column < table.Air.MainWidth; column++)
                        foreach (var delta in new[] { BabyBear.One, BabyBear.Zero - BabyBear.One })
                        {
                            var original = table.Main[row, column];
                            table.Main[row, column] = original + delta;
                            var after = new[] { Evaluate(table, previous), Evaluate(table, row) };
                            table.Main[row, column] = original;
                            var failing = after.SelectMany(e => e.Constraints.Select((v, i) => (v, i))).Where(x => !x.v.IsZero).Select(x => x.i).Distinct().ToList();
                            string how = $"{names[column]} {(delta == BabyBear.One ? "+1" : "−1")} in row {row} ({run})";
                            bool bus = BusCaught(before, after, -1, table, tableRom);
                            if (failing.Count == 1 && !bus)
                                evidence.TryAdd((name, 'c', failing[0]), how);
                            if (failing.Count == 0 && bus)
                                for (int k = 0; k < before[0].Entries.Count; k++)
                                    if (!BusCaught(before, after, k, table, tableRom))
                                        evidence.TryAdd((name, 'i', k), how);
                        }
                }
            }
        }

        var text = new StringBuilder();
        text.AppendLine("# Knockout table (generated by KnockoutTableTests; ZKVM_UPDATE_GOLDEN=1 rewrites it)");
        text.AppendLine();
        text.AppendLine("For every constraint (c) and interaction (i) of every machine table: a one-cell forgery that only");
        text.AppendLine("this check catches (so dropping it lets the forgery through), the test whose whole forgery only it");
        text.AppendLine("catches, or `—` where neither exists yet (docs/MACHINE.md §9). Runs: " + string.Join(", ", Runs) + ".");
        int shown = 0, total = 0;
        foreach (string name in order)
        {
            var (constraints, interactions) = listing[name];
            text.AppendLine();
            text.AppendLine($"## {name}");
            text.AppendLine();
            text.AppendLine("| check | | forgery caught only by it |");
            text.AppendLine("|---|---|---|");
            for (int c = 0; c < constraints.Count; c++, total++)
            {
                string? how = evidence.GetValueOrDefault((name, 'c', c));
                if (how is not null) shown++;
                text.AppendLine($"| c{c} | `{constraints[c].Replace("|", "\\|")}` | {how ?? "—"} |");
            }
            for (int i = 0; i < interactions.Count; i++, total++)
            {
                string? how = evidence.GetValueOrDefault((name, 'i', i));
                if (how is not null) shown++;
                text.AppendLine($"| i{i} | {interactions[i]} | {how ?? "—"} |");
            }
        }
        text.AppendLine();
        text.AppendLine($"{shown} of {total} checks are shown necessary here; the others (—) still need a multi-cell forgery or a written reason.");
        return text.ToString();
    }

    [Fact]
    public void The_knockout_table_is_up_to_date()
    {
        string path = Path.Combine(Guests.RepoRoot, "tests", "ZkVm.Machine.Tests", "Soundness", "KnockoutTable.md");
        string table = Generate();
        if (Environment.GetEnvironmentVariable("ZKVM_UPDATE_GOLDEN") == "1")
            File.WriteAllText(path, table);
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings(), table.ReplaceLineEndings());
    }
}
