using ZkVm.Field;
using ZkVm.Stark.Fri;
using Xunit.Abstractions;
using static ZkVm.Stark.Tests.FriTestData;

namespace ZkVm.Stark.Tests;

public class FriCompletenessTests(ITestOutputHelper output)
{
    [Fact]
    public void Test_codewords_are_the_polynomial_at_shift_times_omega_to_the_bit_reversed_index()
    {
        var r = new Random(700);
        const int logN = 5;
        var coefficients = RandomVector(r, 8);
        BabyBear omega = BabyBear.TwoAdicGenerator(logN);
        var expected = Enumerable.Range(0, 1 << logN)
            .Select(i => FriFolding.Evaluate(coefficients, Shift * FieldMath.Pow(omega, (ulong)BitReversal.Reverse(i, logN))))
            .ToArray();
        Assert.Equal(expected, CosetLdeCodeword(coefficients, logN));
        Assert.Equal(expected, Evaluate(coefficients, logN, Shift));
        Assert.Equal(7, Degree(expected, Shift));
    }

    [Fact]
    public void Folding_a_codeword_gives_the_codeword_of_even_plus_beta_times_odd_on_the_squared_coset()
    {
        var r = new Random(701);
        const int logN = 6;
        var f = RandomVector(r, 1 << logN);
        BabyBearExt4 beta = Ext(r);
        var folded = FriFolding.FoldLayer(Evaluate(f, logN, Shift), Shift, beta);
        var expected = Enumerable.Range(0, f.Length / 2).Select(i => f[2 * i] + beta * f[2 * i + 1]).ToArray();
        Assert.Equal(Evaluate(expected, logN - 1, Shift.Square()), folded);
    }

    /// <summary>(logBlowup, logFinalPolyLength, queryPowBits, numQueries, input log-heights), each at every arity.</summary>
    public static TheoryData<int, int, int, int, int[], int> Cases()
    {
        var cases = new TheoryData<int, int, int, int, int[], int>();
        foreach (var (lb, lf, pow, q, heights) in BaseCases)
            for (int logArity = 1; logArity <= FriParameters.MaxSupportedLogArity; logArity++)
                cases.Add(lb, lf, pow, q, heights, logArity);
        return cases;
    }

