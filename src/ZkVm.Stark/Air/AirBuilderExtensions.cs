using System.Runtime.CompilerServices;

namespace ZkVm.Stark.Air;

/// <summary>
/// Constraints built from <see cref="IAirBuilder{TE}.AssertZero"/> that AIRs state often. Each is named
/// as its product would be written out by hand, so error messages and tables name it the same either way.
/// </summary>
public static class AirBuilderExtensions
{
    /// <summary><paramref name="x"/> is 0 or 1: x·(x − 1) = 0, named <c>x * (x - one)</c>.</summary>
    public static void AssertBool<TB, TE>(this TB b, TE x, [CallerArgumentExpression(nameof(x))] string name = "")
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.AssertZero(x * (x - TE.From(1)), $"{name} * ({name} - one)");

    /// <summary>Constraints that hold where <paramref name="condition"/> is 1 (they are multiplied by it).</summary>
    public static ConditionalBuilder<TB, TE> When<TB, TE>(this TB b, TE condition, [CallerArgumentExpression(nameof(condition))] string name = "")
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        new(b, condition, name);

    /// <summary>A factor of a product as it is written out: a sum in parentheses, anything else as it is.</summary>
    internal static string Factor(string text)
    {
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' or '[' => 1, ')' or ']' => -1, _ => 0 };
            if (depth == 0 && i > 0 && i + 2 < text.Length && text[i] == ' ' && text[i + 1] is '+' or '-' && text[i + 2] == ' ')
                return $"({text})";
        }
        return text;
    }
}

/// <summary>The builder of <see cref="AirBuilderExtensions.When"/>: each constraint is multiplied by the condition.</summary>
public readonly struct ConditionalBuilder<TB, TE>(TB builder, TE condition, string conditionName)
    where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
{
    /// <summary>condition · <paramref name="constraint"/> = 0, named <c>condition * constraint</c>.</summary>
    public void AssertZero(TE constraint, [CallerArgumentExpression(nameof(constraint))] string name = "") =>
        builder.AssertZero(condition * constraint, $"{AirBuilderExtensions.Factor(conditionName)} * {AirBuilderExtensions.Factor(name)}");
}
