using System.Runtime.CompilerServices;

namespace ZkVm.Stark.Air;

/// <summary>
/// The vocabulary of constraints. An AIR states its constraints once, against this interface, and
/// every builder (symbolic, debug, prover, verifier) evaluates them in its own way.
/// </summary>
/// <remarks>
/// Constraints relate the current row to the next; a constraint holds on every row unless it is
/// multiplied by a selector: <see cref="IsFirstRow"/>, <see cref="IsLastRow"/>, or
/// <see cref="IsTransition"/> (every row but the last, so that "next" never wraps around).
/// The maximum degree of a constraint, selectors counted as degree 1, is 3.
/// </remarks>
public interface IAirBuilder<TE> where TE : IAirExpression<TE>
{
    TE Main(int column);
    TE MainNext(int column);
    TE Preprocessed(int column);
    TE PreprocessedNext(int column);
    TE Public(int index);
    TE IsFirstRow { get; }
    TE IsLastRow { get; }
    TE IsTransition { get; }

    /// <summary>Requires <paramref name="constraint"/> to vanish; its source text names it in errors.</summary>
    void AssertZero(TE constraint, [CallerArgumentExpression(nameof(constraint))] string name = "");

    /// <summary>Adds the tuple to <paramref name="bus"/> with the given multiplicity (degree ≤ 1).</summary>
    void Send(Bus bus, TE multiplicity, params ReadOnlySpan<TE> values);

    /// <summary>Takes the tuple from <paramref name="bus"/> with the given multiplicity (degree ≤ 1).</summary>
    void Receive(Bus bus, TE multiplicity, params ReadOnlySpan<TE> values);
}

/// <summary>
/// A named channel of a LogUp argument; the id separates the buses of one proof. A bus that is
/// <see cref="PerShard"/> balances within each shard of a run proven in shards (docs/PROTOCOL.md §10.2):
/// its tuples carry the shard's index, so a tuple of one shard never cancels one of another.
/// </summary>
public readonly record struct Bus(uint Id, string Name)
{
    /// <summary>Bus ids are below this, so that (id, shard) ↦ id + <see cref="MaxIds"/>·shard is one-to-one for shards below <see cref="MaxShards"/>.</summary>
    public const uint MaxIds = 256;

    /// <summary>The most shards one run may have: 256·2^22 = 2^30 &lt; p keeps every bus constant distinct.</summary>
    public const int MaxShards = 1 << 22;

    public bool PerShard { get; init; }

    /// <summary>The constant this bus adds to a denominator in shard <paramref name="shard"/>: its id, offset by the shard for a per-shard bus.</summary>
    public uint Constant(uint shard) => PerShard ? Id + MaxIds * shard : Id;
}
