using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>
/// The transcript schedule of docs/PROTOCOL.md §8, shared by prover and verifier so that the two can
/// never absorb different things: each step observes what the prover has sent by then.
/// </summary>
internal static class StarkTranscript
{
    public const string DomainSeparator = "zkvm-stark v1";

    /// <summary>Parameters, then every table's identity, shape and public values.</summary>
    public static Transcript Begin(SecurityParameters parameters, StarkStatement statement, int[] logHeights)
    {
        var t = new Transcript(DomainSeparator);
        t.ObserveU32((uint)parameters.LogBlowup);
        t.ObserveU32((uint)parameters.NumQueries);
        t.ObserveU32((uint)parameters.QueryPowBits);
        t.ObserveU32((uint)parameters.LogFinalPolyLength);
        t.ObserveU32((uint)parameters.Batching);
        t.ObserveU32((uint)parameters.LogUpPowBits);
        t.ObserveU32((uint)parameters.ChallengePowBits);
        t.ObserveU32((uint)statement.Airs.Count);
        for (int i = 0; i < statement.Airs.Count; i++)
        {
            var air = statement.Airs[i];
            t.ObserveLabel(air.Name);
            t.ObserveU32((uint)air.MainWidth);
            t.ObserveU32((uint)air.PreprocessedWidth);
            t.ObserveU32((uint)logHeights[i]);
            t.ObserveU32((uint)statement.PublicValues[i].Length);
            t.Observe(statement.PublicValues[i]);
        }
        t.ObserveU32((uint)statement.PublicBus.Count);
        foreach (var entry in statement.PublicBus)
        {
            t.ObserveU32(entry.Bus.Id);
            t.Observe(entry.Multiplicity);
            t.ObserveU32((uint)entry.Values.Length);
            t.Observe(entry.Values);
        }
        return t;
    }

    public static void ObserveOpenings(Transcript t, TableOpenings o)
    {
        foreach (var values in o.Parts)
            foreach (var v in values) t.Observe(v);
    }
}
