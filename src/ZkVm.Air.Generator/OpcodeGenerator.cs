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

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tables = context.AdditionalTextsProvider
            .Where(static f => f.Path.EndsWith(".opcodes", StringComparison.OrdinalIgnoreCase))
            .Select(static (f, ct) => OpcodeParser.Parse(f.Path, f.GetText(ct)))
            .WithTrackingName(TrackingName);

        context.RegisterSourceOutput(tables, static (spc, table) =>
        {
            foreach (var d in table.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
            if (table.Diagnostics.Count == 0) spc.AddSource($"{table.Namespace}.{table.Name}.g.cs", OpcodeEmitter.Emit(table));
        });
    }
}
