using ZkVm.Machine.Chips;
using ZkVm.Machine.Extensions;
using ZkVm.Riscv.Isa;
using ZkVm.Samples.Zicond;

namespace ZkVm.Machine.Tests.Extensions;

/// <summary>An extension set refuses, with ZK2114 and what collides, anything that would make a word decode two ways,
/// an opcode prove in two tables or none, or two tables share a name.</summary>
public sealed class ExtensionSetTests
{
    sealed class Extension(string name, ExtensionOpcode[] opcodes, IInstructionChip[] chips) : IMachineExtension
    {
        public string Name => name;
        public IReadOnlyList<ExtensionOpcode> Opcodes => opcodes;
        public IReadOnlyList<IInstructionChip> Chips => chips;
    }

    // Each test's lines use numbers of their own: the opcode table binds a number to one line per process.
    static ExtensionOpcode Line(byte number, string mnemonic, uint match, uint mask = 0xFE00707F, InstructionFormat format = InstructionFormat.R) =>
        new(new OpcodeSpec((Opcode)number, mnemonic, format, InstructionFamily.Extension, mask, match), (a, b) => a ^ b);

    static string Refused(params IMachineExtension[] extensions)
    {
        var e = Assert.Throws<ZkVmException>(() => new ExtensionSet(extensions));
        Assert.Equal(IsaError.BadExtension, e.Code);
        return e.Detail;
    }

    // custom-0 (0x0B) holds no RV32IM instruction.
    const uint Custom0 = 0x0B;

    [Fact]
    public void AWordRv32imDecodesIsRefused() =>
        Assert.Contains("already decodes", Refused(new Extension("x", [Line(0xE0, "x.add", 0x00000033)], [])));

    [Fact]
    public void AnOpcodeNumberOutsideTheExtensionRangeIsRefused() =>
        Assert.Contains("extension opcodes are", Refused(new Extension("x", [Line(0x10, "x.low", Custom0)], [])));

    [Fact]
    public void OnlyRegisterToRegisterFormatsAreAccepted() =>
        Assert.Contains("format R or I", Refused(new Extension("x", [Line(0xE1, "x.store", Custom0, format: InstructionFormat.S)], [])));

    [Fact]
    public void AMaskThatLeavesTheMajorOpcodeOpenIsRefused() =>
        Assert.Contains("major opcode", Refused(new Extension("x", [Line(0xE2, "x.open", Custom0, mask: 0xFE007000)], [])));

    [Fact]
    public void OverlappingLinesAreRefused() =>
        Assert.Contains("also 'x.wide' words", Refused(new Extension("x", [Line(0xE3, "x.wide", Custom0, mask: 0x7F), Line(0xE4, "x.narrow", Custom0 | 1 << 12)], [])));

    [Fact]
    public void OneNumberForTwoLinesIsRefused() =>
        Assert.Contains("taken", Refused(new Extension("x", [Line(0xE5, "x.one", Custom0), Line(0xE5, "x.one", Custom0 | 1 << 12)], [])));

    [Fact]
    public void ANumberAnotherExtensionHoldsInThisProcessIsRefused()
    {
        _ = new InstructionSet([new Extension("y", [Line(0xE6, "y.first", Custom0)], [])]);
        Assert.Contains("cannot also be 'z.second'", Refused(new Extension("z", [Line(0xE6, "z.second", Custom0 | 2 << 12)], [])));
    }

    [Fact]
    public void AnOpcodeWithoutAChipIsRefused() =>
        Assert.Contains("no chip of the set proves 'x.lonely'", Refused(new Extension("x", [Line(0xE7, "x.lonely", Custom0 | 3 << 12)], [])));

    [Fact]
    public void AnOpcodeTwoChipsProveIsRefused() =>
        Assert.Contains("proven by both", Refused(new ZicondExtension(), new Extension("x", [], [new ZicondChipTwin()])));

    [Fact]
    public void ATableNameTakenIsRefused() =>
        Assert.Contains("two tables are named 'alu'", Refused(new Extension("x", [], [new AluChip()])));

    [Theory]
    [InlineData("rv32im")]
    [InlineData("zicond")]
    public void TheBaseNameOrAGivenNameTwiceIsRefused(string name) =>
        Assert.Contains($"'{name}'", Refused(new ZicondExtension(), new Extension(name, [], [])));

    [Theory]
    [InlineData(5u, "mine", false)]
    [InlineData(63u, "mine", false)]
    [InlineData(64u, "mine", true)]
    public void An_extensions_own_bus_takes_an_id_the_machine_does_not_keep(uint id, string name, bool accepted)
    {
        var extension = new Extension("x", [], [new BusChip(new ZkVm.Stark.Air.Bus(id, name))]);
        if (accepted)
            Assert.Equal("rv32im+x", new ExtensionSet([extension]).ToString());
        else
            Assert.Contains($"uses bus {id} ('{name}'), an id the machine keeps", Refused(extension));
    }

    [Fact]
    public void An_extension_uses_a_machine_bus_as_it_is_scoped()
    {
        // The byte bus balances per shard; a look-alike under its id that spans shards would be another bus.
        Assert.Equal("rv32im+x", new ExtensionSet([new Extension("x", [], [new BusChip(MachineBuses.Bytes)])]).ToString());
        Assert.Contains("uses bus 4 ('bytes'), an id the machine keeps", Refused(new Extension("x", [], [new BusChip(MachineBuses.Bytes with { PerShard = false })])));
    }

    /// <summary>A table that only sends a constant on <paramref name="bus"/>.</summary>
    sealed class BusChip(ZkVm.Stark.Air.Bus bus) : IInstructionChip
    {
        public string Name => "bus-chip";
        public int MainWidth => 1;
        public IReadOnlyList<Opcode> Opcodes => [];
        public ZkVm.Field.RowMajorMatrix Fill(ZkVm.Machine.Witness.MachineStep[] steps, int[] rows) => new(1, ChipTrace.Height(rows.Length));
        public void Eval<TB, TE>(TB b) where TB : ZkVm.Stark.Air.IAirBuilder<TE> where TE : ZkVm.Stark.Air.IAirExpression<TE> =>
            b.Send(bus, b.Main(0), b.Main(0), b.Main(0), b.Main(0), b.Main(0));
    }

    /// <summary>A chip of another name that claims Zicond's opcodes.</summary>
    sealed class ZicondChipTwin : IInstructionChip
    {
        readonly IInstructionChip inner = new ZicondChip();
        public string Name => "zicond-twin";
        public IReadOnlyList<Opcode> Opcodes => inner.Opcodes;
        public ZkVm.Field.RowMajorMatrix Fill(ZkVm.Machine.Witness.MachineStep[] steps, int[] rows) => inner.Fill(steps, rows);
        public int MainWidth => inner.MainWidth;
        public void Eval<TB, TE>(TB builder) where TB : ZkVm.Stark.Air.IAirBuilder<TE> where TE : ZkVm.Stark.Air.IAirExpression<TE> => inner.Eval<TB, TE>(builder);
    }
}
