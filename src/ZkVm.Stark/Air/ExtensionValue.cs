using ZkVm.Field;

namespace ZkVm.Stark.Air;

/// <summary>A concrete constraint value in the extension field: what the debug, prover and verifier builders compute with.</summary>
public readonly record struct ExtensionValue(BabyBearExt4 Value) : IAirExpression<ExtensionValue>
{
    public static ExtensionValue Constant(BabyBear value) => new(BabyBearExt4.FromBase(value));
    public static implicit operator ExtensionValue(BabyBearExt4 value) => new(value);
    public static implicit operator ExtensionValue(BabyBear value) => new(BabyBearExt4.FromBase(value));
    public static ExtensionValue operator +(ExtensionValue a, ExtensionValue b) => new(a.Value + b.Value);
    public static ExtensionValue operator -(ExtensionValue a, ExtensionValue b) => new(a.Value - b.Value);
    public static ExtensionValue operator -(ExtensionValue a) => new(-a.Value);
    public static ExtensionValue operator *(ExtensionValue a, ExtensionValue b) => new(a.Value * b.Value);
    public bool IsZero => Value.IsZero;
    public override string ToString() => Value.ToString();
}
