using ZkVm.Field;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Riscv.Trace;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;

namespace ZkVm.Machine.Tests.Soundness;

/// <summary>
/// Attacks across shards (issue 14, must-show 2), on a guest whose control flow does not depend on its input: two runs on
/// different inputs have the same cycles and shards and differ only in their data. Each forgery is what a cheating prover
/// would make: a consistent witness of the shards it keeps or changes, proven again under one set of challenges.
/// </summary>
public class ShardAttackTests
{
    const ulong ShardCycles = 2048;

    /// <summary>Writes a table in every round and reads it back in the next, so memory crosses every shard boundary.</summary>
    const string Source = """
        #include "zkvm.h"
        static unsigned char input[64];
        static unsigned int table[64];
        int main(void) {
            zkvm_read(input, sizeof input);
            unsigned int acc = 0;
            for (int round = 0; round < 8; round++)
                for (int i = 0; i < 64; i++) {
                    table[i] = table[i] * 31u + input[i] + (unsigned)round;
                    acc ^= table[i] << (i & 7);
                }
            uint64_t cycles = zkvm_cycles();
            zkvm_commit(&acc, sizeof acc);
            zkvm_commit(&cycles, sizeof cycles);
            return 0;
        }
        """;

    static readonly Lazy<string> Elf = new(() => Guests.FromText("shard_attacks.c", Source, bare: false));

    static byte[] Input(byte seed) => [.. Enumerable.Range(0, 64).Select(i => (byte)(seed + 7 * i))];

    sealed record Proven(MachineProgram Program, ShardedRun Run, MinimalTrace Trace, MachineCircuit Circuit, ShardProof[] Shards)
    {
        public MachineClaim Claim => Run.Claim;
    }

    static Proven Prove(byte seed)
    {
        var (program, run, trace) = MachineRuns.InShards(Elf.Value, ShardCycles, Input(seed));
        var circuit = new MachineCircuit(program);
        return new(program, run, trace, circuit, MachineRuns.ProveShards(program, run.Claim, ShardCycles, run.Count, k => circuit.Traces(run.Witness(k)), run.FirstKey));
    }

    static readonly Lazy<Proven> A = new(() => Prove(1)), B = new(() => Prove(2));

    static void Verify(Proven p, IReadOnlyList<ShardProof> shards, MachineClaim? claim = null, ulong shardCycles = ShardCycles) =>
        MachineVerifier.Verify(p.Program, claim ?? p.Claim, shardCycles, shards);

    /// <summary>Proves run <paramref name="p"/> again with shard <paramref name="k"/>'s witness replaced, under the honest claim.</summary>
    static ShardProof[] ProveWith(Proven p, int k, MachineWitness forged) =>
        MachineRuns.ProveShards(p.Program, p.Claim, ShardCycles, p.Run.Count, j => p.Circuit.Traces(j == k ? forged : p.Run.Witness(j)), p.Run.FirstKey);

    /// <summary>
    /// Shard <paramref name="k"/> resumed from another state, consistently: re-executed from its checkpoint as
    /// <paramref name="checkpoint"/> edits it, on its read-log slice as <paramref name="log"/> edits it, and its memory
    /// replayed from its entry list as <paramref name="entry"/> edits it, so every access of the shard agrees with the rest.
    /// </summary>
    static MachineWitness Resumed(Proven p, int k, Func<Checkpoint, Checkpoint>? checkpoint = null, Func<PageEntry, PageEntry>? entry = null, Func<uint[], uint[]>? log = null)
    {
        Assert.Equal(p.Run.Count, p.Trace.Checkpoints.Count); // a checkpoint at every shard start
        var (start, slice, cycles) = p.Trace.Chunk(k);
        var records = ReExecutor.ReExecute(p.Program.Program, checkpoint?.Invoke(start) ?? start, log?.Invoke(slice.ToArray()) ?? slice, cycles);
        var honest = p.Run.Entry(k);
        return p.Run.Witness(k, records, honest with { Pages = [.. honest.Pages.Select(e => entry?.Invoke(e) ?? e)] });
    }

