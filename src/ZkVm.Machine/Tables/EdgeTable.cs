namespace ZkVm.Machine.Tables;

/// <summary>
/// Where a shard meets its neighbours (docs/PROTOCOL.md §10.2): its first row takes the pc shard k − 1 handed on
/// and starts the shard's execution there at timestamp 4, and takes the (pc, ts) the shard's last instruction
/// passed on and hands that pc to shard k + 1. The first shard starts at the entry (a public bus term) and the
/// last ends with HALT, so the public values switch those ends off.
/// </summary>
[ZkAir("edge", PublicValues = 4)]
public partial struct EdgeTable
{
    [Col(Fixed = true)] public BabyBear First;
    [Col] public BabyBear StartPc, EndPc;

    public readonly int? FixedLogHeight => 2;

    public readonly RowMajorMatrix? Preprocessed(int height)
    {
        var m = new RowMajorMatrix(PreprocessedWidth, height);
        m[0, 0] = BabyBear.One;
        return m;
    }

    /// <summary>The public values of shard <paramref name="shard"/>: its index, the timestamp after its last instruction,
    /// whether it starts from a previous shard and whether it hands on to a next one.</summary>
    public static BabyBear[] PublicValuesOf(ShardPosition shard) =>
        [F((uint)shard.Index), F(MachineLayout.Timestamp(shard.Cycles)), F(shard.IsFirst ? 0u : 1), F(shard.IsLast ? 0u : 1)];

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE shard = b.Public(0), endTs = b.Public(1);
        TE starts = local.First * b.Public(2), ends = local.First * b.Public(3);
        b.Receive(MachineBuses.Continue, starts, local.StartPc, shard);
        b.Send(MachineBuses.Execution, starts, local.StartPc, TE.From(MachineLayout.Timestamp(0)));
        b.Receive(MachineBuses.Execution, ends, local.EndPc, endTs);
        b.Send(MachineBuses.Continue, ends, local.EndPc, shard + TE.From(1));
        // An end the shard does not have, and rows past the first, carry nothing, so no column is free.
        b.When(TE.From(1) - starts).AssertZero(local.StartPc);
        b.When(TE.From(1) - ends).AssertZero(local.EndPc);
    }

    /// <summary>The edge of a shard that starts at <paramref name="startPc"/> and hands <paramref name="endPc"/> on (0 for an end it does not have).</summary>
    public static RowMajorMatrix Fill(uint startPc, uint endPc)
    {
        var m = new RowMajorMatrix(new EdgeTable().MainWidth, 1 << new EdgeTable().FixedLogHeight!.Value);
        var row = new MainRow<BabyBear>(m.Row(0));
        row.StartPc = F(startPc);
        row.EndPc = F(endPc);
        return m;
    }
}
