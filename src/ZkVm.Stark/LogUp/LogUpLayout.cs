using ZkVm.Stark.Air;

namespace ZkVm.Stark.LogUp;

/// <summary>
/// How a table's interactions become auxiliary (extension-field) columns: interactions are grouped so
/// that each group's fractions h = Σ mₖ/dₖ are bound by one constraint h·Π dₖ − Σ mₖ·Π_{j≠k} dⱼ = 0 of
/// degree ≤ 3. Every group but the last has its h as a column; a last column S holds the sums of all
/// groups' h from each row to the end, and the last group's h is S − S_next − Σ of the other columns
/// (<see cref="LogUpConstraints"/>), so it needs no column of its own.
/// </summary>
public sealed class LogUpLayout
{
    private LogUpLayout(IReadOnlyList<int[]> groups) => Groups = groups;

    /// <summary>Interaction indices of each fraction column, in interaction order.</summary>
    public IReadOnlyList<int[]> Groups { get; }

    /// <summary>Extension columns: one per group but the last, and the suffix sum (none without interactions).</summary>
    public int Width => Groups.Count;

    /// <summary>The column of the suffix sum S, after the groups' columns.</summary>
    public int SumColumn => Groups.Count - 1;

    /// <summary>The base columns <see cref="LogUpConstraints"/> read on the next row: S's four parts, and no other.</summary>
    public int[] NextBaseColumns => Width == 0 ? [] : [4 * SumColumn, 4 * SumColumn + 1, 4 * SumColumn + 2, 4 * SumColumn + 3];

    public static LogUpLayout For(AirShape shape)
    {
        var groups = new List<int[]>();
        var current = new List<InteractionInfo>();
        foreach (var interaction in shape.Interactions)
        {
            current.Add(interaction);
            if (GroupDegree(current) > AirShape.MaxConstraintDegree)
            {
                current.RemoveAt(current.Count - 1);
                groups.Add([.. current.Select(i => i.Index)]);
                current = [interaction];
            }
        }
        if (current.Count > 0) groups.Add([.. current.Select(i => i.Index)]);
        return new LogUpLayout(groups);
    }

    /// <summary>Degree of h·Π dₖ − Σ mₖ·Π_{j≠k} dⱼ, the group's constraint.</summary>
    private static int GroupDegree(List<InteractionInfo> group)
    {
        int denominators = group.Sum(i => i.MaxValueDegree);
        int degree = 1 + denominators;
        foreach (var i in group) degree = Math.Max(degree, i.MultiplicityDegree + denominators - i.MaxValueDegree);
        return degree;
    }
}
