using ZkVm.Machine.Chips;
using ZkVm.Machine.Tests.Support;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Tests.Chips.ChipHarness;

namespace ZkVm.Machine.Tests.Chips;

/// <summary>The alu, compare, shift and fence chips over every sample and the C directed program:
/// constraints hold, every lookup is a byte-table row, and each row writes the emulator's rd.</summary>
public class AluChipsSamplesTests
{
    public static TheoryData<string> Programs() => [.. Guests.Samples, "c_semantics.c"];

    [Theory]
    [MemberData(nameof(Programs))]
    public void Every_row_is_proven_with_the_emulators_answer(string name)
    {
        var (_, witness) = name.EndsWith(".c") ? MachineRuns.Directed(name) : MachineRuns.Sample(name);
        foreach (IInstructionChip chip in new IInstructionChip[] { new AluChip(), new CompareChip(), new ShiftChip(), new FenceChip() })
        {
            var (table, steps) = Fill(chip, witness);
            AssertHonest(table, steps);
        }
    }
}
