using System.Numerics;

namespace ZkVm.Field;

/// <summary>
/// <see cref="Width"/> BabyBear elements processed by one instruction stream (SIMD lanes). Hot loops are
/// written once over a struct type parameter of this interface; <see cref="BabyBear"/> itself is the
/// width-1 scalar fallback and the reference every packed type is tested against.
/// </summary>
public interface IPackedField<TSelf> :
    IAdditionOperators<TSelf, TSelf, TSelf>,
    ISubtractionOperators<TSelf, TSelf, TSelf>,
    IMultiplyOperators<TSelf, TSelf, TSelf>
    where TSelf : unmanaged, IPackedField<TSelf>
{
    static abstract int Width { get; }
    static abstract TSelf Broadcast(BabyBear value);
    /// <summary>Reads <see cref="Width"/> consecutive elements starting at <paramref name="source"/>.</summary>
    static abstract TSelf Load(ref readonly BabyBear source);
    static abstract void Store(ref BabyBear destination, TSelf value);
    /// <summary>Stores only the last <paramref name="count"/> lanes, to the last <paramref name="count"/> of the <see cref="Width"/> elements at <paramref name="destination"/>; the others keep their values.</summary>
    static abstract void StoreLast(ref BabyBear destination, TSelf value, int count);
    static abstract TSelf Halve(TSelf value);
}