    /// <summary>The first forgery of <paramref name="candidates"/> that makes a consistent shard (one that re-executes and replays
    /// without a trap or a disagreement), with the shard it forges.</summary>
    static (int Shard, MachineWitness Witness) FirstConsistent(IEnumerable<(int Shard, Func<MachineWitness> Forge)> candidates)
    {
        foreach (var (k, forge) in candidates)
        {
            try
            {
                return (k, forge());
            }
            catch (ZkVmException)
            {
                // This change derails the shard (a trap, other loads than the log holds); a forger would try another.
            }
        }
        throw new InvalidOperationException("no candidate forgery gives a consistent shard");
    }

    [Fact]
    public void The_honest_runs_verify_and_differ_only_in_their_data()
    {
        var (a, b) = (A.Value, B.Value);
        Assert.InRange(a.Run.Count, 3, 6);
        var run = Interpreter.Run(HarvardProgram.Load(Elf.Value), Input(1));
        Assert.Equal(run.Cycles, a.Claim.Cycles);
        Assert.Equal(run.Journal, a.Claim.Journal);
        Assert.Equal((uint)run.ExitCode!.Value, a.Claim.ExitCode);
        Assert.Equal(a.Claim.Cycles, b.Claim.Cycles);
        Assert.NotEqual(a.Claim.Journal, b.Claim.Journal);
        Verify(a, a.Shards);
        Verify(b, b.Shards);
    }

    [Fact]
    public void A_dropped_duplicated_or_reordered_shard_is_rejected()
    {
        var a = A.Value;
        var s = a.Shards;
        // Dropped: the claimed cycles need one proof more.
        Verdict.Rejected(MachineErrors.BadShards, () => Verify(a, [s[0], .. s[2..]]));
        // Dropped with the claim shortened to match, duplicated in another's place, two swapped (their pieces' first keys kept in
        // order): the shared transcript binds every shard's statement and root in order, so the run's LogUp proof of work fails.
        Verdict.Rejected(StarkErrors.LogUpProofOfWork, () => Verify(a, [s[0], .. s[2..]], a.Claim with { Cycles = a.Claim.Cycles - ShardCycles }));
        Verdict.Rejected(StarkErrors.LogUpProofOfWork, () => Verify(a, [s[0], s[1] with { FirstKey = s[2].FirstKey }, .. s[2..]]));
        Verdict.Rejected(StarkErrors.LogUpProofOfWork, () => Verify(a, [s[0], s[2] with { FirstKey = s[1].FirstKey }, s[1] with { FirstKey = s[2].FirstKey }, .. s[3..]]));
        // Swapped with their first keys: the boundary pieces no longer follow each other.
        if (s[1].FirstKey != s[2].FirstKey)
            Verdict.Rejected(MachineErrors.BadShards, () => Verify(a, [s[0], s[2], s[1], .. s[3..]]));
    }

    [Fact]
    public void A_shard_from_another_run_of_the_same_program_is_rejected()
    {
        var (a, b) = (A.Value, B.Value);
        Assert.Equal(a.Run.Count, b.Run.Count);
        // Taken as it is: its root gives other challenges.
        ShardProof[] taken = [.. a.Shards];
        taken[1] = b.Shards[1] with { FirstKey = a.Shards[1].FirstKey };
        Verdict.Rejected(StarkErrors.LogUpProofOfWork, () => Verify(a, taken));
        // Proven again under common challenges: B's later shards follow A's first, whose memory (the input it read) is not B's.
        var mixed = MachineRuns.ProveShards(b.Program, b.Claim, ShardCycles, b.Run.Count,
            k => b.Circuit.Traces(k == 0 ? a.Run.Witness(0) : b.Run.Witness(k)), k => k == 0 ? a.Run.FirstKey(0) : b.Run.FirstKey(k));
        Verdict.Rejected(StarkErrors.BusUnbalanced, () => Verify(b, mixed));
    }

