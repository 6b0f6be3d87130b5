using Microsoft.CodeAnalysis;

namespace ZkVm.Air.Generator;

/// <summary>
/// Turns an opcode table (an additional file ending in .opcodes) into the <c>Opcode</c> enum,
/// <c>InstructionFormat</c>, <c>OpcodeTable.All</c>, the decoder (matching and field extraction) and the disassembler's forms, aliases included.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OpcodeGenerator : IIncrementalGenerator
{
    public const string TrackingName = "OpcodeTables";

    /// <summary>
    /// The item metadata (<c>&lt;AdditionalFiles Include="…opcodes" ZkRomAirNamespace="…" /&gt;</c>, made
    /// visible with <c>CompilerVisibleItemMetadata</c>) by which a project that references ZkVm.Stark asks
    /// for the ROM decoding AIRs of a table whose decoder lives in another assembly.
    /// </summary>
    public const string RomAirMetadata = "build_metadata.AdditionalFiles.ZkRomAirNamespace";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tables = context.AdditionalTextsProvider
            .Where(static f => f.Path.EndsWith(".opcodes", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) =>
            {
                pair.Right.GetOptions(pair.Left).TryGetValue(RomAirMetadata, out string? rom);
                return OpcodeParser.Parse(pair.Left.Path, pair.Left.GetText(ct)) with { RomAirNamespace = rom ?? "" };
            })
            .WithTrackingName(TrackingName);

        context.RegisterSourceOutput(tables, static (spc, table) =>
        {
            foreach (var d in table.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
            if (table.Diagnostics.Count > 0) return;
            if (table.RomAirNamespace.Length == 0) spc.AddSource($"{table.Namespace}.{table.Name}.g.cs", OpcodeEmitter.Emit(table));
            else spc.AddSource($"{table.RomAirNamespace}.{table.Name}.Rom.g.cs", RomAirEmitter.Emit(table));
        });
    }
}
