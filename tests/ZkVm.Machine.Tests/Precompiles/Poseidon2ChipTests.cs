using ZkVm.Crypto;
using ZkVm.Crypto.Tests;
using ZkVm.Field;
using ZkVm.Machine.Precompiles;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Precompiles;

/// <summary>The Poseidon2 permutation as a table (issue 17): the known answer, every column bound, and a proof of the table alone.</summary>
public class Poseidon2ChipTests
{
    static BabyBear[] Elements(IEnumerable<uint> values) => [.. values.Select(BabyBear.FromCanonical)];

    static List<BabyBear[]> RandomInputs(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Elements(Enumerable.Range(0, 16).Select(_ => (uint)random.Next(0, (int)BabyBear.P))))];
    }

    [Fact]
    public void The_table_computes_Plonky3s_published_vector()
    {
        var (input, output, source) = Poseidon2Vectors.BabyBear16[0];
        var trace = Poseidon2Chip.Trace([Elements(input)], out var outputs);
        Assert.True(Elements(output).SequenceEqual(outputs[0]), source);
        TraceChecker.CheckConstraints(trace);
    }

    [Fact]
    public void Every_row_is_the_permutation_of_its_input_and_padding_rows_are_valid_too()
    {
        var inputs = RandomInputs(5, 17);
        var trace = Poseidon2Chip.Trace(inputs, out var outputs);
        Assert.Equal(8, trace.Height);
        for (int k = 0; k < inputs.Count; k++)
        {
            var expected = inputs[k].ToArray();
            Poseidon2Reference.Permute(expected);
            Assert.Equal(expected, outputs[k]);
            Assert.Equal(BabyBear.One, trace.Main[k, Poseidon2Chip.IsReal]);
        }
        for (int k = inputs.Count; k < trace.Height; k++) Assert.Equal(BabyBear.Zero, trace.Main[k, Poseidon2Chip.IsReal]);
        TraceChecker.CheckConstraints(trace);
    }

    [Fact]
    public void The_constraints_have_degree_three_and_the_layout_its_stated_width()
    {
        var shape = AirShape.ForAir(Poseidon2Chip.Instance);
        // IsReal, 16 inputs, x³ and x⁷ per S-box; the call (ts, state word, a1's limbs); per word its limbs, canonicity
        // witnesses, previous timestamp and gap.
        Assert.Equal(1 + 16 + 2 * (8 * 16 + 13) + 4 + 16 * 9, Poseidon2Chip.Columns);
        Assert.Equal(Poseidon2Chip.Columns, Poseidon2Chip.Instance.MainWidth);
        // The rounds' S-boxes, IsReal; no call on padding rows; per word: input and output as limbs, two canonicity
        // checks of three constraints, the access's gap, no access on padding rows.
        Assert.Equal(1 + 2 * (8 * 16 + 13) + 4 + 16 * (2 + 6 + 1 + 3), shape.Constraints.Count);
        Assert.Equal(3, shape.MaxDegree);
    }

    /// <summary>
    /// A forger's cell: every column of a real row, changed alone, breaks a constraint (IsReal by leaving {0, 1}), except the
    /// call's addresses, which only the buses bind (the machine's tests forge those: PrecompileMachineTests).
    /// </summary>
    [Fact]
    public void Every_column_changed_alone_is_caught()
    {
        var trace = Poseidon2Chip.Trace(RandomInputs(3, 5), out _);
        for (int column = 0; column < Poseidon2Chip.Columns; column++)
        {
            if (column is Poseidon2Chip.StateWord or Poseidon2Chip.A1Lo or Poseidon2Chip.A1Hi) continue;
            var forged = new TableTrace(trace.Air, trace.Main.Clone());
            forged.Main[1, column] += column == Poseidon2Chip.IsReal ? BabyBear.One : BabyBear.FromCanonical(12345);
            var e = Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(forged));
            Assert.Equal(AirErrors.ConstraintFailed, e.Code);
        }
    }

    [Fact]
    public void A_forged_output_cannot_be_made_consistent_by_changing_the_last_round_alone()
    {
        // The output is a linear image of the last round's x⁷ columns: claiming another output means other x⁷s, whose
        // constraints tie them to the round's inputs.
        var trace = Poseidon2Chip.Trace(RandomInputs(1, 9), out _);
        var forged = new TableTrace(trace.Air, trace.Main.Clone());
        for (int i = 0; i < Poseidon2Chip.Width; i++) forged.Main[0, Poseidon2Chip.FullSBox(Poseidon2Chip.FullRounds - 1, i)] += BabyBear.One;
        Assert.Equal(AirErrors.ConstraintFailed, Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(forged)).Code);
    }
}
