using System.Text;
using ZkVm.Field;

namespace ZkVm.Crypto;

/// <summary>
/// The Fiat–Shamir transcript: a duplex sponge over Poseidon2 (rate 8, overwrite mode). Everything the
/// prover sends is observed before any challenge that depends on it is sampled; prover and verifier
/// run the same sequence of calls (docs/PROTOCOL.md fixes the order) and so derive the same challenges.
/// </summary>
/// <remarks>
/// Observed elements collect in an input buffer; when it holds 8 elements, or when a challenge is
/// sampled with observations pending, they overwrite the rate, the state is permuted, and the rate
/// becomes the output buffer. Samples are taken from the end of the output buffer; any observation
/// discards the unused outputs, so no output is ever served after new input.
/// </remarks>
public sealed class Transcript
{
    private const int Rate = Poseidon2Hash.Rate;
    /// <summary>For b ≤ 27 the low b bits of a uniform element of [0, p) are within 1/p of uniform (p − 1 = 15·2^27).</summary>
    public const int MaxSampleBits = BabyBear.TwoAdicity;

    private readonly BabyBear[] state = new BabyBear[Poseidon2.Width];
    private readonly BabyBear[] input = new BabyBear[Rate];
    private readonly BabyBear[] output = new BabyBear[Rate];
    private int inputCount;
    private int outputCount;

    /// <summary>Starts a transcript bound to a protocol: the label is the first thing observed.</summary>
    public Transcript(string domainSeparator) => ObserveLabel(domainSeparator);

    private Transcript(Transcript other)
    {
        other.state.CopyTo(state, 0);
        other.input.CopyTo(input, 0);
        other.output.CopyTo(output, 0);
        inputCount = other.inputCount;
        outputCount = other.outputCount;
    }

    /// <summary>An independent copy in the same state (for trial runs such as grinding).</summary>
    public Transcript Clone() => new(this);

    public void Observe(BabyBear value)
    {
        outputCount = 0;
        input[inputCount++] = value;
        if (inputCount == Rate) Duplex();
    }

    public void Observe(ReadOnlySpan<BabyBear> values)
    {
        foreach (BabyBear v in values) Observe(v);
    }

    public void Observe(BabyBearExt4 value)
    {
        Observe(value.C0);
        Observe(value.C1);
        Observe(value.C2);
        Observe(value.C3);
    }

    public void Observe(in Digest digest)
    {
        for (int i = 0; i < Digest.Length; i++) Observe(digest[i]);
    }

    /// <summary>A 32-bit integer (a parameter, a height) as two 16-bit limbs, so every value is distinct.</summary>
    public void ObserveU32(uint value)
    {
        Observe(BabyBear.FromCanonical(value & 0xFFFF));
        Observe(BabyBear.FromCanonical(value >> 16));
    }

    /// <summary>A UTF-8 label: its byte length, then 3 bytes per element.</summary>
    public void ObserveLabel(string label)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(label);
        ObserveU32((uint)bytes.Length);
        for (int i = 0; i < bytes.Length; i += 3)
        {
            uint packed = 0;
            for (int j = 0; j < 3 && i + j < bytes.Length; j++) packed |= (uint)bytes[i + j] << (8 * j);
            Observe(BabyBear.FromCanonical(packed));
        }
    }

    public BabyBear SampleBase()
    {
        if (inputCount > 0 || outputCount == 0) Duplex();
        return output[--outputCount];
    }

    public BabyBearExt4 SampleExt() => new(SampleBase(), SampleBase(), SampleBase(), SampleBase());

    /// <summary>A uniform-looking integer in [0, 2^bits): the low bits of a sampled element.</summary>
    public int SampleBits(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxSampleBits);
        return (int)(SampleBase().ToCanonical() & ((1u << bits) - 1));
    }

    private void Duplex()
    {
        input.AsSpan(0, inputCount).CopyTo(state);
        inputCount = 0;
        Poseidon2.Permute(state);
        state.AsSpan(0, Rate).CopyTo(output);
        outputCount = Rate;
    }

    /// <summary>
    /// The sponge state that observing one more element and then sampling would permute: the state with
    /// the pending inputs and that element written over the rate, and the element's position.
    /// </summary>
    internal (BabyBear[] State, int Slot) StateBeforeNextDuplex()
    {
        var s = (BabyBear[])state.Clone();
        input.AsSpan(0, inputCount).CopyTo(s);
        return (s, inputCount);
    }
}
