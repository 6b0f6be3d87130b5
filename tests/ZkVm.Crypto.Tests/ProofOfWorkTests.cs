using ZkVm.Field;

namespace ZkVm.Crypto.Tests;

public class ProofOfWorkTests
{
    public static TheoryData<PackingKind> Packings() => Poseidon2Tests.Packings();

    private static Transcript Prepared(int observed)
    {
        var t = new Transcript("pow-test");
        for (int i = 0; i < observed; i++) t.Observe(BabyBear.FromCanonical((uint)i + 100));
        return t;
    }

    [Theory]
    [MemberData(nameof(Packings))]
    public void Grinding_finds_the_smallest_witness_for_any_buffer_state(PackingKind packing)
    {
        const int bits = 10;
        for (int observed = 0; observed < 9; observed++)
        {
            var prover = Prepared(observed);
            BabyBear witness = ProofOfWork.Grind(prover, bits, packing);
            // Independent scalar search with the public transcript API.
            uint expected = 0;
            while (!ProofOfWork.Verify(Prepared(observed), bits, BabyBear.FromCanonical(expected))) expected++;
            Assert.Equal(expected, witness.ToCanonical());
            // The prover's transcript is left where the verifier's is after the check.
            var verifier = Prepared(observed);
            Assert.True(ProofOfWork.Verify(verifier, bits, witness));
            Assert.Equal(verifier.SampleExt(), prover.SampleExt());
        }
    }

    [Fact]
    public void A_wrong_witness_is_rejected()
    {
        const int bits = 12;
        BabyBear witness = ProofOfWork.Grind(Prepared(3), bits);
        Assert.True(ProofOfWork.Verify(Prepared(3), bits, witness));
        // The smallest witness is unique below itself: every smaller candidate fails.
        for (uint w = 0; w < Math.Min(witness.ToCanonical(), 64u); w++)
            Assert.False(ProofOfWork.Verify(Prepared(3), bits, BabyBear.FromCanonical(w)));
        // A witness for one transcript does not carry over to a different one.
        var other = Prepared(4);
        Assert.False(ProofOfWork.Verify(other, bits, witness) && ProofOfWork.Verify(Prepared(5), bits, witness) && ProofOfWork.Verify(Prepared(6), bits, witness));
    }

    [Fact]
    public void Zero_bits_accepts_any_witness_and_bounds_are_checked()
    {
        Assert.True(ProofOfWork.Verify(Prepared(1), 0, BabyBear.FromCanonical(12345)));
        Assert.Equal(0u, ProofOfWork.Grind(Prepared(1), 0).ToCanonical());
        Assert.Throws<ArgumentOutOfRangeException>(() => ProofOfWork.Grind(Prepared(1), 28));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProofOfWork.Verify(Prepared(1), -1, BabyBear.Zero));
    }
}
