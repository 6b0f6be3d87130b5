namespace ZkVm.Field;

/// <summary>
/// The cancellation that the long kernels (NTTs, Merkle trees, constraint and LogUp evaluation, trace filling, grinding)
/// observe between blocks of work, so that a cancelled proof stops within a block's time rather than a stage's. A prover
/// sets it for the duration of a proof with <see cref="Enter"/>. It is ambient, flowing into the parallel loops' tasks as
/// an <see cref="AsyncLocal{T}"/>, because the kernels are shared with the verifier and sit layers below the prover:
/// a token parameter on each would reach through every one of their signatures for one caller.
/// </summary>
public static class KernelCancellation
{
    static readonly AsyncLocal<CancellationToken> current = new();

    /// <summary>The token of the proof running on this flow; <see cref="CancellationToken.None"/> outside one.</summary>
    public static CancellationToken Token => current.Value;

    /// <summary>Loop options that stop handing out iterations once <see cref="Token"/> is cancelled (the loop then throws
    /// one <see cref="OperationCanceledException"/>).</summary>
    public static ParallelOptions Options => new() { CancellationToken = current.Value };

    /// <summary>Throws <see cref="OperationCanceledException"/> if the proof on this flow was cancelled.</summary>
    public static void ThrowIfRequested() => current.Value.ThrowIfCancellationRequested();

    /// <summary>Makes <paramref name="token"/> the kernels' token on this flow until the scope is disposed.</summary>
    public static Scope Enter(CancellationToken token)
    {
        var outer = current.Value;
        current.Value = token;
        return new Scope(outer);
    }

    /// <summary>Restores the token that was current before <see cref="Enter"/>.</summary>
    public readonly struct Scope(CancellationToken outer) : IDisposable
    {
        public void Dispose() => current.Value = outer;
    }
}
