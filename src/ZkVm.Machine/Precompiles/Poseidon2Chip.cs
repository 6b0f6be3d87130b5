using ZkVm.Field;
using ZkVm.Stark.Air;
using C = ZkVm.Crypto.Poseidon2BabyBear16Constants;

namespace ZkVm.Machine.Precompiles;

/// <summary>
/// The Poseidon2 permutation of our commitments (BabyBear, width 16, x⁷, 4 full + 13 partial + 4 full rounds: Plonky3's
/// default instance, docs/PROTOCOL.md §3) as a table of one row per permutation, the first of the precompile chips
/// (issue 17; docs/MACHINE.md, "Precompile tables").
/// </summary>
/// <remarks>
/// Every S-box commits x³ and x⁷ (x³ = x·x·x, x⁷ = x³·x³·x: degree 3), and the linear layers between rounds are linear
/// combinations of committed columns, so they cost no column: 1 + 16 + 8·32 + 13·2 = 299 columns, 282 constraints.
/// A padding row is the permutation of zero, a valid row, so no constraint needs a selector; <see cref="IsReal"/>
/// (boolean) says which rows are permutations a caller asked for. Written by hand: the spec language has no arrays of
/// expressions, which the state between rounds is.
/// </remarks>
public sealed class Poseidon2Chip : IAir
{
    public const int Width = C.Width, FullRounds = 2 * C.HalfFullRounds, PartialRounds = C.PartialRounds;

    /// <summary>Column of the row's real flag, then the 16 inputs.</summary>
    public const int IsReal = 0, Inputs = 1;

    public const int Columns = Inputs + Width + FullRounds * 2 * Width + 2 * PartialRounds;

    /// <summary>Full round r's S-box i (rounds 0–3 before the partial rounds, 4–7 after): its x³ column, and its x⁷ column just after the round's 16 cubes.</summary>
    public static int FullCube(int round, int i) => Inputs + Width + round * 2 * Width + i;

    public static int FullSBox(int round, int i) => FullCube(round, i) + Width;

    /// <summary>Partial round r's S-box: its x³ column, then its x⁷ column.</summary>
    public static int PartialCube(int round) => Inputs + Width + FullRounds * 2 * Width + 2 * round;

    public static int PartialSBox(int round) => PartialCube(round) + 1;

    public static Poseidon2Chip Instance { get; } = new();

    public string Name => "poseidon2";
    public int MainWidth => Columns;

