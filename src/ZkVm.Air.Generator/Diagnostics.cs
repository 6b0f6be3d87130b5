using Microsoft.CodeAnalysis;

namespace ZkVm.Air.Generator;

/// <summary>The generator's diagnostics; their ids are stable and documented in docs/ERRORS.md.</summary>
internal static class Diagnostics
{
    private const string Category = "ZkVm.Air";

    public static readonly DiagnosticDescriptor DegreeTooHigh = new(
        "ZKAIR001", "Degree too high", "{0} has degree {1}, above {2}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor UnknownColumn = new(
        "ZKAIR002", "Unknown column", "'{0}' is not a column of {1}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor DuplicatedColumn = new(
        "ZKAIR003", "Duplicated column", "Column name '{0}' is used twice in {1}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor ArityMismatch = new(
        "ZKAIR004", "Interaction arity mismatch", "Bus '{0}' carries {1} value(s), but this interaction has {2}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor Unsupported = new(
        "ZKAIR005", "Spec not understood", "The AIR generator cannot understand this: {0}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor OpcodeLine = new(
        "ZKAIR006", "Opcode table line not understood", "This opcode table line is not understood: {0}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor OpcodeClash = new(
        "ZKAIR007", "Duplicated or overlapping opcode", "{0}", Category, DiagnosticSeverity.Error, true);

    private static readonly DiagnosticDescriptor[] All = [DegreeTooHigh, UnknownColumn, DuplicatedColumn, ArityMismatch, Unsupported, OpcodeLine, OpcodeClash];

    public static DiagnosticDescriptor ById(string id) => All.First(d => d.Id == id);
}
