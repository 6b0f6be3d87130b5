using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ZkVm.Host.Tests.Support;
using ZkVm.Stark.Security;

namespace ZkVm.Host.Tests;

/// <summary>Proving stages through ILogger and the ZkVm.Host ActivitySource, as .NET applications trace everything else.</summary>
public class TracingTests
{
    sealed class Recorder : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue((logLevel, formatter(state, exception)));
    }

    [Fact]
    public void Each_stage_is_logged_and_an_event_of_the_prove_activity()
    {
        var program = EchoGuest.Program;
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ZkVm.Host",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        // Other tests prove the same guest at the same time and the listener hears every thread,
        // so this test's activities are told apart by their parent.
        using var test = new Activity(nameof(Each_stage_is_logged_and_an_event_of_the_prove_activity)).Start();
        var logger = new Recorder();
        var receipt = program.Prove(EchoGuest.Input, new ProverOptions { Preset = SecurityPreset.Conjectured100, Logger = logger });

        var prove = activities.Single(a => a.OperationName == "zkvm.prove" && a.Parent == test);
        Assert.Equal(program.ImageId.ToString(), (string?)prove.GetTagItem("zkvm.image_id"));
        Assert.Equal(receipt.Cycles, (ulong)prove.GetTagItem("zkvm.cycles")!);
        Assert.Equal(7u, (uint)prove.GetTagItem("zkvm.exit_code")!);
        string[] events = [.. prove.Events.Select(e => e.Name)];
        Assert.Equal(ZkProgram.Stages[0], events[0]);
        Assert.Equal("done", events[^1]);
        Assert.Contains("queries", events);
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Information && l.Message.StartsWith("proving: queries", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Message.StartsWith($"proved {receipt.Cycles} cycles of {program.ImageId}", StringComparison.Ordinal));

        // A proof that fails ends its activity in error and logs why.
        Assert.Throws<GuestTrapException>(() => program.Prove(EchoGuest.Input, new ProverOptions { MaxCycles = 2, Logger = logger }));
        Assert.Contains(activities, a => a.Parent == test && a.Status == ActivityStatusCode.Error && a.StatusDescription!.Contains("ZK5001"));
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("ZK5001"));
    }
}