    [Fact]
    public void A_register_changed_between_two_shards_is_rejected()
    {
        var a = A.Value;
        // A shard resumes with a register an earlier shard left (paged in with a tag above 0) holding another value.
        var candidates =
            from k in Enumerable.Range(1, a.Run.Count - 1)
            from register in a.Run.Entry(k).Pages.Where(e => e.Space == MachineLayout.RegisterSpace && e.Index is > 0 and < 32 && e.InTag > 0)
            from flip in new[] { 1u << 20, 1u << 8, 1u }
            select (k, (Func<MachineWitness>)(() => Resumed(a, k,
                checkpoint: c => c with { Registers = [.. c.Registers.Select((v, r) => r == register.Index ? v ^ flip : v)] },
                entry: e => e.Space == register.Space && e.Index == register.Index ? e with { In = e.In ^ flip } : e)));
        var (shard, forged) = FirstConsistent(candidates);
        Assert.Contains(forged.Pages, e => e.Space == MachineLayout.RegisterSpace && a.Run.Entry(shard).Pages.Single(h => h.Space == e.Space && h.Index == e.Index).In != e.In);
        Verdict.Rejected(StarkErrors.BusUnbalanced, () => Verify(a, ProveWith(a, shard, forged)));
    }

    [Fact]
    public void A_pc_changed_between_two_shards_is_rejected()
    {
        var a = A.Value;
        // A shard resumes a little before or after where the last one left off.
        var candidates =
            from k in Enumerable.Range(1, a.Run.Count - 1)
            from delta in new[] { 4, -4, 8, -8, 12 }
            select (k, (Func<MachineWitness>)(() => Resumed(a, k, checkpoint: c => c with { Pc = (uint)(c.Pc + delta) })));
        var (shard, forged) = FirstConsistent(candidates);
        Assert.NotEqual(a.Trace.Checkpoints[shard].Pc, forged.Steps[0].Record.Pc);
        Verdict.Rejected(StarkErrors.BusUnbalanced, () => Verify(a, ProveWith(a, shard, forged)));
    }

    [Fact]
    public void A_value_written_in_one_shard_and_read_back_differently_in_a_later_one_is_rejected()
    {
        var a = A.Value;
        // A word load of a table word an earlier shard wrote (paged in with a tag above 0), the shard's first touch of it,
        // reads another value: the read log and the shard's entry list say so, so the shard is consistent in itself.
        IEnumerable<(int, Func<MachineWitness>)> Candidates(int k)
        {
            var honest = a.Run.Witness(k);
            for (int at = 0; at < honest.Steps.Length; at++)
            {
                var step = honest.Steps[at];
                uint word = step.Record.MemAddress >> 2;
                if (step.Record.Instruction.Op != Opcode.Lw || step.Mem.PrevTs != 0
                    || !honest.Pages.Any(e => e.Space == MachineLayout.MemorySpace && e.Index == word && e.InTag > 0)) continue;
                int position = honest.Steps.Take(at).Count(s => s.Record.Instruction.Spec.Family == InstructionFamily.Load);
                yield return (k, () => Resumed(a, k,
                    log: l => { l[position] ^= 1; return l; },
                    entry: e => e.Space == MachineLayout.MemorySpace && e.Index == word ? e with { In = e.In ^ 1 } : e));
            }
        }
        var (shard, forged) = FirstConsistent(Enumerable.Range(1, a.Run.Count - 1).SelectMany(Candidates));
        Assert.Contains(forged.Pages, e => e.Space == MachineLayout.MemorySpace && a.Run.Entry(shard).Pages.Single(h => h.Space == e.Space && h.Index == e.Index).In != e.In);
        Verdict.Rejected(StarkErrors.BusUnbalanced, () => Verify(a, ProveWith(a, shard, forged)));
    }

