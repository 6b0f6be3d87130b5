using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ZkVm.Air.Generator.Tests;

/// <summary>The opcode-table generator over the real rv32im.opcodes and over broken tables.</summary>
public class OpcodeGeneratorTests
{
    private sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    /// <summary>The item metadata a project sets on the table (ZkRomAirNamespace), as the compiler hands it to the generator.</summary>
    private sealed class Metadata(string key, string value) : AnalyzerConfigOptionsProvider
    {
        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }

        private readonly Options options = new(new() { [key] = value });
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options([]);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;
    }

    private static string Rv32im() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rv32im.opcodes"));

    private static GeneratorDriver Run(string table, out CSharpCompilation compilation) => Run(new Text("/specs/rv32im.opcodes", table), out compilation);

    private static GeneratorDriver Run(AdditionalText table, out CSharpCompilation compilation)
    {
        compilation = GeneratorHarness.Compilation("namespace Other; public static class Unrelated { public static int One => 1; }");
        return CSharpGeneratorDriver.Create(
                [new OpcodeGenerator().AsSourceGenerator()], [table], GeneratorHarness.ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true))
            .RunGenerators(compilation);
    }

    [Fact]
    public void The_rv32im_table_generates_its_golden_file()
    {
        var result = Run(Rv32im(), out _).GetRunResult().Results[0];
        Assert.Empty(result.Diagnostics);
        GoldenTests.CompareWithGolden("Rv32im", Assert.Single(result.GeneratedSources).SourceText.ToString());
    }

    [Fact]
    public void With_ZkRomAirNamespace_the_table_generates_its_rom_decoding_airs_which_compile()
    {
        var compilation = GeneratorHarness.Compilation("namespace Other; public static class Unrelated { public static int One => 1; }");
        var driver = CSharpGeneratorDriver.Create([new OpcodeGenerator().AsSourceGenerator()], [new Text("/specs/rv32im.opcodes", Rv32im())],
                GeneratorHarness.ParseOptions, new Metadata(OpcodeGenerator.RomAirMetadata, "Demo.Rom"))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results[0];
        Assert.Empty(result.Diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        GoldenTests.CompareWithGolden("Rv32imRom", Assert.Single(result.GeneratedSources).SourceText.ToString());
    }

    [Fact]
    public void An_unrelated_edit_is_served_from_the_cache_and_a_table_edit_regenerates()
    {
        var original = new Text("/specs/rv32im.opcodes", Rv32im());
        var driver = Run(original, out var compilation);
        var tree = compilation.SyntaxTrees.Single();
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From("namespace Other; public static class Unrelated { }"))));
        Assert.All(driver.GetRunResult().Results[0].TrackedSteps[OpcodeGenerator.TrackingName].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        var text = new Text("/specs/rv32im.opcodes", Rv32im().Replace("| remu rd,rs1,rs2", "| remu rd,rs1,rs2\nczero.eqz R Alu 0x33 5 0x07 - | czero.eqz rd,rs1,rs2"));
        driver = driver.ReplaceAdditionalText(original, text).RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];
        Assert.Contains(result.TrackedSteps[OpcodeGenerator.TrackingName].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        // The line docs/AIR_GENERATOR.md adds: a new enum member, table line, decoder match and disassembly.
        string source = Assert.Single(result.GeneratedSources).SourceText.ToString();
        Assert.Contains("new(Opcode.CzeroEqz, \"czero.eqz\", InstructionFormat.R, InstructionFamily.Alu, 0xFE00707F, 0x0E005033),", source);
        Assert.Contains("if ((word & 0xFE00707F) == 0x0E005033) return Fields(Opcode.CzeroEqz, InstructionFormat.R, word);", source);
        Assert.Contains("Opcode.CzeroEqz => Op(\"czero.eqz\", R(i.Rd), R(i.Rs1), R(i.Rs2)),", source);
    }

    [Fact]
    public void An_alias_line_is_tried_before_its_instructions_own_syntax_and_after_the_aliases_above_it()
    {
        // A made-up alias (objdump prints 'andi rd,rs1,-1' as 'and'): only its place among the arms is checked.
        string table = Rv32im() + "\nalias andi imm=-1 | mv rd,rs1\n";
        var result = Run(table, out _).GetRunResult().Results[0];
        Assert.Empty(result.Diagnostics);
        string source = Assert.Single(result.GeneratedSources).SourceText.ToString();
        int zext = source.IndexOf("Opcode.Andi when i.Imm == 255 => Op(\"zext.b\", R(i.Rd), R(i.Rs1)),", StringComparison.Ordinal);
        int added = source.IndexOf("Opcode.Andi when i.Imm == -1 => Op(\"mv\", R(i.Rd), R(i.Rs1)),", StringComparison.Ordinal);
        int plain = source.IndexOf("Opcode.Andi => Op(\"and\", R(i.Rd), R(i.Rs1), Imm(i)),", StringComparison.Ordinal);
        Assert.True(zext >= 0 && zext < added && added < plain, source);
    }

    public static TheoryData<string, string, string> BrokenLines() => new()
    {
        { "ZKAIR006", "add R Alu 0x33 0 0x00 - | add rd,rs1,rs2\nsub Q Alu 0x33 0 0x20 - | sub rd,rs1,rs2", "sub Q Alu 0x33 0 0x20 - | sub rd,rs1,rs2" },
        { "ZKAIR006", "add R Alu 0x33 8 0x00 - | add rd,rs1,rs2", "add R Alu 0x33 8 0x00 - | add rd,rs1,rs2" },
        { "ZKAIR006", "add R Alu 0x33 0 0x00 - | add rd,rs1,rs3", "add R Alu 0x33 0 0x00 - | add rd,rs1,rs3" },
        { "ZKAIR006", "ecall System Syscall 0x73 - - 0x00000013 | ecall", "ecall System Syscall 0x73 - - 0x00000013 | ecall" },
        { "ZKAIR007", "add R Alu 0x33 0 0x00 - | add rd,rs1,rs2\nadd R Alu 0x33 1 0x00 - | add rd,rs1,rs2", "add R Alu 0x33 1 0x00 - | add rd,rs1,rs2" },
        { "ZKAIR007", "add R Alu 0x33 0 0x00 - | add rd,rs1,rs2\nplus R Alu 0x33 0 - - | add rd,rs1,rs2", "plus R Alu 0x33 0 - - | add rd,rs1,rs2" },
        // Format declarations: a field that is not one, a piece out of the word, overlapping pieces,
        // sign extension from below the top, a register wider than 5 bits, a format declared twice, an instruction of an undeclared format.
        { "ZKAIR006", "format X rd=11:7@0 rt=19:15@0", "format X rd=11:7@0 rt=19:15@0" },
        { "ZKAIR006", "format X imm=32:20@0", "format X imm=32:20@0" },
        { "ZKAIR006", "format X imm=31:20@0,11:7@4", "format X imm=31:20@0,11:7@4" },
        { "ZKAIR006", "format X imm=31:25@5,s11:7@0", "format X imm=31:25@5,s11:7@0" },
        { "ZKAIR006", "format X rd=12:7@0", "format X rd=12:7@0" },
        { "ZKAIR006", "format System imm=31:20@0", "format System imm=31:20@0" },
        { "ZKAIR006", "lui U UpperImmediate 0x37 - - - | lui rd,upper", "lui U UpperImmediate 0x37 - - - | lui rd,upper" },
        // Aliases: of an instruction not declared above, without a condition, on a field that is not one, with an unknown role.
        { "ZKAIR006", "alias sub rs1=0 | neg rd,rs2\nsub R Alu 0x33 0 0x20 - | sub rd,rs1,rs2", "alias sub rs1=0 | neg rd,rs2" },
        { "ZKAIR006", "sub R Alu 0x33 0 0x20 - | sub rd,rs1,rs2\nalias sub | neg rd,rs2", "alias sub | neg rd,rs2" },
        { "ZKAIR006", "sub R Alu 0x33 0 0x20 - | sub rd,rs1,rs2\nalias sub rt=0 | neg rd,rs2", "alias sub rt=0 | neg rd,rs2" },
        { "ZKAIR006", "sub R Alu 0x33 0 0x20 - | sub rd,rs1,rs2\nalias sub rs1=0 | neg rd,rs3", "alias sub rs1=0 | neg rd,rs3" },
    };

    [Theory]
    [MemberData(nameof(BrokenLines))]
    public void A_broken_line_is_reported_at_its_place_and_nothing_is_generated(string id, string lines, string offending)
    {
        string table = "# a table\nnamespace Demo\nformat R rd=11:7@0 rs1=19:15@0 rs2=24:20@0\nformat System\n" + lines + "\n";
        var result = Run(table, out _).GetRunResult().Results[0];
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal("/specs/rv32im.opcodes", d.Location.GetLineSpan().Path);
        int start = table.IndexOf(offending, StringComparison.Ordinal);
        Assert.Equal(new TextSpan(start, offending.Length), d.Location.SourceSpan);
        Assert.Empty(result.GeneratedSources);
    }
}
