using ZkVm.Field;

namespace ZkVm.Crypto;

/// <summary>
/// Grinding: the prover finds a witness w such that after observing w the next sample has its low
/// <c>bits</c> bits zero. Each extra bit doubles the prover's cost of retrying a transcript and adds a bit
/// of security to the queries drawn after it.
/// </summary>
public static class ProofOfWork
{
    private const int CandidatesPerChunk = 1 << 14;

    /// <summary>
    /// Finds the smallest witness for the transcript's current state, then observes it and draws the
    /// check sample, leaving the transcript where <see cref="Verify"/> leaves the verifier's.
    /// </summary>
    public static BabyBear Grind(Transcript transcript, int bits, PackingKind? packing = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, Transcript.MaxSampleBits);
        var search = new Search(transcript, bits);
        Packing.Run(packing ?? Packing.Best, search);
        BabyBear witness = BabyBear.FromCanonical(search.Found);
        if (!Verify(transcript, bits, witness))
            throw new InvalidOperationException("proof-of-work search returned a witness that does not verify");
        return witness;
    }

    /// <summary>Observes the witness, samples, and checks the low bits are zero.</summary>
    public static bool Verify(Transcript transcript, int bits, BabyBear witness)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, Transcript.MaxSampleBits);
        transcript.Observe(witness);
        return transcript.SampleBits(bits) == 0;
    }

    /// <summary>
    /// Observing w then sampling permutes one fixed state with w in one slot and returns element 7 (the
    /// last of the rate); TP.Width candidates share a packed permutation, chunks run on every core, and
    /// the smallest valid witness wins so the result does not depend on scheduling.
    /// </summary>
    private sealed class Search(Transcript transcript, int bits) : IPackedOperation
    {
        public uint Found = uint.MaxValue;

        public void Run<TP>() where TP : unmanaged, IPackedField<TP>
        {
            var (baseState, slot) = transcript.StateBeforeNextDuplex();
            uint mask = (1u << bits) - 1;
            long chunks = (BabyBear.P + CandidatesPerChunk - 1) / CandidatesPerChunk;
            long best = long.MaxValue;
            Parallel.For(0L, chunks, Kernels.Options, chunk =>
            {
                uint start = (uint)(chunk * CandidatesPerChunk);
                // Every chunk below the best witness so far is searched in full; later ones are skipped.
                if (start >= Interlocked.Read(ref best)) return;
                Poseidon2State<TP> packed = default;
                Span<BabyBear> lanes = stackalloc BabyBear[TP.Width];
                uint end = (uint)Math.Min(BabyBear.P, (long)start + CandidatesPerChunk);
                for (uint w = start; w < end; w += (uint)TP.Width)
                {
                    for (int i = 0; i < Poseidon2.Width; i++)
                    {
                        for (int k = 0; k < TP.Width; k++)
                            lanes[k] = i == slot ? BabyBear.FromCanonical(Math.Min(w + (uint)k, BabyBear.P - 1)) : baseState[i];
                        packed[i] = TP.Load(ref lanes[0]);
                    }
                    Poseidon2<TP>.Permute(ref packed);
                    TP.Store(ref lanes[0], packed[Poseidon2Hash.Rate - 1]);
                    for (int k = 0; k < TP.Width && w + k < end; k++)
                    {
                        if ((lanes[k].ToCanonical() & mask) != 0) continue;
                        long candidate = w + k;
                        long seen;
                        while (candidate < (seen = Interlocked.Read(ref best)) && Interlocked.CompareExchange(ref best, candidate, seen) != seen) { }
                        return;
                    }
                }
            });
            if (best == long.MaxValue) throw new InvalidOperationException($"no {bits}-bit proof-of-work witness exists for this transcript");
            Found = (uint)best;
        }
    }
}
