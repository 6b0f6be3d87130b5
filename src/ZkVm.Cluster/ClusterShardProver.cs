using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
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
        var refused = new HashSet<string>();
        var commitments = new ShardCommitment[job.Count];
        var committer = new string[job.Count];
        var toCommit = Enumerable.Range(0, job.Count).ToList();
        while (true)
        {
            await Dispatch(job, 1, toCommit, refused, async (grain, k) => ShardChallenges.ReadCommitment(await grain.Commit(program, TaskBytes(k))),
                (k, worker, commitment) => { commitments[k] = commitment; committer[k] = worker; return null; });
            var challenges = job.Challenges(commitments);
            byte[] challengeBytes = challenges.ToBytes();
            var proofs = new StarkProof[job.Count];
            // Workers whose proof of a shard was refused because it is not of the committed traces: two of them, and the
            // commitment itself is suspect (its worker may have lied in phase 1), so that shard is committed again elsewhere.
            var mismatches = new Dictionary<int, HashSet<string>>();
            int? suspect = null;
            await Dispatch(job, 2, [.. Enumerable.Range(0, job.Count)], refused, async (grain, k) => StarkProofFormat.Read(await grain.Prove(program, TaskBytes(k), challengeBytes)),
                (k, worker, proof) =>
                {
                    try
                    {
                        job.Check(challenges, k, proof);
                        proofs[k] = proof;
                        return null;
                    }
                    catch (ZkVmException e)
                    {
                        if (e.Code == StarkErrors.StatementMismatch && proof.MainRoot != commitments[k].MainRoot)
                        {
                            var seen = mismatches.TryGetValue(k, out var s) ? s : mismatches[k] = [];
                            seen.Add(worker);
                            if (seen.Count >= 2) suspect ??= k;
                        }
                        return $"{e.Code}: {e.Message}";
                    }
                },
                stop: () => suspect is not null);
            if (suspect is not int k0) return proofs;
            refused.Add(committer[k0]);
            job.Progress?.Report(new ShardStep(1, k0, job.Count) { Event = ShardEvent.Rejected, Worker = committer[k0], Reason = "its commitment matched no other worker's proof" });
            toCommit = [k0];
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> for every shard of <paramref name="shards"/>, one per idle worker at a time, until
    /// <paramref name="accept"/> takes a result for each (it returns null, or why it refuses one).
    /// </summary>
    async Task Dispatch<T>(ShardJob job, int phase, List<int> shards, HashSet<string> refused,
        Func<IShardWorkerGrain, int, Task<T>> call, Func<int, string, T, string?> accept, Func<bool>? stop = null)
    {
        var pending = new Queue<int>(shards);
        var failedOn = new Dictionary<int, HashSet<string>>();
        // A worker whose call failed rests a while: a killed worker fails calls at once, long before membership declares it dead.
        var resting = new Dictionary<string, DateTime>();
        var running = new Dictionary<string, (int Shard, Task<T> Call)>();
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
            pending.Enqueue(k);
        }
        while (left > 0 && stop?.Invoke() != true)
        {
            var workers = (await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys
                .Where(s => !refused.Contains(WorkerHost.NameOf(s))).ToDictionary(WorkerHost.NameOf, s => s.ToParsableString());
            foreach (var (worker, (k, _)) in running.Where(r => !workers.ContainsKey(r.Key)).ToList())
            {
                running.Remove(worker);
                Report(k, ShardEvent.Lost, worker, "the worker left the cluster");
                Retry(k, worker, "the worker left the cluster");
            }
            if (workers.Count == 0 && DateTime.UtcNow - noWorkersSince > ConnectTimeout)
                throw new ZkVmException(ClusterErrors.NoWorkers, $"no worker is active in the cluster (for {ConnectTimeout.TotalSeconds:F0} s), {left} shards of phase {phase} left");
            if (workers.Count > 0) noWorkersSince = DateTime.UtcNow;
            foreach (int k in pending)
                if (workers.Count > 0 && failedOn.TryGetValue(k, out var failed) && workers.Keys.All(failed.Contains))
                    throw new ZkVmException(ClusterErrors.ShardFailed, $"phase {phase} of shard {k} failed on every worker of the cluster ({string.Join(", ", failed)})");
            foreach (var (worker, key) in workers)
            {
                if (pending.Count == 0) break;
                if (running.ContainsKey(worker) || (resting.TryGetValue(worker, out var until) && until > DateTime.UtcNow)) continue;
                int k = pending.Dequeue();
                running[worker] = (k, call(client.GetGrain<IShardWorkerGrain>(key), k));
                Report(k, ShardEvent.Started, worker);
            }
            await Task.WhenAny(running.Values.Select(r => (Task)r.Call).Append(Task.Delay(Poll)));
            foreach (var (worker, (k, task)) in running.Where(r => r.Value.Call.IsCompleted).ToList())
            {
                running.Remove(worker);
                if (task.IsCompletedSuccessfully)
                {
                    if (accept(k, worker, task.Result) is string refusal)
                    {
                        // A worker that returned a result the checks refuse gets no more work in this run.
                        refused.Add(worker);
                        Report(k, ShardEvent.Rejected, worker, refusal);
                        Retry(k, worker, refusal);
                    }
                    else
                    {
                        left--;
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
