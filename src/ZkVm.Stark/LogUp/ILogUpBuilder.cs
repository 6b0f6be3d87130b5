using ZkVm.Stark.Air;

namespace ZkVm.Stark.LogUp;

/// <summary>A builder that can also see the LogUp columns, challenges and the table's claimed sum.</summary>
public interface ILogUpBuilder<TE> : IAirBuilder<TE> where TE : IAirExpression<TE>
{
    TE Aux(int column);
    TE AuxNext(int column);
    TE Alpha { get; }
    TE Beta { get; }
    /// <summary>The shard the table belongs to, which offsets its per-shard buses (<see cref="Bus.Constant"/>); 0 outside a run in shards.</summary>
    uint Shard { get; }
    /// <summary>The table's cumulative sum as claimed in the proof.</summary>
    TE CumulativeSum { get; }
}