    [Fact]
    public void An_image_word_opened_in_two_shards_is_rejected()
    {
        var a = A.Value;
        // Shard 0's boundary piece opens, again, an image word that lies in shard 1's piece: with 0 and closed untouched, so
        // the page bus balances, and a later shard could page it in from this second opening. Only the piece's key range
        // refuses it: its last key is not below the next piece's first. The forger's best gap columns (0) fail that constraint.
        var honest = a.Run.Witness(0);
        var twice = a.Program.Image.First(w => w.Space == MachineLayout.MemorySpace && w.Key >= a.Run.FirstKey(1) && w.Key < a.Run.FirstKey(2));
        var boundary = honest.Boundary.Append(new BoundaryEntry(twice.Space, twice.Index, 0, 0, 0, false)).ToArray();
        var forged = new MachineWitness(honest.Shard, honest.Steps, honest.Transfers, honest.Pages, boundary, honest.FirstKey, honest.EndKey, honest.ExitCode, honest.Journal);
        var circuit = a.Circuit;
        TableTrace[] Traces(int k)
        {
            if (k != 0) return circuit.Traces(a.Run.Witness(k));
            var users = circuit.ByteTableUsers(forged);
            var piece = users.Single(t => t.Air.Name == "boundary");
            piece.Main[boundary.Length - 1, Columns.Index(piece.Air, "HiGapLo")] = BabyBear.Zero;
            piece.Main[boundary.Length - 1, Columns.Index(piece.Air, "HiGapHi")] = BabyBear.Zero;
            return [.. users, circuit.BytesTrace(users)];
        }
        var proofs = MachineRuns.ProveShards(a.Program, a.Claim, ShardCycles, a.Run.Count, Traces, a.Run.FirstKey);
        Verdict.Rejected(StarkErrors.ConstraintsViolated, () => Verify(a, proofs));
    }

    [Theory]
    [InlineData("mapped")]
    [InlineData("writable")]
    public void A_piece_that_starts_inside_a_region_with_another_access_is_caught_by_its_entry_access_alone(string flag)
    {
        var a = A.Value;
        // The forger cuts the boundary so that shard 1's piece is one untouched image word inside a region (not its first
        // word), and gives that row another access: unmapped, or the other of read-only and read-write. The word opens and
        // closes in the space that access names, untouched, so the page bus still balances; only the piece's entry access
        // (the region the verifier finds for the piece's first key) refuses it.
        var map = a.Program.Map;
        var word = a.Run.Boundary.First(e => e.Space == MachineLayout.MemorySpace && e.InImage && e.FinalTag == 0
            && map.Regions.All(r => r.Start != e.Index << 2) && map.AccessOf(e.Index << 2) != Riscv.Image.PageAccess.None);
        uint[] first = [0, word.Key, word.Key + 1, .. Enumerable.Repeat(MachineLayout.KeyEnd, a.Run.Count - 2)];
        uint End(int k) => k + 1 < a.Run.Count ? first[k + 1] : MachineLayout.KeyEnd;
        MachineWitness Piece(int k)
        {
            var w = a.Run.Witness(k);
            BoundaryEntry[] piece = [.. a.Run.Boundary.Where(e => e.Key >= first[k] && e.Key < End(k))];
            return new MachineWitness(w.Shard, w.Steps, w.Transfers, w.Pages, piece, first[k], End(k), w.ExitCode, w.Journal);
        }
        var honest = Enumerable.Range(0, a.Run.Count).Select(k => a.Circuit.Traces(Piece(k))).ToArray();
        var boundary = honest[1].Single(t => t.Air.Name == "boundary");
        Assert.Equal(BabyBear.One, boundary.Main[0, Columns.Index(boundary.Air, "Mapped")]);
        var (mapped, writable) = (Columns.Index(boundary.Air, "Mapped"), Columns.Index(boundary.Air, "Writable"));
        if (flag == "mapped") (boundary.Main[0, mapped], boundary.Main[0, writable]) = (BabyBear.Zero, BabyBear.Zero);
        else boundary.Main[0, writable] = BabyBear.One - boundary.Main[0, writable];
        string rule = $"b.IsFirstRow * (local.IsMemory - local.Fence) * (local.{(flag == "mapped" ? "Mapped" : "Writable")} - b.Public({(flag == "mapped" ? 2 : 3)}))";

        var proofs = MachineRuns.ProveShards(a.Program, a.Claim, ShardCycles, a.Run.Count, k => honest[k], k => first[k]);
        Verdict.Rejected(StarkErrors.ConstraintsViolated, () => Verify(a, proofs));
        // Without the rule, the same forgery verifies.
        int index = KnockoutAir.List(boundary).Constraints.IndexOf(rule);
        Assert.True(index >= 0, rule);
        var knocked = honest.Select((traces, k) => k == 1
            ? traces.Select(t => t.Air.Name == "boundary" ? new TableTrace(new KnockoutAir(t.Air, constraint: index), t.Main, t.PublicValues) : t).ToArray()
            : traces).ToArray();
        var bus = a.Circuit.PublicBus(a.Claim, ShardCycles);
        var accepted = StarkProver.ProveShards(a.Run.Count, k => knocked[k], Stark.Security.SecurityPresets.Parameters(SecurityPreset.Proven100), bus);
        StarkVerifier.VerifyShards([.. knocked.Select(t => StarkStatement.For(t))], accepted, bus);
    }

