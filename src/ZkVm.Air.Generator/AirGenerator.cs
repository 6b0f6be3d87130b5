using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ZkVm.Air.Generator;

/// <summary>
/// Turns each <c>[ZkAir]</c> partial struct into an <c>IAir</c>: column layout and names, typed row
/// views, and the <c>Eval</c> body every STARK builder runs; gives each <c>[ZkColumns]</c> group its
/// views; reports what it finds wrong in either.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AirGenerator : IIncrementalGenerator
{
    public const string TrackingName = "AirSpecs";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The attributes are emitted into each consumer (marked [Embedded] so that two assemblies
        // holding them never clash) rather than shipped in a runtime assembly of their own.
        context.RegisterPostInitializationOutput(static c =>
        {
            c.AddEmbeddedAttributeDefinition();
            c.AddSource("ZkVm.Air.Attributes.g.cs", AirEmitter.Attributes);
        });

        var specs = context.SyntaxProvider.ForAttributeWithMetadataName(
                AirParser.ZkAirAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => AirParser.Parse(ctx, ct))
            .WithTrackingName(TrackingName);

        var groups = context.SyntaxProvider.ForAttributeWithMetadataName(
                AirParser.ZkColumnsAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => AirParser.ParseGroup(ctx, ct));

        context.RegisterSourceOutput(groups, static (spc, group) =>
        {
            foreach (var d in group.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
            if (group.CanEmit) spc.AddSource($"{(group.Namespace.Length == 0 ? "" : group.Namespace + ".")}{group.TypeName}.g.cs", AirEmitter.EmitGroup(group));
        });

        context.RegisterSourceOutput(specs, static (spc, spec) =>
        {
            foreach (var d in spec.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
            if (spec.CanEmit) spc.AddSource($"{(spec.Namespace.Length == 0 ? "" : spec.Namespace + ".")}{spec.TypeName}.g.cs", AirEmitter.Emit(spec));
        });
    }
}