    public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE real = b.Main(IsReal);
        b.AssertZero(real * (real - TE.From(1)), "IsReal is boolean");
        Permute<TB, TE>(b);
    }

    /// <summary>States every round's S-boxes and returns the permutation's output, as linear combinations of this row's columns.</summary>
    public static TE[] Permute<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        var s = new TE[Width];
        for (int i = 0; i < Width; i++) s[i] = b.Main(Inputs + i);
        External(s);
        for (int r = 0; r < C.HalfFullRounds; r++) FullRound(b, s, r, C.ExternalInitial.Slice(r * Width, Width));
        for (int r = 0; r < PartialRounds; r++)
        {
            s[0] = SBox(b, s[0] + K<TE>(C.Internal[r]), PartialCube(r), PartialSBox(r), $"partial round {r}");
            Internal(s);
        }
        for (int r = 0; r < C.HalfFullRounds; r++) FullRound(b, s, C.HalfFullRounds + r, C.ExternalFinal.Slice(r * Width, Width));
        return s;
    }

    static void FullRound<TB, TE>(TB b, TE[] s, int round, ReadOnlySpan<uint> constants) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        for (int i = 0; i < Width; i++) s[i] = SBox(b, s[i] + K<TE>(constants[i]), FullCube(round, i), FullSBox(round, i), $"full round {round}, S-box {i}");
        External(s);
    }

    /// <summary>x ↦ x⁷ through the committed x³ and x⁷.</summary>
    static TE SBox<TB, TE>(TB b, TE x, int cubeColumn, int sboxColumn, string where) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE cube = b.Main(cubeColumn), seventh = b.Main(sboxColumn);
        b.AssertZero(cube - x * x * x, $"{where}: x³");
        b.AssertZero(seventh - cube * cube * x, $"{where}: x⁷");
        return seventh;
    }

    static TE K<TE>(uint value) where TE : IAirExpression<TE> => TE.Constant(BabyBear.FromCanonical(value));

    /// <summary>Each block of four times M4 = [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]], then each element plus the sum of its lane over the blocks.</summary>
    static void External<TE>(TE[] s) where TE : IAirExpression<TE>
    {
        TE two = TE.From(2), three = TE.From(3);
        for (int k = 0; k < Width; k += 4)
        {
            TE x0 = s[k], x1 = s[k + 1], x2 = s[k + 2], x3 = s[k + 3];
            s[k] = two * x0 + three * x1 + x2 + x3;
            s[k + 1] = x0 + two * x1 + three * x2 + x3;
            s[k + 2] = x0 + x1 + two * x2 + three * x3;
            s[k + 3] = three * x0 + x1 + x2 + two * x3;
        }
        for (int lane = 0; lane < 4; lane++)
        {
            TE sum = s[lane] + s[lane + 4] + s[lane + 8] + s[lane + 12];
            for (int k = lane; k < Width; k += 4) s[k] = s[k] + sum;
        }
    }

    /// <summary>Each element times its diagonal entry V[i], plus the sum of all.</summary>
    static void Internal<TE>(TE[] s) where TE : IAirExpression<TE>
    {
        TE sum = s[0];
        for (int i = 1; i < Width; i++) sum = sum + s[i];
        for (int i = 0; i < Width; i++) s[i] = K<TE>(C.InternalDiagonal[i]) * s[i] + sum;
    }

    /// <summary>
    /// The table for <paramref name="inputs"/> (16 elements each), one row each, padded with permutations of zero to a
    /// power of two of at least <paramref name="minHeight"/> rows; <paramref name="outputs"/> gets each permutation's result.
    /// </summary>
    public static TableTrace Trace(IReadOnlyList<BabyBear[]> inputs, out BabyBear[][] outputs, int minHeight = 2)
    {
        int height = (int)Math.Max((uint)minHeight, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(inputs.Count, 1)));
        var m = new RowMajorMatrix(Columns, height);
        outputs = new BabyBear[inputs.Count][];
        var zero = new BabyBear[Width];
        for (int row = 0; row < height; row++)
        {
            var input = row < inputs.Count ? inputs[row] : zero;
            if (input.Length != Width) throw new ArgumentException($"input {row} has {input.Length} elements, not {Width}", nameof(inputs));
            var output = Fill(m.Row(row), input);
            if (row < inputs.Count)
            {
                m[row, IsReal] = BabyBear.One;
                outputs[row] = output;
            }
        }
        return new TableTrace(Instance, m);
    }

    /// <summary>
    /// Writes one row: the rounds of <see cref="Permute"/>, over field values, recording each S-box's x³ and x⁷. The
    /// linear layers are the very methods the constraints use, over <see cref="ExtensionValue"/>s holding base elements.
    /// </summary>
    static BabyBear[] Fill(Span<BabyBear> row, BabyBear[] input)
    {
        input.CopyTo(row.Slice(Inputs, Width));
        var s = new ExtensionValue[Width];
        for (int i = 0; i < Width; i++) s[i] = Lift(input[i]);
        External(s);
        for (int r = 0; r < C.HalfFullRounds; r++) FillFullRound(row, s, r, C.ExternalInitial.Slice(r * Width, Width));
        for (int r = 0; r < PartialRounds; r++)
        {
            s[0] = FillSBox(row, s[0] + K<ExtensionValue>(C.Internal[r]), PartialCube(r), PartialSBox(r));
            Internal(s);
        }
        for (int r = 0; r < C.HalfFullRounds; r++) FillFullRound(row, s, C.HalfFullRounds + r, C.ExternalFinal.Slice(r * Width, Width));
        return [.. s.Select(v => v.Value.C0)];
    }

    static void FillFullRound(Span<BabyBear> row, ExtensionValue[] s, int round, ReadOnlySpan<uint> constants)
    {
        for (int i = 0; i < Width; i++) s[i] = FillSBox(row, s[i] + K<ExtensionValue>(constants[i]), FullCube(round, i), FullSBox(round, i));
        External(s);
    }

    static ExtensionValue FillSBox(Span<BabyBear> row, ExtensionValue x, int cubeColumn, int sboxColumn)
    {
        BabyBear v = x.Value.C0, cube = v * v * v, seventh = cube * cube * v;
        row[cubeColumn] = cube;
        row[sboxColumn] = seventh;
        return Lift(seventh);
    }

    static ExtensionValue Lift(BabyBear v) => new(new BabyBearExt4(v, BabyBear.Zero, BabyBear.Zero, BabyBear.Zero));
}