    static readonly (int, int, int, int, int[])[] BaseCases =
    [
        (1, 0, 0, 30, [14]),
        (1, 0, 4, 30, [12, 11, 1]),
        (1, 0, 0, 10, [1]),
        (1, 0, 0, 10, [2, 1]),
        (1, 2, 8, 40, [10, 5]),
        (1, 2, 0, 10, [3]),
        (2, 0, 0, 40, [13, 7, 2]),
        (2, 2, 4, 30, [9, 4]),
        (2, 2, 0, 100, [14, 8, 6]),
        (3, 0, 0, 30, [11, 3]),
        (3, 2, 6, 30, [12, 9, 5]),
        (3, 2, 0, 10, [5]),
        (3, 0, 0, 20, [4, 3]),
        // Lower inputs below the final domain: lifted into the tallest before any round, they need only their blowup.
        (1, 3, 0, 20, [10, 3, 1]),
        (2, 4, 0, 20, [12, 5, 2]),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Honest_proofs_verify_and_leave_both_transcripts_in_the_same_state(int logBlowup, int logFinal, int powBits, int queries, int[] logHeights, int logArity)
    {
        var r = new Random(HashCode.Combine(logBlowup, logFinal, string.Join(',', logHeights)));
        var parameters = new FriParameters(logBlowup, logFinal, queries, powBits, MaxLogArity: logArity);
        var codewords = logHeights.Select(n => LowDegree(r, n, logBlowup)).ToArray();

        var proverTranscript = NewTranscript();
        var proof = FriProver.Prove(parameters, Shift, codewords, proverTranscript);
        var verifierTranscript = NewTranscript();
        FriVerifier.Verify(parameters, Shift, logHeights, proof, verifierTranscript, Opener(codewords));

        // The rounds fold the tallest height away at the full arity (the last round takes what remains): the lower
        // inputs, lifted into it, do not break them.
        int[] arities = parameters.RoundLogArities(logHeights[0]);
        Assert.Equal(arities.Length, proof.Commitments.Length);
        Assert.Equal(logHeights[0] - logBlowup - logFinal, arities.Sum());
        for (int k = 0; k < arities.Length; k++)
            Assert.InRange(arities[k], k == arities.Length - 1 ? 1 : logArity, logArity);
        Assert.Equal(1 << logFinal, proof.FinalPolynomial.Length);
        Assert.Equal(proverTranscript.SampleExt(), verifierTranscript.SampleExt());
    }

    [Fact]
    public void A_zero_codeword_and_inputs_of_lower_degree_than_allowed_verify()
    {
        var r = new Random(702);
        var parameters = new FriParameters(2, 1, 20, 0);
        BabyBearExt4[][] codewords = [new BabyBearExt4[1 << 9], CosetLdeCodeword(RandomVector(r, 4), 7), CosetLdeCodeword([Ext(r)], 4)];
        Verify(parameters, codewords, Prove(parameters, codewords));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Proof_size_for_a_2_to_14_input_log_blowup_1_and_100_queries(int logArity)
    {
        var parameters = new FriParameters(1, 0, 100, 0, MaxLogArity: logArity);
        var codewords = new[] { LowDegree(new Random(703), 14, 1) };
        var proof = Prove(parameters, codewords);
        Verify(parameters, codewords, proof);
        // The roots and their proof-of-work witnesses, 1 coefficient, the witness, the layer count, then per round
        // 100 × (2^a − 1) siblings and the path digests: each sequence a count and 31 bits per base element. Separate binary paths would take 100 × (13 + 12 + … + 1) = 9,100 digests; a batch sends each
        // node no query determines once.
        int[] arities = parameters.RoundLogArities(14);
        int[] indices = FriVerifier.DeriveChallenges(parameters, 1, 14, proof, NewTranscript()).QueryIndices;
        long digests = 0, siblings = 0, bytes = 0;
        static long Sequence(long elements) => 4 + (31 * elements + 7) / 8;
        for (int k = 0, done = 0; k < arities.Length; done += arities[k++])
        {
            long before = digests;
            var nodes = indices.Select(i => i >> (done + arities[k])).ToHashSet();
            for (int level = 0; level < 14 - done - arities[k]; level++)
            {
                digests += nodes.Count(n => !nodes.Contains(n ^ 1));
                nodes = nodes.Select(n => n >> 1).ToHashSet();
            }
            siblings += 100 * ((1 << arities[k]) - 1);
            bytes += Sequence(4L * 100 * ((1 << arities[k]) - 1)) + Sequence(8 * (digests - before));
        }
        Assert.InRange(digests, 1, 9100 / 2);
        long expected = Sequence(8L * arities.Length) + Sequence(arities.Length) + Sequence(4) + 4 + 4 + bytes;
        Assert.Equal(expected, proof.ByteSize());
        Assert.Equal(BabyBear.Zero, proof.PowWitness); // the smallest witness passes 0 bits of grinding
        output.WriteLine($"FRI proof, 2^14 codeword, LogBlowup 1, 100 queries, arity {1 << logArity}: {proof.ByteSize()} bytes, {digests} path digests, {siblings} siblings");
    }

    [Fact]
    public void The_prover_refuses_malformed_inputs_and_high_degree_codewords()
    {
        var r = new Random(704);
        var p = new FriParameters(1, 1, 4, 0);
        var ok = LowDegree(r, 6, 1);
        Assert.Throws<ArgumentException>(() => Prove(p, []));
        Assert.Throws<ArgumentException>(() => Prove(p, [ok, null!]));
        Assert.Throws<ArgumentException>(() => Prove(p, [new BabyBearExt4[48]]));
        Assert.Throws<ArgumentException>(() => Prove(p, [ok, LowDegree(r, 6, 1)]));
        Assert.Throws<ArgumentException>(() => Prove(p, [LowDegree(r, 5, 1), ok]));
        Assert.Throws<ArgumentException>(() => Prove(p, [ok, new BabyBearExt4[1]])); // below its blowup
        Assert.Throws<ArgumentException>(() => Prove(p, [LowDegree(r, 1, 1)])); // the tallest below the final domain
        Assert.Throws<ArgumentException>(() => Prove(p with { LogBlowup = 0 }, [ok]));
        Assert.Throws<ArgumentException>(() => Prove(p with { NumQueries = 0 }, [ok]));
        Assert.Throws<ArgumentException>(() => FriProver.Prove(p, BabyBear.Zero, [ok], NewTranscript()));
        var e = Assert.Throws<InvalidOperationException>(() => Prove(p, [OneDegreeTooHigh(r, 6, 1)]));
        Assert.Equal("input is not low-degree", e.Message);
        Assert.Throws<InvalidOperationException>(() => Prove(p, [ok, OneDegreeTooHigh(r, 4, 1)]));
    }
}
