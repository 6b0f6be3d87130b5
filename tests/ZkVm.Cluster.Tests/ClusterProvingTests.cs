using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Machine;
using ZkVm.Machine.Sharding;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cluster.Tests;

/// <summary>
/// docs/DISTRIBUTED.md, end to end: a real redis-server for membership, workers as real <c>zkvm worker</c> processes,
/// and a client proving samples/fibonacci in four shards through them.
/// </summary>
public sealed class ClusterProvingTests
{
    static readonly TimeSpan ProveTimeout = TimeSpan.FromMinutes(6);
    static readonly Regex Event = new(@"^cluster: (?<phase>commit|prove) shard (?<shard>\d+)/\d+ (?<what>started on|done by|REFUSED from|LOST with) worker (?<worker>\S+)");

    static WorkerProcess[] StartWorkers(RedisServer redis, int count)
    {
        var workers = new WorkerProcess[count];
        Parallel.For(0, count, i => workers[i] = new WorkerProcess(redis.Connection));
        return workers;
    }

    /// <summary><c>zkvm prove --cluster</c> on the guest, in four shards, writing a receipt to a temporary file.</summary>
    static ZkvmProcess StartClient(RedisServer redis, out string receipt)
    {
        receipt = Path.Combine(Path.GetTempPath(), $"cluster-{Guid.NewGuid():N}.receipt");
        return new ZkvmProcess("prove", Guest.ElfPath, "--input", Guest.InputPath, "-o", receipt,
            "--shard-size", Guest.ShardCycles.ToString(), "--cluster", redis.Connection);
    }

    static IEnumerable<Match> Events(ZkvmProcess client, string what) =>
        client.Lines.Select(l => Event.Match(l)).Where(m => m.Success && m.Groups["what"].Value == what);

    static void AssertVerifies(string receiptPath)
    {
        var receipt = Receipt.Load(receiptPath);
        Assert.Equal(Guest.Shards, receipt.Shards.Count);
        receipt.Verify(ZkProgram.Load(Guest.ElfPath));
    }

