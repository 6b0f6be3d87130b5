using ZkVm.Riscv.Isa;

namespace ZkVm.Riscv.Tests;

/// <summary>The per-family selector layout generated from rv32im.opcodes, which the family chips' ROM decoding will use.</summary>
public class OpcodeSelectorTests
{
    [Fact]
    public void Every_instruction_has_the_selector_of_its_place_in_its_family()
    {
        foreach (var family in Enum.GetValues<InstructionFamily>())
        {
            var members = OpcodeTable.Members(family);
            for (int k = 0; k < members.Count; k++)
            {
                Assert.Equal(family, OpcodeTable.Get(members[k]).Family);
                Assert.Equal(k, OpcodeTable.Selector(members[k]));
            }
        }
        Assert.Equal(OpcodeTable.All.Count, Enum.GetValues<InstructionFamily>().Sum(f => OpcodeTable.Members(f).Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => OpcodeTable.Selector(Opcode.Illegal));
    }

    [Fact]
    public void A_word_selects_exactly_one_instruction_of_its_family_and_the_selected_match_recomposes_it()
    {
        var r = new Random(6);
        foreach (var spec in OpcodeTable.All)
        {
            var members = OpcodeTable.Members(spec.Family);
            for (int t = 0; t < 256; t++)
            {
                // The instruction's fixed bits, every other bit random.
                uint word = spec.Match | ((uint)r.NextInt64(1L << 32) & ~spec.Mask);
                Assert.Equal(spec.Opcode, Decoder.Decode(word).Op);

                int[] selectors = [.. members.Select(m => (word & OpcodeTable.Get(m).Mask) == OpcodeTable.Get(m).Match ? 1 : 0)];
                Assert.Equal(1, selectors.Sum());
                Assert.Equal(1, selectors[OpcodeTable.Selector(spec.Opcode)]);

                uint matched = 0, mask = 0;
                for (int k = 0; k < members.Count; k++)
                {
                    matched += (uint)selectors[k] * OpcodeTable.Get(members[k]).Match;
                    mask += (uint)selectors[k] * OpcodeTable.Get(members[k]).Mask;
                }
                Assert.Equal(word & mask, matched);
            }
        }
    }
}
