namespace ZkVm.Stark.Security;

/// <summary>
/// LogUp sums multiplicities in BabyBear. If Σ rows × max multiplicity over the bounded-multiplicity
/// interactions could reach p, a prover could add p copies of a fake tuple, which cancel mod p (Plonky3 issue
/// #1748). Below p, every sum of multiplicities is its integer value, so the bus balancing proves the multiset
/// identity over the integers.
/// </summary>
public static class MultiplicityBound
{
    /// <summary>One bounded-multiplicity interaction: its rows and the largest multiplicity a row can carry.</summary>
    public readonly record struct Interaction(long Rows, long MaxMultiplicity);

    /// <summary>Returns totalBusRows × maxMultiplicity; throws ZK3203 when it is ≥ p.</summary>
    public static UInt128 Check(long totalBusRows, long maxMultiplicity) => Check([new Interaction(totalBusRows, maxMultiplicity)]);

    /// <summary>Returns Σ rows × max multiplicity; throws ZK3203 when it is ≥ p.</summary>
    public static UInt128 Check(IEnumerable<Interaction> interactions)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        UInt128 bound = 0;
        foreach (Interaction interaction in interactions)
        {
            SecurityParameters.Require(interaction.Rows >= 0, nameof(Interaction.Rows), interaction.Rows, "at least 0");
            SecurityParameters.Require(interaction.MaxMultiplicity >= 0, nameof(Interaction.MaxMultiplicity), interaction.MaxMultiplicity, "at least 0");
            // Each product is below 2^126 and the sum is checked after each step, so UInt128 cannot wrap.
            bound += (UInt128)(ulong)interaction.Rows * (ulong)interaction.MaxMultiplicity;
            if (bound >= SecurityCalculator.Modulus)
                throw new ZkVmException(SecurityErrors.MultiplicityOverflow,
                    $"Σ rows × max multiplicity reaches {bound} ≥ p = {SecurityCalculator.Modulus}: p copies of a fake lookup would cancel");
        }
        return bound;
    }
}
