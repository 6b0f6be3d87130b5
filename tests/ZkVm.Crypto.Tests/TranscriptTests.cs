using ZkVm.Field;

namespace ZkVm.Crypto.Tests;

public class TranscriptTests
{
    private static readonly BabyBearExt4 Ext = new(BabyBear.FromCanonical(1), BabyBear.FromCanonical(2), BabyBear.FromCanonical(3), BabyBear.FromCanonical(4));
    private static readonly Digest SomeDigest = Poseidon2Hash.HashRow([BabyBear.FromCanonical(7)]);

    /// <summary>A run observing one of each kind of item, then sampling every kind of challenge.</summary>
    private static (BabyBear, BabyBearExt4, int, BabyBear) Run(Action<Transcript> observe, string label = "zkvm-test v1")
    {
        var t = new Transcript(label);
        observe(t);
        return (t.SampleBase(), t.SampleExt(), t.SampleBits(20), t.SampleBase());
    }

    private static void Baseline(Transcript t)
    {
        t.ObserveU32(123456);
        t.Observe(BabyBear.FromCanonical(5));
        t.Observe(Ext);
        t.Observe(SomeDigest);
        t.ObserveLabel("section");
    }

    [Fact]
    public void Same_observations_give_same_challenges()
    {
        Assert.Equal(Run(Baseline), Run(Baseline));
    }

    [Fact]
    public void Changing_any_observed_value_changes_the_challenges()
    {
        var baseline = Run(Baseline);
        var variants = new (string Name, Action<Transcript> Observe)[]
        {
            ("u32", t => { t.ObserveU32(123457); t.Observe(BabyBear.FromCanonical(5)); t.Observe(Ext); t.Observe(SomeDigest); t.ObserveLabel("section"); }),
            ("u32 high limb", t => { t.ObserveU32(123456 + 65536); t.Observe(BabyBear.FromCanonical(5)); t.Observe(Ext); t.Observe(SomeDigest); t.ObserveLabel("section"); }),
            ("base", t => { t.ObserveU32(123456); t.Observe(BabyBear.FromCanonical(6)); t.Observe(Ext); t.Observe(SomeDigest); t.ObserveLabel("section"); }),
            ("ext", t => { t.ObserveU32(123456); t.Observe(BabyBear.FromCanonical(5)); t.Observe(Ext + BabyBearExt4.One); t.Observe(SomeDigest); t.ObserveLabel("section"); }),
            ("ext top coefficient", t => { t.ObserveU32(123456); t.Observe(BabyBear.FromCanonical(5)); t.Observe(new BabyBearExt4(Ext.C0, Ext.C1, Ext.C2, Ext.C3 + BabyBear.One)); t.Observe(SomeDigest); t.ObserveLabel("section"); }),
            ("digest", t => { t.ObserveU32(123456); t.Observe(BabyBear.FromCanonical(5)); t.Observe(Ext); t.Observe(Poseidon2Hash.HashRow([BabyBear.FromCanonical(8)])); t.ObserveLabel("section"); }),
            ("label", t => { t.ObserveU32(123456); t.Observe(BabyBear.FromCanonical(5)); t.Observe(Ext); t.Observe(SomeDigest); t.ObserveLabel("sectioN"); }),
            ("order", t => { t.Observe(BabyBear.FromCanonical(5)); t.ObserveU32(123456); t.Observe(Ext); t.Observe(SomeDigest); t.ObserveLabel("section"); }),
            ("omission", t => { t.ObserveU32(123456); t.Observe(Ext); t.Observe(SomeDigest); t.ObserveLabel("section"); }),
            ("extra zero", t => { Baseline(t); t.Observe(BabyBear.Zero); }),
        };
        foreach (var (name, observe) in variants)
        {
            var v = Run(observe);
            Assert.True(v.Item1 != baseline.Item1 && v.Item2 != baseline.Item2 && v.Item4 != baseline.Item4, $"variant '{name}' did not change the challenges");
        }
        Assert.NotEqual(baseline.Item1, Run(Baseline, "zkvm-test v2").Item1);
    }

    [Fact]
    public void Every_element_of_a_digest_and_extension_is_absorbed()
    {
        var baseline = Run(t => t.Observe(SomeDigest));
        for (int i = 0; i < Digest.Length; i++)
        {
            var values = new BabyBear[Digest.Length];
            SomeDigest.CopyTo(values);
            values[i] += BabyBear.One;
            Assert.NotEqual(baseline.Item1, Run(t => t.Observe(new Digest(values))).Item1);
        }
    }

    [Fact]
    public void Successive_samples_differ_and_observing_between_samples_changes_later_ones()
    {
        var t = new Transcript("x");
        var samples = Enumerable.Range(0, 20).Select(_ => t.SampleBase()).ToList();
        Assert.Equal(samples.Count, samples.Distinct().Count());

        var a = new Transcript("x");
        var b = new Transcript("x");
        a.SampleBase(); b.SampleBase();
        b.Observe(BabyBear.Zero);
        Assert.NotEqual(a.SampleBase(), b.SampleBase());
    }

    [Fact]
    public void Clone_continues_identically_and_independently()
    {
        var t = new Transcript("x");
        Baseline(t);
        var c = t.Clone();
        Assert.Equal(t.SampleExt(), c.SampleExt());
        c.Observe(BabyBear.One);
        Assert.NotEqual(t.SampleBase(), c.SampleBase());
    }

    [Fact]
    public void Sample_bits_stays_in_range()
    {
        var t = new Transcript("bits");
        for (int bits = 0; bits <= Transcript.MaxSampleBits; bits++)
            Assert.InRange(t.SampleBits(bits), 0, (1 << bits) - 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SampleBits(Transcript.MaxSampleBits + 1));
    }
}
