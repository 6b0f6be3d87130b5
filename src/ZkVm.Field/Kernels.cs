namespace ZkVm.Field;

/// <summary>
/// What the long kernels (NTTs, Merkle trees, constraint and LogUp evaluation, trace filling, grinding) observe of the
/// proof they serve: its cancellation, looked at between blocks of work so that a cancelled proof stops within a block's
/// time rather than a stage's, and how many cores its parallel loops may use. A prover sets both for the duration of a
/// proof with <see cref="Enter"/>. They are ambient, flowing into the loops' tasks as an <see cref="AsyncLocal{T}"/>,
/// because the kernels are shared with the verifier and sit layers below the prover: a parameter on each would reach
/// through every one of their signatures for one caller.
/// </summary>
public static class Kernels
{
    static readonly AsyncLocal<(CancellationToken Token, int Parallelism)> current = new();

    /// <summary>The token of the proof running on this flow; <see cref="CancellationToken.None"/> outside one.</summary>
    public static CancellationToken Cancellation => current.Value.Token;

    /// <summary>Loop options for this flow's proof: its cancellation (a cancelled loop stops handing out iterations and throws
    /// one <see cref="OperationCanceledException"/>) and its limit on parallelism (-1: every core).</summary>
    public static ParallelOptions Options
    {
        get
        {
            var (token, parallelism) = current.Value;
            return new() { CancellationToken = token, MaxDegreeOfParallelism = parallelism == 0 ? -1 : parallelism };
        }
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> if the proof on this flow was cancelled.</summary>
    public static void ThrowIfCancelled() => current.Value.Token.ThrowIfCancellationRequested();

    /// <summary>Makes <paramref name="cancellation"/> and <paramref name="maxParallelism"/> (null: every core) the kernels' on
    /// this flow until the scope is disposed.</summary>
    public static Scope Enter(CancellationToken cancellation, int? maxParallelism = null)
    {
        if (maxParallelism is < 1) throw new ArgumentOutOfRangeException(nameof(maxParallelism), maxParallelism, "at least one core");
        var outer = current.Value;
        current.Value = (cancellation, maxParallelism ?? -1);
        return new Scope(outer);
    }

    /// <summary>Restores what was current before <see cref="Enter"/>.</summary>
    public readonly struct Scope((CancellationToken Token, int Parallelism) outer) : IDisposable
    {
        public void Dispose() => current.Value = outer;
    }
}
