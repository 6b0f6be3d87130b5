using System.Numerics;
using ZkVm.Field;
using ZkVm.Riscv.Isa;
using ZkVm.Riscv.Tests.Rom;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Riscv.Tests;

/// <summary>
/// The ROM decoding AIRs generated from rv32im.opcodes (one per family), over a ROM filled by the
/// emulator's decoder from a sample's instructions: the honest ROM proves, and every kind of cell,
/// changed, breaks a constraint.
/// </summary>
public class RomDecodingAirTests
{
    private static readonly Lazy<TableTrace[]> Sample = new(() => Rom(Guests.Load(Guests.SampleElf("fibonacci"))));

    private static TableTrace[] Rom(Image.HarvardProgram program)
    {
        var tables = new List<TableTrace>();
        foreach (var family in Enum.GetValues<InstructionFamily>())
        {
            var words = program.Words.Where((_, i) => program.Rom[i].Op != Opcode.Illegal && program.Rom[i].Spec.Family == family).ToList();
            if (words.Count == 0) continue;
            var air = RomAirs.For(family.ToString());
            int height = Math.Max(8, (int)BitOperations.RoundUpToPowerOf2((uint)words.Count));
            var main = new RowMajorMatrix(air.MainWidth, height);
            // Padding repeats the last instruction: every row must decode.
            for (int row = 0; row < height; row++) Fill(main.Row(row), words[Math.Min(row, words.Count - 1)]);
            tables.Add(new TableTrace(air, main));
        }
        return [.. tables];
    }

    private static void Fill(Span<BabyBear> row, uint word)
    {
        static BabyBear F(long v) => BabyBear.FromInt64(v);
        var i = Decoder.Decode(word);
        row[RomAluAir.WordLow] = F(word & 0xFFFF);
        row[RomAluAir.WordHigh] = F(word >> 16);
        for (int b = 0; b < 32; b++) row[RomAluAir.Bits + b] = F((word >> b) & 1);
        row[RomAluAir.Opcode] = F(word & 0x7F);
        row[RomAluAir.Funct3] = F((word >> 12) & 7);
        row[RomAluAir.Funct7] = F(word >> 25);
        row[RomAluAir.Rd] = F(i.Rd);
        row[RomAluAir.Rs1] = F(i.Rs1);
        row[RomAluAir.Rs2] = F(i.Rs2);
        row[RomAluAir.Imm] = F(i.Imm);
        row[RomAluAir.Selectors + OpcodeTable.Selector(i.Op)] = BabyBear.One;
    }

    [Fact]
    public void A_sample_rom_satisfies_every_family_s_decoding_constraints_and_proves()
    {
        // A family the sample does not use has no table.
        var tables = Sample.Value;
        Assert.Contains(tables, t => t.Air.Name == "rom-alu");
        Assert.Contains(tables, t => t.Air.Name == "rom-branch");
        TraceChecker.Check(tables);
        var proof = StarkProver.Prove(tables, SecurityPresets.Parameters(SecurityPreset.Proven100));
        StarkVerifier.Verify(StarkStatement.For(tables), proof);
    }

    [Fact]
    public void Every_constraint_is_of_degree_at_most_3()
    {
        foreach (var table in Sample.Value)
            Assert.All(AirShape.ForAir(table.Air).Constraints, c => Assert.InRange(c.Degree, 0, 3));
    }

    /// <summary>One change per kind of cell, in the Alu table (R- and I-type rows) or the Branch table (a signed, scattered immediate).</summary>
    public static TheoryData<string, string, int> Mutations() => new()
    {
        { "word", "Alu", RomAluAir.WordLow },
        { "word", "Alu", RomAluAir.WordHigh },
        { "bit", "Branch", RomAluAir.Bits + 7 },
        { "opcode", "Alu", RomAluAir.Opcode },
        { "funct3", "Alu", RomAluAir.Funct3 },
        { "funct7", "Alu", RomAluAir.Funct7 },
        { "rd", "Alu", RomAluAir.Rd },
        { "rs1", "Alu", RomAluAir.Rs1 },
        { "rs2", "Alu", RomAluAir.Rs2 },
        { "imm", "Branch", RomAluAir.Imm },
        { "selector", "Alu", RomAluAir.Selectors },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Changing_a_cell_of_a_row_is_rejected(string kind, string family, int column)
    {
        var tables = Copy(Sample.Value);
        var table = tables.Single(t => t.Air.Name == "rom-" + family.ToLowerInvariant());
        table.Main.Row(0)[column] += BabyBear.One;
        var error = Assert.Throws<ZkVmException>(() => TraceChecker.Check(tables));
        Assert.True(error.Code == AirErrors.ConstraintFailed, $"{kind}: {error.Message}");
    }

    [Fact]
    public void Selecting_another_instruction_of_the_family_is_rejected()
    {
        // Still boolean and one-hot: only the selected instruction's constants can reject it.
        var tables = Copy(Sample.Value);
        var table = tables.Single(t => t.Air.Name == "rom-alu");
        var row = table.Main.Row(0);
        int selected = OpcodeTable.Selector(Decoder.Decode(row[RomAluAir.WordLow].ToCanonical() | row[RomAluAir.WordHigh].ToCanonical() << 16).Op);
        row[RomAluAir.Selectors + selected] = BabyBear.Zero;
        row[RomAluAir.Selectors + (selected + 1) % RomAluAir.SelectorCount] = BabyBear.One;
        Assert.Equal(AirErrors.ConstraintFailed, Assert.Throws<ZkVmException>(() => TraceChecker.Check(tables)).Code);
    }

    private static TableTrace[] Copy(TableTrace[] tables) =>
        [.. tables.Select(t => new TableTrace(t.Air, t.Main.Clone()))];
}
