using System.Collections;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ZkVm.Air.Generator;

/// <summary>
/// What the emitter needs of one <c>[ZkAir]</c> spec. Strings and primitives only, so that the
/// incremental pipeline can compare it with the previous run's and skip the emitter when unchanged.
/// </summary>
internal sealed record AirSpec(
    string Namespace,
    string TypeName,
    string AirName,
    int PublicValues,
    EquatableArray<ColumnSpec> Columns,
    EquatableArray<string> ConstraintMethods,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool CanEmit)
{
    public int MainWidth => Columns.Where(c => !c.Fixed).Sum(c => c.Width);
    public int PreprocessedWidth => Columns.Where(c => c.Fixed).Sum(c => c.Width);
}

/// <summary>
/// A column, a run of limb columns (<see cref="Limbs"/> &gt; 0), or a column group: a field of a
/// <c>[ZkColumns]</c> type (<see cref="GroupType"/>, fully qualified) whose columns are <see cref="Members"/>.
/// </summary>
internal sealed record ColumnSpec(string Field, string Name, int Offset, int Limbs, bool Fixed, string GroupType, EquatableArray<GroupMember> Members)
{
    public ColumnSpec(string field, string name, int offset, int limbs, bool isFixed)
        : this(field, name, offset, limbs, isFixed, "", default) { }

    public bool IsGroup => GroupType.Length > 0;
    public int Width => IsGroup ? Members.Count : Limbs == 0 ? 1 : Limbs;

    /// <summary>The name of the group's <paramref name="member"/> in messages: the group's name, a dot, the member's.</summary>
    public string MemberName(GroupMember member) => Name.Length == 0 ? member.Name : $"{Name}.{member.Name}";
}

/// <summary>One column of a group: its path from the group (field names joined by dots) and its name in messages.</summary>
internal sealed record GroupMember(string Path, string Name);

/// <summary>What the emitter needs of one <c>[ZkColumns]</c> group type.</summary>
internal sealed record GroupSpec(
    string Namespace,
    string TypeName,
    EquatableArray<ColumnSpec> Fields,
    EquatableArray<GroupMember> Members,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool CanEmit);

/// <summary>A diagnostic with its location kept as plain values (a <see cref="Location"/> holds the syntax tree).</summary>
internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments) =>
        Create(descriptor, node.GetLocation(), arguments);

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
    {
        return new DiagnosticInfo(descriptor.Id, location.GetLineSpan().Path, location.SourceSpan,
            location.GetLineSpan().Span, new EquatableArray<string>(arguments.ToImmutableArray()));
    }

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Diagnostics.ById(Id), Location.Create(FilePath, Span, LineSpan), [.. Arguments]);
}

/// <summary>An immutable array compared by its elements.</summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> items = items;

    public ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;
    public int Count => Items.Length;
    public T this[int index] => Items[index];

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (var item in Items) hash = hash * 31 + item.GetHashCode();
        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