    [Fact]
    public void A_run_whose_last_shard_does_not_halt_is_rejected()
    {
        var a = A.Value;
        // The forger keeps all shards but the last and replays memory over them, so the boundary closes each cell where they left it.
        int count = a.Run.Count - 1;
        ulong cycles = (ulong)count * ShardCycles;
        var timeline = new MemoryTimeline(a.Program, Input(1));
        var kept = new (MachineStep[] Steps, TransferWord[] Transfers, PageEntry[] Pages)[count];
        for (int k = 0; k < count; k++)
        {
            var (start, log, n) = a.Trace.Chunk(k);
            var (steps, transfers, pages, _) = timeline.Shard(a.Run.Position(k), ReExecutor.ReExecute(a.Program.Program, start, log, n));
            kept[k] = (steps, transfers, pages);
        }
        var boundary = timeline.Boundary();
        var claim = new MachineClaim(0, cycles, timeline.Journal);
        TableTrace[] Traces(int k) => a.Circuit.Traces(new MachineWitness(ShardPosition.Of(k, cycles, ShardCycles), kept[k].Steps, kept[k].Transfers, kept[k].Pages,
            k == 0 ? boundary : [], k == 0 ? 0 : MachineLayout.KeyEnd, MachineLayout.KeyEnd, claim.ExitCode, claim.Journal));
        var proofs = MachineRuns.ProveShards(a.Program, claim, ShardCycles, count, Traces, k => k == 0 ? 0 : MachineLayout.KeyEnd);
        // Its last instruction hands (pc, ts) on and no HALT takes the claim's exit code: the buses do not balance.
        Verdict.Rejected(StarkErrors.BusUnbalanced, () => MachineVerifier.Verify(a.Program, claim, ShardCycles, proofs));
    }

    [Fact]
    public void Shards_proven_under_different_challenges_are_rejected()
    {
        var a = A.Value;
        // The same shards proven again under another claim's public terms (one journal byte more) draw other challenges.
        var other = MachineRuns.ProveShards(a.Program, a.Claim with { Journal = [.. a.Claim.Journal, 0] }, ShardCycles, a.Run.Count,
            k => a.Circuit.Traces(a.Run.Witness(k)), a.Run.FirstKey);
        Assert.Equal(a.Shards[1].Proof.MainRoot, other[1].Proof.MainRoot);
        // As they are, they carry another run's LogUp proof of work; with the honest one copied in, their own transcripts
        // (forked from the honest shared one) no longer give the commitments they were made under: the proof of work before ζ fails.
        Verdict.Rejected(StarkErrors.LogUpProofOfWork, () => Verify(a, [a.Shards[0], .. other[1..]]));
        Verdict.Rejected(StarkErrors.ChallengeProofOfWork, () => Verify(a,
            [a.Shards[0], .. other[1..].Select(s => s with { Proof = s.Proof with { LogUpPowWitness = a.Shards[0].Proof.LogUpPowWitness } })]));
    }

    [Fact]
    public void A_shard_proof_from_a_run_with_another_shard_size_is_rejected()
    {
        var a = A.Value;
        // A size that cuts the run into as many shards: each shard's statement (its first cycle, its end timestamp) changes.
        const ulong other = ShardCycles + 64;
        Assert.Equal(a.Run.Count, ShardPosition.CountOf(a.Claim.Cycles, other));
        Verdict.Rejected(StarkErrors.LogUpProofOfWork, () => Verify(a, a.Shards, shardCycles: other));
    }
}
