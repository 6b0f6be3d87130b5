using System.Collections.Concurrent;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Witness;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine;

/// <summary>Checks a proof of a run of a program against a claim; accepts by returning, rejects with a typed reason.</summary>
public static class MachineVerifier
{
    /// <summary>Journals above this many bytes are refused before any work (the guest limit is 64 MiB).</summary>
    public const int MaxJournalBytes = 64 << 20;

    /// <summary>Verifies a run proven as one shard (at most <see cref="MachineLayout.MaxShardCycles"/> cycles).</summary>
    public static void Verify(MachineProgram program, MachineClaim claim, StarkProof proof, SecurityRegime regime = SecurityRegime.Proven)
    {
        CheckClaim(claim);
        if (claim.Cycles > MachineLayout.MaxShardCycles)
            throw new ZkVmException(MachineErrors.BadShards, $"a run of {claim.Cycles} cycles is proven in shards of at most {MachineLayout.MaxShardCycles}, not as one");
        var circuit = CircuitOf(program);
        StarkVerifier.Verify(circuit.Statement(claim), proof, SecurityPresets.TargetBits, regime);
    }

    /// <summary>
    /// Verifies a run proven in shards of <paramref name="shardCycles"/> (docs/PROTOCOL.md §10): one shard proof per
    /// <paramref name="shardCycles"/> cycles in order, whose boundary pieces start at the given keys (the first at 0,
    /// each at least the one before), all under the LogUp challenges drawn from every shard's commitment.
    /// </summary>
    public static void Verify(MachineProgram program, MachineClaim claim, ulong shardCycles, IReadOnlyList<ShardProof> shards, SecurityRegime regime = SecurityRegime.Proven)
    {
        CheckClaim(claim);
        if (shardCycles is < MachineLayout.MinShardCycles or > MachineLayout.MaxShardCycles)
            throw new ZkVmException(MachineErrors.BadShards, $"the shard size is {shardCycles} cycles; it must be {MachineLayout.MinShardCycles}…{MachineLayout.MaxShardCycles}");
        int count = ShardPosition.CountOf(claim.Cycles, shardCycles);
        if (shards is null || shards.Count != count)
            throw new ZkVmException(MachineErrors.BadShards, $"a run of {claim.Cycles} cycles in shards of {shardCycles} has {count} shards, not {shards?.Count ?? 0}");
        if (count == 1)
        {
            if (shards[0].FirstKey != 0)
                throw new ZkVmException(MachineErrors.BadShards, $"the only shard's boundary starts at key {shards[0].FirstKey}, not 0");
            Verify(program, claim, shards[0].Proof, regime);
            return;
        }
        var circuit = CircuitOf(program);
        var statements = new StarkStatement[count];
        for (int k = 0; k < count; k++)
        {
            uint first = shards[k].FirstKey, end = k + 1 < count ? shards[k + 1].FirstKey : MachineLayout.KeyEnd;
            // The pieces tile [0, KeyEnd): no key lies in two pieces, so no cell opens twice.
            if ((k == 0 && first != 0) || first > end || end > MachineLayout.KeyEnd)
                throw new ZkVmException(MachineErrors.BadShards, $"shard {k}'s boundary piece [{first}, {end}) does not follow the one before it within [0, {MachineLayout.KeyEnd})");
            statements[k] = circuit.ShardStatement(ShardPosition.Of(k, claim.Cycles, shardCycles), first, end);
        }
        StarkVerifier.VerifyShards(statements, [.. shards.Select(s => s.Proof)], circuit.PublicBus(claim, shardCycles), SecurityPresets.TargetBits, regime);
    }

    const int CircuitCacheCapacity = 64;
    static readonly ConcurrentDictionary<(ImageId, ExtensionSet), MachineCircuit> Circuits = new();

    /// <summary>
    /// The program's circuit, built once per ImageId (which binds every part of the program) and extension set object:
    /// a verifier that sees a program again reuses its AIRs, and with them their shapes and fixed columns. A full cache
    /// starts again empty.
    /// </summary>
    internal static MachineCircuit CircuitOf(MachineProgram program)
    {
        var key = (program.ImageId, program.Extensions);
        if (Circuits.TryGetValue(key, out var circuit)) return circuit;
        circuit = new MachineCircuit(program);
        if (Circuits.Count >= CircuitCacheCapacity) Circuits.Clear();
        return Circuits[key] = circuit;
    }

    static void CheckClaim(MachineClaim claim)
    {
        if (claim.Cycles is 0 or > MachineLayout.MaxCycles)
            throw new ZkVmException(MachineErrors.BadClaim, $"a proven run has 1 to {MachineLayout.MaxCycles} cycles, not {claim.Cycles}");
        if (claim.Journal.Length > MaxJournalBytes)
            throw new ZkVmException(MachineErrors.BadClaim, $"the journal has {claim.Journal.Length} bytes; at most {MaxJournalBytes} can be committed");
    }
}