    [Fact]
    public void Three_workers_prove_a_run_in_shards_and_each_proves_at_least_one()
    {
        using var redis = new RedisServer();
        var workers = StartWorkers(redis, 3);
        try
        {
            using var client = StartClient(redis, out string receipt);
            client.WaitForExit(ProveTimeout);
            Assert.True(client.ExitCode == 0, client.Output);
            var done = Events(client, "done by").ToList();
            foreach (var phase in new[] { "commit", "prove" })
                Assert.Equal(Enumerable.Range(1, Guest.Shards), done.Where(m => m.Groups["phase"].Value == phase).Select(m => int.Parse(m.Groups["shard"].Value)).Order());
            foreach (var worker in workers)
                Assert.True(done.Any(m => m.Groups["phase"].Value == "prove" && m.Groups["worker"].Value == worker.Name), $"worker {worker.Name} proved no shard:\n{client.Output}");
            AssertVerifies(receipt);
            File.Delete(receipt);
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
    }

    [Fact]
    public void A_worker_killed_mid_run_has_its_shard_proven_elsewhere()
    {
        using var redis = new RedisServer();
        var workers = StartWorkers(redis, 3);
        try
        {
            using var client = StartClient(redis, out string receipt);
            // Phase 2 under way: the first worker handed a shard to prove dies with it.
            string started = client.WaitFor(l => Event.Match(l) is { Success: true } m && m.Groups["phase"].Value == "prove" && m.Groups["what"].Value == "started on",
                ProveTimeout, "phase 2's first shard");
            string victim = Event.Match(started).Groups["worker"].Value;
            string shard = Event.Match(started).Groups["shard"].Value;
            workers.Single(w => w.Name == victim).Process.Kill();
            client.WaitForExit(ProveTimeout);
            Assert.True(client.ExitCode == 0, client.Output);
            // The client notices one of two ways: membership declares the victim dead, or its call outlives the phase's
            // others and an idle worker gets a backup of it, whichever comes first.
            var backup = new Regex($@"^cluster: prove shard {shard}/\d+ started on worker \S+ \(a backup: its call on {Regex.Escape(victim)} has run", RegexOptions.Multiline);
            Assert.True(Events(client, "LOST with").Any(m => m.Groups["worker"].Value == victim && m.Groups["shard"].Value == shard) || backup.IsMatch(client.Output),
                client.Output);
            Assert.Contains(Events(client, "done by"), m => m.Groups["phase"].Value == "prove" && m.Groups["shard"].Value == shard && m.Groups["worker"].Value != victim);
            AssertVerifies(receipt);
            File.Delete(receipt);
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
    }

    /// <summary>Proves honestly, then edits one LogUp sum of the proof it returns: a well-formed proof of nothing.</summary>
    sealed class ForgingWorker(IShardWorker honest) : IShardWorker
    {
        public byte[] Commit(byte[] program, byte[] task) => honest.Commit(program, task);

        public byte[] Prove(byte[] program, byte[] task, byte[] challenges)
        {
            var proof = StarkProofFormat.Read(honest.Prove(program, task, challenges));
            var sums = proof.CumulativeSums.ToArray();
            sums[0] += BabyBearExt4.One;
            return StarkProofFormat.Write(proof with { CumulativeSums = sums });
        }
    }

    /// <summary>Commits honestly, then returns another root: a commitment no honest proof of its shard can match.</summary>
    sealed class LyingCommitter(IShardWorker honest) : IShardWorker
    {
        public byte[] Commit(byte[] program, byte[] task)
        {
            var commitment = ShardChallenges.ReadCommitment(honest.Commit(program, task));
            return ShardChallenges.Write(commitment with { MainRoot = Poseidon2Hash.Compress(commitment.MainRoot, commitment.MainRoot) });
        }

        public byte[] Prove(byte[] program, byte[] task, byte[] challenges) => honest.Prove(program, task, challenges);
    }

    sealed class Recorder : IProgress<ProofProgress>
    {
        public ConcurrentQueue<ProofProgress> Events { get; } = new();
        public void Report(ProofProgress value) => Events.Enqueue(value);
    }

    /// <summary>Commits honestly; its first proof never comes back (until released), as a call lost in flight.</summary>
    sealed class StallingWorker(IShardWorker honest, ManualResetEventSlim release) : IShardWorker
    {
        int calls;

        public byte[] Commit(byte[] program, byte[] task) => honest.Commit(program, task);

        public byte[] Prove(byte[] program, byte[] task, byte[] challenges)
        {
            if (Interlocked.Increment(ref calls) == 1) release.Wait();
            return honest.Prove(program, task, challenges);
        }
    }

    static IHost InProcessWorker(RedisServer redis, Func<IShardWorker, IShardWorker> wrap) =>
        WorkerHost.Build(new WorkerOptions(ClusterConnection.Parse(redis.Connection))
        {
            Advertise = IPAddress.Loopback,
            Worker = machine => wrap(new ShardWorker(machine)),
        });

    /// <summary>
    /// Proves the guest on a cluster of an in-process double made by <paramref name="wrap"/> (it joins first, so that every
    /// member knows it by the time the run starts) and one honest worker process, and verifies the receipt;
    /// <paramref name="check"/> gets the events that name a worker, the double's name and the honest worker's.
    /// <paramref name="beforeStop"/> runs before the double is stopped, whatever happened.
    /// </summary>
    static async Task ProveBesideADouble(Func<IShardWorker, IShardWorker> wrap, Action<List<ProofProgress>, string, string> check, Action? beforeStop = null)
    {
        using var redis = new RedisServer();
        using var fake = InProcessWorker(redis, wrap);
        await fake.StartAsync();
        using var honest = new WorkerProcess(redis.Connection);
        try
        {
            var progress = new Recorder();
            var receipt = ZkProgram.Load(Guest.ElfPath).Prove(File.ReadAllBytes(Guest.InputPath),
                new ProverOptions { ShardCycles = Guest.ShardCycles, Cluster = redis.Connection }, progress);
            check([.. progress.Events.Where(e => e.Worker is not null)], WorkerHost.Name(fake), honest.Name);
            receipt.Verify(ZkProgram.Load(Guest.ElfPath));
        }
        finally
        {
            beforeStop?.Invoke();
            await fake.StopAsync();
        }
    }

    [Fact]
    public Task A_worker_returning_a_forged_proof_is_refused_and_its_shard_proven_elsewhere() =>
        ProveBesideADouble(w => new ForgingWorker(w), (events, forgerName, honestName) =>
        {
            var refused = events.Where(e => e.Event == ShardEvent.Rejected).ToList();
            Assert.NotEmpty(refused);
            Assert.All(refused, e => Assert.Equal(forgerName, e.Worker));
            Assert.All(refused, e => Assert.StartsWith("ZK34", e.Reason));
            // Each refused shard is proven by the honest worker, and the forger gets no work after its first refusal.
            foreach (var e in refused)
                Assert.Contains(events, d => d.Event == ShardEvent.Done && d.Stage == "prove" && d.Shard == e.Shard && d.Worker == honestName);
            int firstRefusal = events.IndexOf(refused[0]);
            Assert.DoesNotContain(events.Skip(firstRefusal), e => e.Event == ShardEvent.Started && e.Worker == forgerName);
        });

    [Fact]
    public async Task A_call_that_does_not_come_back_gets_a_backup_on_an_idle_worker()
    {
        using var release = new ManualResetEventSlim();
        // Without backups the run would wait for the stalled call: released after two minutes, it ends without one and fails.
        using var deadline = new Timer(_ => release.Set(), null, TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan);
        await ProveBesideADouble(w => new StallingWorker(w, release), (events, stallerName, honestName) =>
        {
            var stalled = events.First(e => e.Event == ShardEvent.Started && e.Stage == "prove" && e.Worker == stallerName);
            Assert.Contains(events, e => e.Event == ShardEvent.Started && e.Stage == "prove" && e.Shard == stalled.Shard && e.Worker == honestName
                && e.Reason?.StartsWith($"a backup: its call on {stallerName} has run", StringComparison.Ordinal) == true);
            Assert.Contains(events, e => e.Event == ShardEvent.Done && e.Stage == "prove" && e.Shard == stalled.Shard && e.Worker == honestName);
            // Every shard is taken once, the backup's included.
            Assert.Equal(Enumerable.Range(1, Guest.Shards), events.Where(e => e.Event == ShardEvent.Done && e.Stage == "prove").Select(e => e.Shard).Order());
        }, release.Set);
    }

    [Fact]
    public async Task A_worker_lying_about_its_commitment_is_found_out_by_a_third_and_no_honest_worker_is_blamed()
    {
        using var redis = new RedisServer();
        // The double joins first, so that every member knows it when phase 1 deals its first shards.
        using var liar = InProcessWorker(redis, w => new LyingCommitter(w));
        await liar.StartAsync();
        var honest = StartWorkers(redis, 2);
        string liarName = WorkerHost.Name(liar);
        try
        {
            var progress = new Recorder();
            var receipt = ZkProgram.Load(Guest.ElfPath).Prove(File.ReadAllBytes(Guest.InputPath),
                new ProverOptions { ShardCycles = Guest.ShardCycles, Cluster = redis.Connection }, progress);
            var events = progress.Events.Where(e => e.Worker is not null).ToList();
            Assert.Contains(events, e => e.Event == ShardEvent.Done && e.Stage == "commit" && e.Worker == liarName);
            var refused = events.Where(e => e.Event == ShardEvent.Rejected).ToList();
            Assert.Contains(refused, e => e.Stage == "commit" && e.Worker == liarName);
            Assert.All(refused, e => Assert.Equal(liarName, e.Worker));
            receipt.Verify(ZkProgram.Load(Guest.ElfPath));
        }
        finally
        {
            await liar.StopAsync();
            foreach (var w in honest) w.Dispose();
        }
    }
}
