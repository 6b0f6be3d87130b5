using System.Collections.Concurrent;
using System.Diagnostics;
using ZkVm.Host.Tests.Support;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Security;

namespace ZkVm.Host.Tests;

/// <summary>ProveAsync and ExecuteAsync: proofs started together run together, and a cancelled proof or run stops (CancellationTests: how soon).</summary>
public class AsyncProvingTests
{
    static readonly ProverOptions Fast = new() { Preset = SecurityPreset.Conjectured100 };

    /// <summary>Calls back on the reporting thread, unlike Progress&lt;T&gt;, which posts to a context.</summary>
    sealed class Recorder(Action<ProofProgress> report) : IProgress<ProofProgress>
    {
        public void Report(ProofProgress value) => report(value);
    }

    [Fact]
    public async Task Four_proofs_started_together_all_start_before_any_ends_and_all_verify()
    {
        var program = EchoGuest.Program;
        var clock = Stopwatch.StartNew();
        var started = new ConcurrentDictionary<int, TimeSpan>();
        var ended = new TimeSpan[4];
        var proofs = Enumerable.Range(0, 4).Select(async i =>
        {
            var receipt = await program.ProveAsync(EchoGuest.Input, Fast, new Recorder(_ => started.TryAdd(i, clock.Elapsed)));
            ended[i] = clock.Elapsed;
            return receipt;
        }).ToArray();
        var receipts = await Task.WhenAll(proofs);
        Assert.Equal(4, started.Count);
        Assert.True(started.Values.Max() < ended.Min(), $"started at {string.Join(", ", started.Values)}; the first ended at {ended.Min()}");
        var verifier = new Verifier(policy: new VerificationPolicy { Minimum = SecurityRegime.Conjectured, ExitCodes = [7] });
        foreach (var receipt in receipts)
            verifier.Verify(receipt.ToBytes(), program.ImageId);
    }

    [Fact]
    public async Task A_proof_cancelled_as_a_stage_starts_ends_with_OperationCanceledException_before_the_next()
    {
        var program = EchoGuest.Program;
        using var cancel = new CancellationTokenSource();
        var stages = new ConcurrentQueue<string>();
        var task = program.ProveAsync(EchoGuest.Input, Fast, new Recorder(p =>
        {
            stages.Enqueue(p.Stage);
            if (p.Stage == "re-execute") cancel.Cancel();
        }), cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled || task.IsFaulted);
        Assert.DoesNotContain("done", stages);
        Assert.DoesNotContain("queries", stages);

        // Cancelled before it starts: nothing runs.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => program.ProveAsync(EchoGuest.Input, Fast, cancellationToken: cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => program.ExecuteAsync(EchoGuest.Input, cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task A_run_that_would_take_seconds_stops_soon_after_it_is_cancelled()
    {
        // Four billion cycles of a jump to itself: about six seconds of interpreting, cut short.
        var spin = ZkProgram.Load(Guests.FromText("spin.S", ".text\n.globl _start\n_start:\n1: j 1b\n", bare: true));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();
        var task = spin.ExecuteAsync(ReadOnlyMemory<byte>.Empty, cancellationToken: cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the run stopped {clock.Elapsed.TotalMilliseconds:F0} ms after it started, 100 ms after its cancellation");

        // Proving it stops in pass 1, the same way.
        using var again = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var proof = spin.ProveAsync(ReadOnlyMemory<byte>.Empty, cancellationToken: again.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => proof);
        Assert.True(proof.IsCanceled);
    }

    [Fact]
    public async Task Bad_options_are_refused_before_the_task_starts()
    {
        // Thrown by the call itself, not by the task: a caller learns of it before anything is scheduled.
        var e = Assert.Throws<ZkVmException>(() => { _ = EchoGuest.Program.ProveAsync(EchoGuest.Input, new ProverOptions { MaxCycles = 0 }); });
        Assert.Equal(HostErrors.BadOptions, e.Code);
        var run = await EchoGuest.Program.ExecuteAsync(EchoGuest.Input);
        Assert.Equal(7u, run.ExitCode);
    }
}
