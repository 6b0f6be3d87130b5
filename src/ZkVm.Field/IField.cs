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
    /// Montgomery's trick: n inverses for the price of one inversion and 3(n−1) multiplications; long
    /// inputs are split into one independent run per core. Any zero input is an error, as for a single
    /// inversion. <paramref name="inverses"/> must not overlap <paramref name="values"/>.
    /// </summary>
    public static void BatchInverse<T>(ReadOnlySpan<T> values, Span<T> inverses) where T : unmanaged, IField<T>
    {
        if (inverses.Length != values.Length)
            throw new ArgumentException("output length must equal input length", nameof(inverses));
        if (Parts(values.Length) == 1)
        {
            BatchInverseRun(values, inverses, 0);
            return;
        }
        T[] output = new T[values.Length];
        BatchInverseParallel(values.ToArray(), output);
        output.CopyTo(inverses);
    }

    /// <summary>
    /// <see cref="BatchInverse{T}(ReadOnlySpan{T}, Span{T})"/> for arrays: long inputs are inverted in place of the
    /// caller's arrays, without the two copies a span cannot spare a parallel loop (the DEEP inverses of a 2^21 domain
    /// are 64 MB each).
    /// </summary>
    public static void BatchInverse<T>(T[] values, T[] inverses) where T : unmanaged, IField<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(inverses);
        if (inverses.Length != values.Length)
            throw new ArgumentException("output length must equal input length", nameof(inverses));
        if (ReferenceEquals(values, inverses)) throw new ArgumentException("output must not overlap input", nameof(inverses));
        if (Parts(values.Length) == 1) BatchInverseRun<T>(values, inverses, 0);
        else BatchInverseParallel(values, inverses);
    }

    private static int Parts(int length) => length >= 1 << 16 ? Environment.ProcessorCount : 1;

    private static void BatchInverseParallel<T>(T[] input, T[] output) where T : unmanaged, IField<T>
    {
        int parts = Parts(input.Length);
        try
        {
            Parallel.For(0, parts, Kernels.Options, part =>
            {
                int from = (int)((long)input.Length * part / parts), to = (int)((long)input.Length * (part + 1) / parts);
                BatchInverseRun(input.AsSpan(from, to - from), output.AsSpan(from, to - from), from);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers see the same exception as from the single-threaded path.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static void BatchInverseRun<T>(ReadOnlySpan<T> values, Span<T> inverses, int offset) where T : unmanaged, IField<T>
    {
        if (values.IsEmpty) return;
        T acc = T.One;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].IsZero)
                throw new DivideByZeroException($"batch inverse: element {offset + i} is zero");
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
