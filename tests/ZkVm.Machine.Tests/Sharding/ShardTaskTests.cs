using ZkVm.Field;
using ZkVm.Machine.Sharding;
using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Machine.Tests.Sharding;

/// <summary>
/// A shard as a self-contained task (docs/DISTRIBUTED.md): its encoding round-trips, a damaged one is a coded error, and
/// a shard proof is accepted only as the one its run committed to, under the run's challenges (ShardJob.Check).
/// </summary>
public class ShardTaskTests
{
    const ulong ShardCycles = 1024;

    /// <summary>Reads its input in two READs and keeps memory live across shards, so tasks carry input slices and entry lists.</summary>
    const string Source = """
        #include "zkvm.h"
        static unsigned char input[48];
        static unsigned int table[32];
        int main(void) {
            zkvm_read(input, 16);
            unsigned int acc = 0;
            for (int round = 0; round < 6; round++) {
                if (round == 3) zkvm_read(input + 16, 32);
                for (int i = 0; i < 32; i++) {
                    table[i] = table[i] * 33u + input[(i + round) % 48];
                    acc += table[i] >> (i & 3);
                }
            }
            zkvm_commit(&acc, sizeof acc);
            return 0;
        }
        """;

    static readonly Lazy<(MachineProgram Program, ShardedRun Run)> Run = new(() =>
    {
        var elf = Guests.FromText("shard_tasks.c", Source, bare: false);
        var (program, run, _) = MachineRuns.InShards(elf, ShardCycles, [.. Enumerable.Range(0, 48).Select(i => (byte)(3 * i + 1))]);
        return (program, run);
    });

    sealed record Proven(ShardJob Job, ShardChallenges Challenges, StarkProof[] Proofs);

    static readonly Lazy<Proven> Honest = new(() =>
    {
        var (program, run) = Run.Value;
        var job = new ShardJob(program, run, SecurityPreset.Proven100, null);
        var commitments = Enumerable.Range(0, job.Count).Select(k => ShardWork.Commit(program, ShardTask.FromBytes(job.Task(k).ToBytes()))).ToArray();
        var challenges = ShardChallenges.FromBytes(job.Challenges(commitments).ToBytes());
        var proofs = Enumerable.Range(0, job.Count).Select(k => ShardWork.Prove(program, ShardTask.FromBytes(job.Task(k).ToBytes()), challenges)).ToArray();
        return new Proven(job, challenges, proofs);
    });

    [Fact]
    public void Shards_proven_from_encoded_tasks_make_a_receipt_that_verifies()
    {
        var (program, run) = Run.Value;
        Assert.InRange(run.Count, 3, 16);
        var p = Honest.Value;
        for (int k = 0; k < p.Job.Count; k++) p.Job.Check(p.Challenges, k, p.Proofs[k]);
        MachineVerifier.Verify(program, run.Claim, ShardCycles, [.. p.Proofs.Select((proof, k) => new ShardProof(run.FirstKey(k), proof))]);
    }

    [Fact]
    public void A_task_and_the_challenges_encode_to_the_same_bytes_after_a_round_trip()
    {
        var (_, run) = Run.Value;
        for (int k = 0; k < run.Count; k++)
        {
            byte[] bytes = run.Task(k).ToBytes();
            Assert.Equal(bytes, ShardTask.FromBytes(bytes).ToBytes());
        }
        byte[] challenges = Honest.Value.Challenges.ToBytes();
        Assert.Equal(challenges, ShardChallenges.FromBytes(challenges).ToBytes());
    }

    [Fact]
    public void A_task_carries_only_the_input_its_shard_reads()
    {
        var (_, run) = Run.Value;
        var tasks = Enumerable.Range(0, run.Count).Select(k => run.Task(k)).ToArray();
        Assert.Equal(48, tasks.Sum(t => t.Input.Length));
        Assert.All(tasks, t => Assert.Equal(0, t.Entry.InputPosition));
    }

    [Fact]
    public void Every_cut_of_an_encoded_task_or_challenges_is_a_coded_format_error()
    {
        byte[] task = Run.Value.Run.Task(1).ToBytes();
        byte[] challenges = Honest.Value.Challenges.ToBytes();
        foreach (int cut in Enumerable.Range(0, 64).Select(i => i * task.Length / 64))
            Assert.StartsWith("ZK300", Assert.Throws<ZkVmException>(() => ShardTask.FromBytes(task.AsSpan(0, cut))).Code);
        for (int cut = 0; cut < challenges.Length; cut += 7)
            Assert.StartsWith("ZK300", Assert.Throws<ZkVmException>(() => ShardChallenges.FromBytes(challenges.AsSpan(0, cut))).Code);
        Assert.Equal(ProofFormatErrors.TrailingBytes, Assert.Throws<ZkVmException>(() => ShardTask.FromBytes([.. task, 0])).Code);
    }

