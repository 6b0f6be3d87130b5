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
    public const string ZkColumnsAttribute = "ZkVm.Air.ZkColumnsAttribute";
    public const string ZkLinearAttribute = "ZkVm.Air.ZkLinearAttribute";

    /// <summary>Members the generated code adds to a group, which no column of it may be named.</summary>
    private static readonly string[] GroupReserved = ["View", "Row", "Width", "Names", "builder", "next", "offset", "row"];

    /// <summary>Reads a <c>[ZkColumns]</c> struct into a <see cref="GroupSpec"/>.</summary>
    public static GroupSpec ParseGroup(GeneratorAttributeSyntaxContext ctx, CancellationToken ct)
    {
        var type = (INamedTypeSymbol)ctx.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)ctx.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        bool canEmit = CheckShape(type, syntax, diagnostics);
        var fields = ReadColumns(type, group: true, diagnostics, ref canEmit, ct);
        var members = canEmit ? Flatten(type, 0) : null;
        return new GroupSpec(
            type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            new EquatableArray<ColumnSpec>(fields.ToImmutableArray()),
            new EquatableArray<GroupMember>((members ?? []).ToImmutableArray()),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()),
            canEmit && members is not null);
    }

    /// <summary>Reports what makes <paramref name="type"/> unusable as a spec or group: not a plain, partial, top-level, non-generic struct.</summary>
    private static bool CheckShape(INamedTypeSymbol type, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        int before = diagnostics.Count;
        void Unsupported(string what) => diagnostics.Add(DiagnosticInfo.Create(Diagnostics.Unsupported, syntax.Identifier.GetLocation(), what));
        if (syntax is not StructDeclarationSyntax) Unsupported($"'{type.Name}' must be a plain partial struct, not a {syntax.Keyword.Text}");
        else if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword)) Unsupported($"'{type.Name}' must be declared partial");
        if (type.ContainingType is not null) Unsupported($"'{type.Name}' must not be nested in another type");
        if (type.IsGenericType) Unsupported($"'{type.Name}' must not be generic");
        return diagnostics.Count == before;
    }

    private static bool IsGroup(ITypeSymbol type) =>
        type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ZkColumnsAttribute);

    private static AttributeData? ColOf(IFieldSymbol field) =>
        field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ColAttribute);

    private static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst && !f.IsImplicitlyDeclared);

    /// <summary>
    /// The [Col] fields of a spec or group, in declaration order, each laid out after the one before
    /// (main and preprocessed columns apart); a group field spans its type's flattened columns.
    /// </summary>
    private static List<ColumnSpec> ReadColumns(INamedTypeSymbol type, bool group, List<DiagnosticInfo> diagnostics, ref bool canEmit, CancellationToken ct)
    {
        var columns = new List<ColumnSpec>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int mainOffset = 0, fixedOffset = 0;
        bool ok = true;
        void Unsupported(Location location, string what)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.Unsupported, location, what));
            ok = false;
        }

        foreach (var field in InstanceFields(type))
        {
            var location = field.DeclaringSyntaxReferences[0].GetSyntax(ct).GetLocation();
            var col = ColOf(field);
            if (col is null)
            {
                Unsupported(location, $"field '{field.Name}' is not marked [Col]");
                continue;
            }
            int limbs = col.ConstructorArguments.Length == 1 && col.ConstructorArguments[0].Value is int l ? l : 0;
            bool isFixed = NamedBool(col, "Fixed");
            string name = col.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string ?? field.Name;
            if ((group ? GroupReserved : AirEmitter.Reserved).Contains(field.Name))
            {
                Unsupported(location, $"'{field.Name}' is a name the generated code uses; rename the column");
                continue;
            }
            ColumnSpec spec;
            if (IsGroup(field.Type))
            {
                if (limbs > 0 || isFixed)
                {
                    Unsupported(location, $"column group '{field.Name}' takes neither limbs nor Fixed");
                    continue;
                }
                var members = Flatten((INamedTypeSymbol)field.Type, 0);
                if (members is null)
                {
                    Unsupported(location, $"column group type '{field.Type.Name}' cannot be laid out (see its own diagnostics)");
                    continue;
                }
                spec = new ColumnSpec(field.Name, name, mainOffset, 0, false,
                    field.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), new EquatableArray<GroupMember>(members.ToImmutableArray()));
            }
            else
            {
                bool isArray = field.Type is IArrayTypeSymbol;
                if (isArray != limbs > 0)
                {
                    Unsupported(location, isArray ? $"limb array '{field.Name}' needs its length: [Col(n)]" : $"'{field.Name}' has limbs but is not an array");
                    continue;
                }
                if (group && (isArray || isFixed))
                {
                    Unsupported(location, $"a column group holds single main columns and groups, not '{field.Name}'");
                    continue;
                }
                spec = new ColumnSpec(field.Name, name, isFixed ? fixedOffset : mainOffset, limbs, isFixed);
            }
            var duplicate = (spec.IsGroup ? spec.Members.Select(spec.MemberName) : [name]).FirstOrDefault(n => !names.Add(n));
            if (duplicate is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.DuplicatedColumn, location, duplicate, type.Name));
                ok = false;
                continue;
            }
            columns.Add(spec);
            if (spec.Fixed) fixedOffset += spec.Width; else mainOffset += spec.Width;
        }
        if (!ok) canEmit = false;
        return columns;
    }

    /// <summary>
    /// The columns of a <c>[ZkColumns]</c> type, nested groups expanded, in layout order; null if a field
    /// cannot be laid out (the group's own spec reports why).
    /// </summary>
    private static List<GroupMember>? Flatten(INamedTypeSymbol group, int depth)
    {
        if (depth > 16) return null;
        var members = new List<GroupMember>();
        foreach (var field in InstanceFields(group))
        {
            if (ColOf(field) is not { } col || col.ConstructorArguments.Length > 0 || NamedBool(col, "Fixed")) return null;
            string name = col.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string ?? field.Name;
            if (IsGroup(field.Type))
            {
                if (Flatten((INamedTypeSymbol)field.Type, depth + 1) is not { } inner) return null;
                members.AddRange(inner.Select(m => new GroupMember($"{field.Name}.{m.Path}", name.Length == 0 ? m.Name : $"{name}.{m.Name}")));
            }
            else if (field.Type is IArrayTypeSymbol) return null;
            else members.Add(new GroupMember(field.Name, name));
        }
        return members;
    }

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

        if (!CheckShape(type, syntax, diagnostics)) canEmit = false;

        var attribute = ctx.Attributes[0];
        string airName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string n ? n : type.Name;
        int publicValues = NamedInt(attribute, "PublicValues");

        var columns = ReadColumns(type, group: false, diagnostics, ref canEmit, ct);

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
    /// columns and selectors 1, constants and public values 0, a [ZkLinear] call its arguments' highest.
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

        /// <summary>A call of a [ZkGadget] method that passes the builder first; its other arguments must be buses, column groups, constants or constraint expressions.</summary>
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
                // A column group passes whole; a compile-time constant (a flag saying which parts apply) is no expression.
                if (IsGroupReference(arg.Expression) || model.GetConstantValue(arg.Expression).HasValue) continue;
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
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.Text: "IsFirstRow" or "IsLastRow" or "IsTransition" }
                    when target.Identifier.Text == builder:
                    return 1;
                case MemberAccessExpressionSyntax access when ViewPath(access) is { } path:
                    {
                        var col = Column(path[0]);
                        if (col is null) return null;
                        if (path.Count == 1 && !col.IsGroup)
                        {
                            if (col.Limbs == 0) return 1;
                            Report(Diagnostics.Unsupported, access, $"limb column '{col.Field}' is read one limb at a time: {access}[i]");
                            return null;
                        }
                        if (!col.IsGroup)
                        {
                            Report(Diagnostics.UnknownColumn, path[1], access.ToString(), $"{typeName} ('{col.Field}' is a single column)");
                            return null;
                        }
                        string rest = string.Join(".", path.Skip(1).Select(p => p.Identifier.Text));
                        if (col.Members.Any(m => m.Path == rest)) return 1;
                        if (IsGroupPath(col, rest))
                        {
                            Report(Diagnostics.Unsupported, access, $"column group '{access}' is not a value: name one of its columns, or pass it to a [ZkGadget]");
                            return null;
                        }
                        Report(Diagnostics.UnknownColumn, access, access.ToString(), typeName);
                        return null;
                    }
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
                case InvocationExpressionSyntax linear when IsLinear(linear):
                    {
                        // The coefficients are data (constants, static fields); the expressions' highest degree is the sum's.
                        int? highest = 0;
                        foreach (var arg in linear.ArgumentList.Arguments)
                        {
                            var terms = arg.Expression is CollectionExpressionSyntax collection
                                ? collection.Elements.OfType<ExpressionElementSyntax>().Select(x => x.Expression)
                                : [arg.Expression];
                            foreach (var term in terms)
                            {
                                if (IsData(term)) continue;
                                int? d = Degree(term);
                                highest = d is null || highest is null ? null : Math.Max(highest.Value, d.Value);
                            }
                        }
                        return highest;
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

        /// <summary>A call of a [ZkLinear] method.</summary>
        private bool IsLinear(InvocationExpressionSyntax inv)
        {
            var info = model.GetSymbolInfo(inv);
            return (info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is IMethodSymbol target
                && target.OriginalDefinition.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == ZkLinearAttribute);
        }

        /// <summary>A compile-time constant or a static field or property: a coefficient, not a constraint expression.</summary>
        private bool IsData(ExpressionSyntax e) =>
            model.GetConstantValue(e).HasValue || model.GetSymbolInfo(e).Symbol is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true };

        /// <summary>The names after the view in local.A or local.Group.Sub.A; null if <paramref name="e"/> is not read from a view.</summary>
        private List<SimpleNameSyntax>? ViewPath(ExpressionSyntax e)
        {
            var path = new List<SimpleNameSyntax>();
            while (e is MemberAccessExpressionSyntax m)
            {
                path.Insert(0, m.Name);
                e = m.Expression;
            }
            return e is IdentifierNameSyntax root && views.Contains(root.Identifier.Text) && path.Count > 0 ? path : null;
        }

        /// <summary>Whether <paramref name="rest"/> ("" for the group itself) names a group inside <paramref name="col"/> rather than a column.</summary>
        private static bool IsGroupPath(ColumnSpec col, string rest) =>
            col.IsGroup && (rest.Length == 0 || col.Members.Any(m => m.Path.StartsWith(rest + ".", StringComparison.Ordinal)));

        /// <summary>A column group of a view, such as local.Adapter or local.Adapter.Rs1, which a [ZkGadget] may take whole.</summary>
        private bool IsGroupReference(ExpressionSyntax e) =>
            ViewPath(e) is { } path
            && columns.FirstOrDefault(c => c.Field == path[0].Identifier.Text) is { IsGroup: true } col
            && IsGroupPath(col, string.Join(".", path.Skip(1).Select(p => p.Identifier.Text)));

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
