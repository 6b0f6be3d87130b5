using System.Runtime.CompilerServices;

namespace ZkVm.Stark.Air;

/// <summary>Constraints built from <see cref="IAirBuilder{TE}.AssertZero"/> that AIRs state often.</summary>
public static class AirBuilderExtensions
{
    /// <summary>
    /// <paramref name="x"/> is 0 or 1: x·(x − 1) = 0. The constraint is named as that product is written
    /// by hand, <c>x * (x - one)</c>, so error messages and tables name it as before.
    /// </summary>
    public static void AssertBool<TB, TE>(this TB b, TE x, [CallerArgumentExpression(nameof(x))] string name = "")
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        b.AssertZero(x * (x - TE.From(1)), $"{name} * ({name} - one)");
}
