using ZkVm.Field;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using ZkVm.Crypto;
using ZkVm.Machine;
using ZkVm.Machine.Sharding;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cluster;

/// <summary>
/// Proves a run's shards on a cluster's workers (docs/DISTRIBUTED.md). Pass 1 and the memory replay stay with the caller;
/// each worker gets one shard's task at a time, for phase 1 (commit) and then phase 2 (prove). A shard whose worker
/// leaves the cluster, or fails, is handed to another worker; a proof that fails <see cref="ShardJob.Check"/> is refused,
/// its worker is given no more work in this run, and the shard is redone elsewhere.
/// </summary>
public sealed class ClusterShardProver : IShardProver, IAsyncDisposable, IDisposable
{
    /// <summary>How often membership is read to notice a worker's death (Orleans declares it after its probes fail).</summary>
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    const int MaxAttempts = 4;
    static readonly TimeSpan Rest = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A call that has run this many times longer than the slowest finished call of its phase (and at least
    /// <see cref="MinStraggler"/>) gets a backup on an idle worker once no shard waits; the first result is taken. A call
    /// can be lost without an error: one in flight when a worker was killed never returned from a live worker (twice in
    /// the cluster tests, issue 15), and a live worker's call is otherwise bounded only by the 2-hour response timeout.
    /// </summary>
    const int StragglerFactor = 4;
    static readonly TimeSpan MinStraggler = TimeSpan.FromSeconds(10);

    readonly IHost host;
    readonly IClusterClient client;

    ClusterShardProver(IHost host)
    {
        this.host = host;
        client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>How long to wait for the cluster, and then for at least one worker.</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Connects to the cluster; ZK7002 when no gateway answers within <see cref="ConnectTimeout"/>.</summary>
    public static ClusterShardProver Connect(ClusterConnection cluster)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c => cluster.ConfigureClient(c));
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            host.StartAsync(timeout.Token).GetAwaiter().GetResult();
        }
        // Whatever stops the client from starting (Redis refusing, no gateway, a timeout) means the cluster is out of reach.
        catch (Exception e) when (e is not ZkVmException)
        {
            host.Dispose();
            string why = e is OperationCanceledException
                ? $"no worker answered within {ConnectTimeout.TotalSeconds:F0} s (start them with: zkvm worker --cluster {cluster.Value})"
                : e.Message;
            throw new ZkVmException(ClusterErrors.NoWorkers, $"the cluster at '{cluster.Value}' could not be reached: {why}", e);
        }
        return new ClusterShardProver(host);
    }

    public IReadOnlyList<StarkProof> Prove(ShardJob job) => ProveAsync(job).GetAwaiter().GetResult();

    async Task<StarkProof[]> ProveAsync(ShardJob job)
    {
        byte[] program = Sized(ProgramMessage.Write(job.Program), "the program");
        // A task is encoded when it is handed out, so the client holds one per busy worker, not one per shard of the run.
        byte[] TaskBytes(int k) => Sized(job.Task(k).ToBytes(), $"shard {k}'s task");
        async Task<ShardCommitment> Commit(IShardWorkerGrain grain, int k) => ShardChallenges.ReadCommitment(await grain.Commit(program, TaskBytes(k)));
        void Bar(HashSet<string> refused, int phase, int k, string worker, string reason)
        {
            refused.Add(worker);
            job.Progress?.Report(new ShardStep(phase, k, job.Count) { Event = ShardEvent.Rejected, Worker = worker, Reason = reason });
        }

        var refused = new HashSet<string>();
        var commitments = new ShardCommitment[job.Count];
        var committer = new string[job.Count];
        await Dispatch(job, 1, [.. Enumerable.Range(0, job.Count)], refused, Commit,
            (k, worker, commitment) => { commitments[k] = commitment; committer[k] = worker; return Verdict.Accept; });
        var proofs = new StarkProof?[job.Count];
        while (true)
        {
            var challenges = job.Challenges(commitments);
            byte[] challengeBytes = challenges.ToBytes();
            // A proof whose main root is not the committed one: the prover or the committer lied, and the client cannot tell which yet.
            (int Shard, string Worker, Digest Root)? disputed = null;
            await Dispatch(job, 2, [.. Enumerable.Range(0, job.Count).Where(k => proofs[k] is null)], refused,
                async (grain, k) => StarkProofFormat.Read(await grain.Prove(program, TaskBytes(k), challengeBytes)),
                (k, worker, proof) =>
                {
                    if (proof.MainRoot != commitments[k].MainRoot)
                    {
                        disputed ??= (k, worker, proof.MainRoot);
                        return Verdict.Hold;
                    }
                    try
                    {
                        job.Check(challenges, k, proof);
                        proofs[k] = proof;
                        return Verdict.Accept;
                    }
                    catch (ZkVmException e)
                    {
                        return Verdict.Refuse(e.Message);
                    }
                },
                stop: () => disputed is not null);
            if (disputed is not var (shard, prover, root)) return [.. proofs.Select(p => p!)];

            // A third worker, neither the committer nor the prover, commits the shard again and settles it.
            string original = committer[shard];
            ShardCommitment? third = null;
            string? arbiter = null;
            await Dispatch(job, 1, [shard], refused, Commit, (_, worker, c) => { third = c; arbiter = worker; return Verdict.Accept; },
                may: (_, worker) => worker != original && worker != prover);
            if (third!.MainRoot == commitments[shard].MainRoot)
            {
                // The commitment stands, and with it the challenges and every proof accepted under them: the prover lied.
                Bar(refused, 2, shard, prover, $"its proof is of other traces than the committed ones (root {root}), which {arbiter} confirmed");
                continue;
            }
            Bar(refused, 1, shard, original, $"its commitment {commitments[shard].MainRoot} was not confirmed by {arbiter}");
            if (third.MainRoot != root) Bar(refused, 2, shard, prover, $"its proof's root {root} was not confirmed by {arbiter}");
            commitments[shard] = third;
            committer[shard] = arbiter!;
            // New commitments, new challenges: every shard is proven again under them.
            Array.Clear(proofs);
        }
    }

    /// <summary>What the client makes of a worker's result: taken, refused (the worker is barred and the shard redone elsewhere), or held for arbitration.</summary>
    readonly record struct Verdict(VerdictKind Kind, string? Reason)
    {
        public static Verdict Accept => new(VerdictKind.Accept, null);
        public static Verdict Hold => new(VerdictKind.Hold, null);
        public static Verdict Refuse(string reason) => new(VerdictKind.Refuse, reason);
    }

    enum VerdictKind { Accept, Refuse, Hold }

    /// <summary>
    /// Runs <paramref name="call"/> for every shard of <paramref name="shards"/>, one per idle worker at a time (a worker
    /// <paramref name="may"/> take it), until <paramref name="accept"/> takes a result for each or <paramref name="stop"/> says so.
    /// </summary>
    async Task Dispatch<T>(ShardJob job, int phase, List<int> shards, HashSet<string> refused,
        Func<IShardWorkerGrain, int, Task<T>> call, Func<int, string, T, Verdict> accept, Func<bool>? stop = null, Func<int, string, bool>? may = null)
    {
        may ??= (_, _) => true;
        var pending = new List<int>(shards);
        var failedOn = new Dictionary<int, HashSet<string>>();
        // A worker whose call failed rests a while: a killed worker fails calls at once, long before membership declares it dead.
        var resting = new Dictionary<string, DateTime>();
        var running = new Dictionary<string, (int Shard, Task<T> Call, DateTime Since)>();
        // Shards whose result is taken: a backup's or a straggler's result that comes later is dropped.
        var finished = new HashSet<int>();
        var slowest = TimeSpan.Zero;
        int left = shards.Count;
        var noWorkersSince = DateTime.UtcNow;
        void Report(int k, ShardEvent e, string worker, string? reason = null) =>
            job.Progress?.Report(new ShardStep(phase, k, job.Count) { Event = e, Worker = worker, Reason = reason });
        void Retry(int k, string worker, string reason)
        {
            var workers = failedOn.TryGetValue(k, out var w) ? w : failedOn[k] = [];
            workers.Add(worker);
            resting[worker] = DateTime.UtcNow + Rest;
            if (workers.Count >= MaxAttempts)
                throw new ZkVmException(ClusterErrors.ShardFailed, $"phase {phase} of shard {k} failed on {workers.Count} workers; the last, {worker}: {reason}");
            // A shard that another call still works on waits for that one.
            if (!running.Values.Any(r => r.Shard == k)) pending.Add(k);
        }
        // The longest-running call that has no backup yet, once one call of the phase has finished and this one has run
        // StragglerFactor times as long, which the idle worker may take.
        int? Straggler(string idle)
        {
            if (slowest == TimeSpan.Zero) return null;
            var threshold = TimeSpan.FromTicks(Math.Max(MinStraggler.Ticks, StragglerFactor * slowest.Ticks));
            var now = DateTime.UtcNow;
            var slow = running.Values.Where(r => now - r.Since > threshold && running.Values.Count(o => o.Shard == r.Shard) == 1
                    && may(r.Shard, idle) && !(failedOn.TryGetValue(r.Shard, out var failed) && failed.Contains(idle)))
                .OrderBy(r => r.Since).Select(r => (int?)r.Shard).FirstOrDefault();
            return slow;
        }
        var known = new Dictionary<string, string>();
        // A cancelled proof stops waiting at once; shards already handed out finish on their workers, unread.
        var cancellation = Kernels.Cancellation;
        while (left > 0 && stop?.Invoke() != true)
        {
            cancellation.ThrowIfCancellationRequested();
            Dictionary<string, string> workers;
            try
            {
                workers = (await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys
                    .Where(s => !refused.Contains(WorkerHost.NameOf(s))).ToDictionary(WorkerHost.NameOf, s => s.ToParsableString());
                known = workers;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // The management grain (or its directory entry) may live on a worker that just died: until membership
                // declares it dead, calls to it fail. Keep the last view and ask again at the next poll.
                workers = known.Where(w => !refused.Contains(w.Key)).ToDictionary();
                await Task.Delay(Poll, cancellation);
            }
            foreach (var (worker, (k, _, _)) in running.Where(r => !workers.ContainsKey(r.Key)).ToList())
            {
                running.Remove(worker);
                if (finished.Contains(k)) continue;
                Report(k, ShardEvent.Lost, worker, "the worker left the cluster");
                Retry(k, worker, "the worker left the cluster");
            }
            if (workers.Count == 0 && DateTime.UtcNow - noWorkersSince > ConnectTimeout)
                throw new ZkVmException(ClusterErrors.NoWorkers, $"no worker is active in the cluster (for {ConnectTimeout.TotalSeconds:F0} s), {left} shards of phase {phase} left");
            if (workers.Count > 0) noWorkersSince = DateTime.UtcNow;
            foreach (int k in pending)
                if (workers.Count > 0 && workers.Keys.All(w => !may(k, w) || (failedOn.TryGetValue(k, out var failed) && failed.Contains(w))))
                    throw new ZkVmException(ClusterErrors.ShardFailed,
                        $"phase {phase} of shard {k} has no worker left to take it (failed on: {string.Join(", ", failedOn.GetValueOrDefault(k) ?? [])}; active: {string.Join(", ", workers.Keys)})");
            foreach (var (worker, key) in workers)
            {
                if (running.ContainsKey(worker) || (resting.TryGetValue(worker, out var until) && until > DateTime.UtcNow)) continue;
                int at = pending.FindIndex(k => may(k, worker));
                string? backup = null;
                if (at < 0)
                {
                    if (pending.Count > 0 || Straggler(worker) is not int slow) continue;
                    var (straggler, (_, _, since)) = running.First(r => r.Value.Shard == slow);
                    backup = $"a backup: its call on {straggler} has run {(DateTime.UtcNow - since).TotalSeconds:F0} s";
                    pending.Add(slow);
                    at = pending.Count - 1;
                }
                int k = pending[at];
                pending.RemoveAt(at);
                running[worker] = (k, call(client.GetGrain<IShardWorkerGrain>(key), k), DateTime.UtcNow);
                Report(k, ShardEvent.Started, worker, backup);
            }
            await Task.WhenAny(running.Values.Select(r => (Task)r.Call).Append(Task.Delay(Poll, cancellation)));
            cancellation.ThrowIfCancellationRequested();
            foreach (var (worker, (k, task, since)) in running.Where(r => r.Value.Call.IsCompleted).ToList())
            {
                running.Remove(worker);
                if (finished.Contains(k)) continue;
                if (task.IsCompletedSuccessfully)
                {
                    var verdict = accept(k, worker, task.Result);
                    if (verdict.Kind == VerdictKind.Refuse)
                    {
                        // A worker that returned a result the checks refuse gets no more work in this run.
                        refused.Add(worker);
                        Report(k, ShardEvent.Rejected, worker, verdict.Reason);
                        Retry(k, worker, verdict.Reason!);
                    }
                    else if (verdict.Kind == VerdictKind.Accept)
                    {
                        left--;
                        finished.Add(k);
                        if (DateTime.UtcNow - since > slowest) slowest = DateTime.UtcNow - since;
                        Report(k, ShardEvent.Done, worker);
                    }
                }
                else
                {
                    string reason = task.Exception?.GetBaseException().Message ?? "cancelled";
                    Report(k, ShardEvent.Lost, worker, reason);
                    Retry(k, worker, reason);
                }
            }
        }
    }

    static byte[] Sized(byte[] message, string what) =>
        message.Length <= ClusterConnection.MaxMessageBytes ? message
            : throw new ZkVmException(ClusterErrors.MessageTooLarge, $"{what} takes {message.Length} bytes; one message carries at most {ClusterConnection.MaxMessageBytes} (use smaller shards)");

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