    [Fact]
    public void A_task_whose_run_has_another_shard_count_is_refused()
    {
        byte[] task = Run.Value.Run.Task(1).ToBytes();
        // The run's cycles (after magic, version, index, shard size, preset and exit code): one shard fewer than its first keys say.
        const int CyclesAt = 4 + 4 + 4 + 8 + 1 + 4;
        byte[] fewer = [.. task];
        BitConverter.TryWriteBytes(fewer.AsSpan(CyclesAt, 8), ShardCycles);
        Assert.Equal(ProofFormatErrors.InvalidValue, Assert.Throws<ZkVmException>(() => ShardTask.FromBytes(fewer)).Code);
        byte[] preset = [.. task];
        preset[4 + 4 + 4 + 8] = 7;
        Assert.Equal(ProofFormatErrors.InvalidValue, Assert.Throws<ZkVmException>(() => ShardTask.FromBytes(preset)).Code);
    }

    static string CheckCode(ShardChallenges challenges, int k, StarkProof proof) =>
        Assert.Throws<ZkVmException>(() => Honest.Value.Job.Check(challenges, k, proof)).Code;

    [Fact]
    public void Another_shards_proof_is_refused_as_not_the_committed_traces()
    {
        var p = Honest.Value;
        Assert.Equal(StarkErrors.StatementMismatch, CheckCode(p.Challenges, 0, p.Proofs[1]));
        Assert.Equal(StarkErrors.StatementMismatch, CheckCode(p.Challenges, 2, p.Proofs[1]));
    }

    [Fact]
    public void A_proof_under_a_commitment_that_is_not_the_runs_is_refused()
    {
        var p = Honest.Value;
        // The coordinator's root of shard 0 replaced by shard 1's: shard 0's honest proof no longer matches it.
        var swapped = p.Challenges with { Commitments = [p.Challenges.Commitments[0] with { MainRoot = p.Challenges.Commitments[1].MainRoot }, .. p.Challenges.Commitments[1..]] };
        Assert.Equal(StarkErrors.StatementMismatch, CheckCode(swapped, 0, p.Proofs[0]));
    }

    [Fact]
    public void A_proof_under_other_parameters_is_refused()
    {
        var p = Honest.Value;
        var proof = p.Proofs[1] with { Parameters = p.Proofs[1].Parameters with { NumQueries = p.Proofs[1].Parameters.NumQueries - 1 } };
        Assert.Equal(StarkErrors.StatementMismatch, CheckCode(p.Challenges, 1, proof));
    }

    [Fact]
    public void A_proof_without_the_runs_proof_of_work_is_refused()
    {
        var p = Honest.Value;
        var proof = p.Proofs[1] with { LogUpPowWitness = p.Proofs[1].LogUpPowWitness + BabyBear.One };
        Assert.Equal(StarkErrors.LogUpProofOfWork, CheckCode(p.Challenges, 1, proof));
        var challenges = p.Challenges with { LogUpWitness = p.Challenges.LogUpWitness + BabyBear.One };
        Assert.Equal(StarkErrors.LogUpProofOfWork, CheckCode(challenges, 1, p.Proofs[1]));
    }

    [Fact]
    public void A_proof_with_a_changed_LogUp_sum_fails_the_proof_of_work_drawn_after_it()
    {
        var p = Honest.Value;
        var sums = p.Proofs[1].CumulativeSums.ToArray();
        sums[^1] += BabyBearExt4.One;
        // The sums are in the transcript before ζ: the grinding for ζ no longer holds (Proven100 grinds before ζ).
        Assert.True(p.Challenges.Parameters.ChallengePowBits > 0);
        Assert.Equal(StarkErrors.ChallengeProofOfWork, CheckCode(p.Challenges, 1, p.Proofs[1] with { CumulativeSums = sums }));
    }

    [Fact]
    public void A_shard_proven_under_a_root_it_did_not_commit_is_caught()
    {
        var (program, run) = Run.Value;
        var p = Honest.Value;
        // A run whose commitment of shard 1 is shard 2's root, with challenges drawn for it: shard 1's traces cannot be proven under it.
        var commitments = p.Challenges.Commitments.Select((c, k) => k == 1 ? c with { MainRoot = p.Challenges.Commitments[2].MainRoot } : c).ToArray();
        var wrong = p.Job.Challenges(commitments);
        var proof = ShardWork.Prove(program, run.Task(1), wrong);
        Assert.NotEqual(wrong.Commitments[1].MainRoot, proof.MainRoot);
        Assert.Throws<InvalidOperationException>(() => StarkProver.CheckRebuilt(proof, wrong.Commitments[1], 1));
        Assert.Equal(StarkErrors.StatementMismatch, Assert.Throws<ZkVmException>(() => p.Job.Check(wrong, 1, proof)).Code);
    }
}
