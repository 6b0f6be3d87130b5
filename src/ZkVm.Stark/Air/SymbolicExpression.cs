using ZkVm.Field;

namespace ZkVm.Stark.Air;

/// <summary>
/// A constraint as a symbolic polynomial, reduced to what the engine needs to know about it before
/// any trace exists: its degree in the trace columns and selectors.
/// </summary>
public sealed class SymbolicExpression : IAirExpression<SymbolicExpression>
{
    private SymbolicExpression(int degree) => Degree = degree;

    public int Degree { get; }

    public static readonly SymbolicExpression Zero = new(0);
    public static readonly SymbolicExpression Variable = new(1);

    public static SymbolicExpression Constant(BabyBear value) => Zero;
    public static SymbolicExpression operator +(SymbolicExpression a, SymbolicExpression b) => Max(a, b);
    public static SymbolicExpression operator -(SymbolicExpression a, SymbolicExpression b) => Max(a, b);
    public static SymbolicExpression operator -(SymbolicExpression a) => a;
    public static SymbolicExpression operator *(SymbolicExpression a, SymbolicExpression b) => new(a.Degree + b.Degree);

    private static SymbolicExpression Max(SymbolicExpression a, SymbolicExpression b) => a.Degree >= b.Degree ? a : b;
}
