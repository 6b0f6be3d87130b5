using System.Numerics;

namespace ZkVm.Field;

/// <summary>
/// A finite field element type. Generic code is written against this interface with a struct type
/// parameter so the JIT specialises it per field (no boxing, no virtual calls).
/// </summary>
public interface IField<TSelf> :
    IEquatable<TSelf>,
    IEqualityOperators<TSelf, TSelf, bool>,
    IAdditionOperators<TSelf, TSelf, TSelf>,
    ISubtractionOperators<TSelf, TSelf, TSelf>,
    IMultiplyOperators<TSelf, TSelf, TSelf>,
    IUnaryNegationOperators<TSelf, TSelf>
    where TSelf : unmanaged, IField<TSelf>
{
    static abstract TSelf Zero { get; }
    static abstract TSelf One { get; }

    /// <summary>Degree over the base field BabyBear (1 for BabyBear itself).</summary>
    static abstract int ExtensionDegree { get; }

    bool IsZero { get; }

    TSelf Square();

    /// <summary>The multiplicative inverse; throws <see cref="DivideByZeroException"/> for zero.</summary>
    TSelf Inverse();
}

/// <summary>Algorithms every field shares, written once over <see cref="IField{TSelf}"/>.</summary>
public static class FieldMath
{
    public static T Pow<T>(T x, ulong exponent) where T : unmanaged, IField<T>
    {
        T result = T.One;
        while (exponent != 0)
        {
            if ((exponent & 1) != 0) result *= x;
            x = x.Square();
            exponent >>= 1;
        }
        return result;
    }

    /// <summary>
    /// Montgomery's trick: n inverses for the price of one inversion and 3(n−1) multiplications.
    /// Any zero input is an error, as for a single inversion.
    /// </summary>
    public static void BatchInverse<T>(ReadOnlySpan<T> values, Span<T> inverses) where T : unmanaged, IField<T>
    {
        if (inverses.Length != values.Length)
            throw new ArgumentException("output length must equal input length", nameof(inverses));
        if (values.IsEmpty) return;
        T acc = T.One;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].IsZero)
                throw new DivideByZeroException($"batch inverse: element {i} is zero");
            inverses[i] = acc;
            acc *= values[i];
        }
        T inv = acc.Inverse();
        for (int i = values.Length - 1; i >= 0; i--)
        {
            T prefix = inverses[i];
            inverses[i] = inv * prefix;
            inv *= values[i];
        }
    }

    /// <summary>[1, x, x², …] of the given length.</summary>
    public static void Powers<T>(T x, Span<T> output) where T : unmanaged, IField<T>
    {
        T acc = T.One;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = acc;
            acc *= x;
        }
    }
}
