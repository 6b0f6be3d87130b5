using System.Numerics;
using ZkVm.Field;

namespace ZkVm.Stark.Air;

/// <summary>
/// What a constraint is computed with. Each builder picks its own type: symbolic expressions to find
/// degrees, extension-field values to check a trace or a proof's openings.
/// </summary>
public interface IAirExpression<TSelf> :
    IAdditionOperators<TSelf, TSelf, TSelf>,
    ISubtractionOperators<TSelf, TSelf, TSelf>,
    IMultiplyOperators<TSelf, TSelf, TSelf>,
    IUnaryNegationOperators<TSelf, TSelf>
    where TSelf : IAirExpression<TSelf>
{
    static abstract TSelf Constant(BabyBear value);

    /// <summary>The constant <paramref name="value"/> (below the field's modulus).</summary>
    static virtual TSelf From(uint value) => TSelf.Constant(BabyBear.FromCanonical(value));
}
