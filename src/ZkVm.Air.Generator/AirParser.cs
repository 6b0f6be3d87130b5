using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ZkVm.Air.Generator;

/// <summary>Reads a <c>[ZkAir]</c> struct into an <see cref="AirSpec"/>, checking its columns and constraint methods.</summary>
internal static class AirParser
{
    public const string ZkAirAttribute = "ZkVm.Air.ZkAirAttribute";
    public const string ColAttribute = "ZkVm.Air.ColAttribute";
    public const string ConstraintsAttribute = "ZkVm.Air.ConstraintsAttribute";
    public const string ZkBusAttribute = "ZkVm.Air.ZkBusAttribute";
    public const string ZkGadgetAttribute = "ZkVm.Air.ZkGadgetAttribute";

    public static AirSpec Parse(GeneratorAttributeSyntaxContext ctx, CancellationToken ct)
    {
        var type = (INamedTypeSymbol)ctx.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)ctx.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        bool canEmit = true;

        void Unsupported(Location location, string what)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.Unsupported, location, what));
            canEmit = false;
        }

        if (syntax is not StructDeclarationSyntax) Unsupported(syntax.Identifier.GetLocation(), $"'{type.Name}' must be a plain partial struct, not a {syntax.Keyword.Text}");
        else if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword)) Unsupported(syntax.Identifier.GetLocation(), $"'{type.Name}' must be declared partial");
        if (type.ContainingType is not null) Unsupported(syntax.Identifier.GetLocation(), $"'{type.Name}' must not be nested in another type");
        if (type.IsGenericType) Unsupported(syntax.Identifier.GetLocation(), $"'{type.Name}' must not be generic");

        var attribute = ctx.Attributes[0];
        string airName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string n ? n : type.Name;
        int publicValues = NamedInt(attribute, "PublicValues");

        var columns = new List<ColumnSpec>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int mainOffset = 0, fixedOffset = 0;
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (field.IsStatic || field.IsConst || field.IsImplicitlyDeclared) continue;
            var node = field.DeclaringSyntaxReferences[0].GetSyntax(ct);
            var col = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ColAttribute);
            if (col is null)
            {
                Unsupported(node.GetLocation(), $"field '{field.Name}' is not marked [Col]");
                continue;
            }
            int limbs = col.ConstructorArguments.Length == 1 && col.ConstructorArguments[0].Value is int l ? l : 0;
            bool isFixed = NamedBool(col, "Fixed");
            string name = col.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string ?? field.Name;
            bool isArray = field.Type is IArrayTypeSymbol;
            if (isArray != limbs > 0)
            {
                Unsupported(node.GetLocation(), isArray ? $"limb array '{field.Name}' needs its length: [Col(n)]" : $"'{field.Name}' has limbs but is not an array");
                continue;
            }
            if (AirEmitter.Reserved.Contains(field.Name))
            {
                Unsupported(node.GetLocation(), $"'{field.Name}' is a name the generated code uses; rename the column");
                continue;
            }
            if (!names.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicatedColumn, node, name, type.Name));
                canEmit = false;
                continue;
            }
            int width = Math.Max(limbs, 1);
            columns.Add(new ColumnSpec(field.Name, name, isFixed ? fixedOffset : mainOffset, limbs, isFixed));
            if (isFixed) fixedOffset += width; else mainOffset += width;
        }

        var methods = new List<string>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (!method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ConstraintsAttribute)) continue;
            var decl = (MethodDeclarationSyntax)method.DeclaringSyntaxReferences[0].GetSyntax(ct);
            if (!IsConstraintSignature(method, decl))
            {
                Unsupported(decl.Identifier.GetLocation(), $"[Constraints] method '{method.Name}' must be 'static void {method.Name}<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)' with a body");
                continue;
            }
            methods.Add(method.Name);
            // The method may sit in another file of the partial struct than the attribute.
            var model = decl.SyntaxTree == ctx.SemanticModel.SyntaxTree ? ctx.SemanticModel : ctx.SemanticModel.Compilation.GetSemanticModel(decl.SyntaxTree);
            var analyzer = new ConstraintAnalyzer(model, type.Name, columns, publicValues, decl, diagnostics);
            analyzer.Run();
        }
        if (methods.Count == 0 && canEmit) Unsupported(syntax.Identifier.GetLocation(), $"'{type.Name}' has no [Constraints] method");

        return new AirSpec(
            type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
            type.Name, airName, publicValues,
            new EquatableArray<ColumnSpec>(columns.ToImmutableArray()),
            new EquatableArray<string>(methods.ToImmutableArray()),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()),
            canEmit);
    }

    private static bool IsConstraintSignature(IMethodSymbol method, MethodDeclarationSyntax decl) =>
        method.IsStatic && method.ReturnsVoid && method.TypeParameters.Length == 2 && method.Parameters.Length == 3
        && (decl.Body is not null || decl.ExpressionBody is not null)
        && decl.ParameterList.Parameters.Skip(1).All(p => p.Type is GenericNameSyntax { Identifier.Text: "View", TypeArgumentList.Arguments.Count: 2 });

    private static int NamedInt(AttributeData a, string name) =>
        a.NamedArguments.FirstOrDefault(x => x.Key == name).Value.Value is int v ? v : 0;

    private static bool NamedBool(AttributeData a, string name) =>
        a.NamedArguments.FirstOrDefault(x => x.Key == name).Value.Value is true;

    /// <summary>
    /// Walks a constraint method in the small language specs are written in (locals, loops with
    /// constant bounds, AssertZero/AssertBool/When(…).AssertZero/Send/Receive) and computes degrees as the symbolic builder would:
    /// columns and selectors 1, constants and public values 0.
    /// </summary>
    private sealed class ConstraintAnalyzer(SemanticModel model, string typeName, List<ColumnSpec> columns, int publicValues, MethodDeclarationSyntax method, List<DiagnosticInfo> diagnostics)
    {
        private const int MaxConstraintDegree = 3, MaxMultiplicityDegree = 1, MaxValueDegree = 2;

        private readonly string builder = method.ParameterList.Parameters[0].Identifier.Text;
        private readonly string expressionType = method.TypeParameterList!.Parameters[1].Identifier.Text;
        private readonly HashSet<string> views = [method.ParameterList.Parameters[1].Identifier.Text, method.ParameterList.Parameters[2].Identifier.Text];
        private readonly Dictionary<string, int> locals = [];
        private readonly Dictionary<string, (int From, int To)> loops = [];

        public void Run()
        {
            if (method.Body is not null) Statement(method.Body);
            else Expression(method.ExpressionBody!.Expression);
        }

        private void Report(DiagnosticDescriptor d, SyntaxNode node, params string[] args) => diagnostics.Add(DiagnosticInfo.Create(d, node, args));

        private void Statement(StatementSyntax s)
        {
            switch (s)
            {
                case BlockSyntax block:
                    foreach (var inner in block.Statements) Statement(inner);
                    break;
                case LocalDeclarationStatementSyntax decl:
                    foreach (var v in decl.Declaration.Variables)
                    {
                        if (v.Initializer is null) { Report(Diagnostics.Unsupported, v, $"local '{v.Identifier.Text}' needs an initializer"); continue; }
                        if (Degree(v.Initializer.Value) is int d) locals[v.Identifier.Text] = d;
                    }
                    break;
                case ExpressionStatementSyntax { Expression: var e }:
                    Expression(e);
                    break;
                case ForStatementSyntax loop when LoopBounds(loop) is (string name, int from, int to):
                    loops[name] = (from, to);
                    Statement(loop.Statement);
                    loops.Remove(name);
                    break;
                case ForStatementSyntax loop:
                    Report(Diagnostics.Unsupported, loop, "a loop must read 'for (int i = A; i < B; i++)' with constant A and B");
                    break;
                default:
                    Report(Diagnostics.Unsupported, s, $"a {s.Kind()} in a constraint method");
                    break;
            }
        }

        private (string, int, int)? LoopBounds(ForStatementSyntax loop)
        {
            if (loop.Declaration is not { Variables.Count: 1 } declaration || declaration.Variables[0].Initializer is not { } init) return null;
            string name = declaration.Variables[0].Identifier.Text;
            if (model.GetConstantValue(init.Value).Value is not int from) return null;
            if (loop.Condition is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression, Left: IdentifierNameSyntax left } cond
                || left.Identifier.Text != name || model.GetConstantValue(cond.Right).Value is not int to) return null;
            if (loop.Incrementors.Count != 1
                || loop.Incrementors[0] is not PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression, Operand: IdentifierNameSyntax inc }
                || inc.Identifier.Text != name) return null;
            return (name, from, to);
        }

        private void Expression(ExpressionSyntax e)
        {
            if (e is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.Text: var call } } inv
                && target.Identifier.Text == builder)
            {
                var args = inv.ArgumentList.Arguments;
                switch (call)
                {
                    case "AssertZero" when args.Count is 1 or 2:
                        if (Degree(args[0].Expression) is int d && d > MaxConstraintDegree)
                            Report(Diagnostics.DegreeTooHigh, args[0].Expression, $"Constraint '{args[0].Expression}'", d.ToString(), MaxConstraintDegree.ToString());
                        return;
                    case "AssertBool" when args.Count is 1 or 2:
                        // x·(x − 1): twice the degree of x.
                        if (Degree(args[0].Expression) is int x && 2 * x > MaxConstraintDegree)
                            Report(Diagnostics.DegreeTooHigh, args[0].Expression, $"Constraint '{args[0].Expression} * ({args[0].Expression} - one)'", (2 * x).ToString(), MaxConstraintDegree.ToString());
                        return;
                    case "Send" or "Receive" when args.Count >= 2:
                        Interaction(inv, args);
                        return;
                }
            }
            // b.When(condition).AssertZero(x): condition · x.
            if (e is InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax
                    {
                        Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax whenTarget, Name.Identifier.Text: "When" } } when,
                        Name.Identifier.Text: "AssertZero",
                    }
                } conditional
                && whenTarget.Identifier.Text == builder && when.ArgumentList.Arguments.Count is 1 or 2 && conditional.ArgumentList.Arguments.Count is 1 or 2)
            {
                var condition = when.ArgumentList.Arguments[0].Expression;
                var constraint = conditional.ArgumentList.Arguments[0].Expression;
                int? c = Degree(condition), x = Degree(constraint);
                if (c is not null && x is not null && c + x > MaxConstraintDegree)
                    Report(Diagnostics.DegreeTooHigh, conditional, $"Constraint '{condition} * {constraint}'", (c + x).ToString(), MaxConstraintDegree.ToString());
                return;
            }
            if (e is InvocationExpressionSyntax gadget && IsGadgetCall(gadget))
                return;
            Report(Diagnostics.Unsupported, e, $"'{e}' (a statement must be {builder}.AssertZero, {builder}.AssertBool, {builder}.When(…).AssertZero, {builder}.Send, {builder}.Receive or a [ZkGadget] call)");
        }

        /// <summary>A call of a [ZkGadget] method that passes the builder first; its other arguments must be constraint expressions.</summary>
        private bool IsGadgetCall(InvocationExpressionSyntax inv)
        {
            var info = model.GetSymbolInfo(inv);
            if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not IMethodSymbol target
                || !target.OriginalDefinition.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ZkGadgetAttribute))
                return false;
            var args = inv.ArgumentList.Arguments;
            if (args.Count == 0 || args[0].Expression is not IdentifierNameSyntax first || first.Identifier.Text != builder)
            {
                Report(Diagnostics.Unsupported, inv, $"a [ZkGadget] call must pass '{builder}' as its first argument");
                return true;
            }
            foreach (var arg in args.Skip(1))
            {
                var symbol = model.GetSymbolInfo(arg.Expression).Symbol;
                if (symbol?.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ZkBusAttribute) == true) continue;
                Degree(arg.Expression);
            }
            return true;
        }

        private void Interaction(InvocationExpressionSyntax inv, SeparatedSyntaxList<ArgumentSyntax> args)
        {
            var bus = args[0].Expression;
            var symbol = model.GetSymbolInfo(bus).Symbol;
            var declared = symbol?.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ZkBusAttribute);
            if (declared is null || declared.ConstructorArguments.Length != 1 || declared.ConstructorArguments[0].Value is not int arity)
                Report(Diagnostics.Unsupported, bus, $"bus '{bus}' must be a field or property marked [ZkBus(arity)]");
            else if (arity != args.Count - 2)
                Report(Diagnostics.ArityMismatch, inv, bus.ToString(), arity.ToString(), (args.Count - 2).ToString());

            if (Degree(args[1].Expression) is int m && m > MaxMultiplicityDegree)
                Report(Diagnostics.DegreeTooHigh, args[1].Expression, $"Multiplicity '{args[1].Expression}'", m.ToString(), MaxMultiplicityDegree.ToString());
            foreach (var value in args.Skip(2))
                if (Degree(value.Expression) is int v && v > MaxValueDegree)
                    Report(Diagnostics.DegreeTooHigh, value.Expression, $"Interaction value '{value.Expression}'", v.ToString(), MaxValueDegree.ToString());
        }

        /// <summary>The expression's degree, or null once it has reported why it cannot tell.</summary>
        private int? Degree(ExpressionSyntax e)
        {
            switch (e)
            {
                case ParenthesizedExpressionSyntax p:
                    return Degree(p.Expression);
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } neg:
                    return Degree(neg.Operand);
                case BinaryExpressionSyntax bin when bin.Kind() is SyntaxKind.AddExpression or SyntaxKind.SubtractExpression or SyntaxKind.MultiplyExpression:
                    // Both sides are walked so that every problem in them is reported.
                    int? l = Degree(bin.Left), r = Degree(bin.Right);
                    if (l is null || r is null) return null;
                    return bin.Kind() == SyntaxKind.MultiplyExpression ? l + r : Math.Max(l.Value, r.Value);
                case IdentifierNameSyntax id when locals.TryGetValue(id.Identifier.Text, out int d):
                    return d;
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.Text: var member } access:
                    if (target.Identifier.Text == builder && member is "IsFirstRow" or "IsLastRow" or "IsTransition") return 1;
                    if (views.Contains(target.Identifier.Text))
                    {
                        var col = Column(access.Name);
                        if (col is null) return null;
                        if (col.Limbs == 0) return 1;
                        Report(Diagnostics.Unsupported, access, $"limb column '{member}' is read one limb at a time: {access}[i]");
                        return null;
                    }
                    break;
                case ElementAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name: var name }, ArgumentList.Arguments: { Count: 1 } indexArgs } element
                    when views.Contains(target.Identifier.Text):
                    {
                        var col = Column(name);
                        if (col is null) return null;
                        if (col.Limbs == 0)
                        {
                            Report(Diagnostics.Unsupported, element, $"'{name}' is a single column, not limbs");
                            return null;
                        }
                        var index = indexArgs[0];
                        var range = IndexRange(index.Expression);
                        if (range is null)
                        {
                            Report(Diagnostics.Unsupported, index, "a limb index must be a constant or a loop variable with constant bounds");
                            return null;
                        }
                        if (range.Value.From < 0 || range.Value.To > col.Limbs)
                        {
                            Report(Diagnostics.UnknownColumn, element, element.ToString(), $"{typeName} ({name} has {col.Limbs} limbs)");
                            return null;
                        }
                        return 1;
                    }
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.Text: var call } } inv:
                    if (target.Identifier.Text == builder && call == "Public" && inv.ArgumentList.Arguments.Count == 1)
                    {
                        var index = inv.ArgumentList.Arguments[0].Expression;
                        if (IndexRange(index) is not { } range)
                        {
                            Report(Diagnostics.Unsupported, index, "a public value index must be a constant or a loop variable with constant bounds");
                            return null;
                        }
                        if (range.From < 0 || range.To > publicValues)
                        {
                            Report(Diagnostics.UnknownColumn, inv, inv.ToString(), $"{typeName} (it declares {publicValues} public values)");
                            return null;
                        }
                        return 0;
                    }
                    if (target.Identifier.Text == expressionType && call is "Constant" or "From") return 0;
                    break;
            }
            Report(Diagnostics.Unsupported, e, $"'{e}' in a constraint expression");
            return null;
        }

        private ColumnSpec? Column(SimpleNameSyntax name)
        {
            var col = columns.FirstOrDefault(c => c.Field == name.Identifier.Text);
            if (col is null) Report(Diagnostics.UnknownColumn, name, name.Identifier.Text, typeName);
            return col;
        }

        private (int From, int To)? IndexRange(ExpressionSyntax index)
        {
            if (model.GetConstantValue(index).Value is int c) return (c, c + 1);
            if (index is IdentifierNameSyntax id && loops.TryGetValue(id.Identifier.Text, out var loop)) return loop;
            return null;
        }
    }
}
