using Microsoft.Extensions.Logging;
using ZkVm.Machine;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Sharding;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cluster;

/// <summary>What a worker does with a shard message; the grain hands it over, tests put a double in its place.</summary>
public interface IShardWorker
{
    byte[] Commit(byte[] program, byte[] task);
    byte[] Prove(byte[] program, byte[] task, byte[] challenges);
}

/// <summary>Proves shards with this process's engine, on the machine (extensions) the worker was started with.</summary>
public sealed class ShardWorker(ExtensionSet machine) : IShardWorker
{
    public byte[] Commit(byte[] program, byte[] task) =>
        ShardChallenges.Write(ShardWork.Commit(ProgramOf(program), ShardTask.FromBytes(task)));

    public byte[] Prove(byte[] program, byte[] task, byte[] challenges) =>
        StarkProofFormat.Write(ShardWork.Prove(ProgramOf(program), ShardTask.FromBytes(task), ShardChallenges.FromBytes(challenges)));

    // A run sends every shard the same program: the last one is kept, so it is loaded once per run, not per shard.
    (byte[] Bytes, MachineProgram Program)? last;

    MachineProgram ProgramOf(byte[] bytes)
    {
        if (last is { } kept && kept.Bytes.AsSpan().SequenceEqual(bytes)) return kept.Program;
        var program = ProgramMessage.Read(bytes, machine);
        last = (bytes, program);
        return program;
    }
}

/// <summary>
/// The worker's grain: one shard at a time (a shard's proof already uses every core), run off Orleans' scheduler so
/// the silo keeps answering membership probes while it proves.
/// </summary>
[SiloTargetedPlacement]
sealed class ShardWorkerGrain(IShardWorker worker, ILogger<ShardWorkerGrain> log) : Grain, IShardWorkerGrain
{
    public Task<byte[]> Commit(byte[] program, byte[] task) => Run("commit", () => worker.Commit(program, task));

    public Task<byte[]> Prove(byte[] program, byte[] task, byte[] challenges) => Run("prove", () => worker.Prove(program, task, challenges));

    async Task<byte[]> Run(string what, Func<byte[]> work)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            byte[] result = await Task.Run(work);
            log.LogInformation("{What}: {Bytes} bytes in {Seconds:F2} s", what, result.Length, clock.Elapsed.TotalSeconds);
            return result;
        }
        catch (ZkVmException e)
        {
            log.LogWarning("{What} failed: {Code} {Message}", what, e.Code, e.Message);
            // Orleans carries exceptions it knows; the code and message travel in one it does.
            throw new InvalidOperationException(e.Message);
        }
    }
}
