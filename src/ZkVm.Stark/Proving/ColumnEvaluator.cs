using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkVm.Field;

namespace ZkVm.Stark.Proving;

/// <summary>
/// Runs a <see cref="ConstraintProgram"/> over a block of consecutive rows: every instruction handles the whole
/// block, TP.Width rows per packed operation, so its dispatch is paid once per block. One evaluator per thread:
/// it owns the block's scratch. With TP = <see cref="BabyBear"/> (width 1) this is the scalar reference of the
/// same code. Matrices are row-major; a block's column is gathered once per block and then read from scratch.
/// </summary>
internal sealed class ColumnEvaluator<TP> where TP : unmanaged, IPackedField<TP>
{
    /// <summary>Rows per block: large enough to amortise dispatch, small enough that a chip's live slots stay in cache.</summary>
    public const int MaxBlockRows = 256;

    private readonly ConstraintProgram program;
    private readonly RowMajorMatrix main;
    private readonly RowMajorMatrix? preprocessed, aux;
    private readonly IRowDomain domain;
    private readonly BabyBear[] buffer;
    private readonly PackedExtension<TP>[] alphaPowers;
    private readonly (PackedExtension<TP> Constant, PackedExtension<TP>[] BetaPowers)[] fractions;

    /// <param name="alphaPowers">For a constraint program: constraint k's factor in the combination.</param>
    public ColumnEvaluator(ConstraintProgram program, RowMajorMatrix main, RowMajorMatrix? preprocessed, RowMajorMatrix? aux, IRowDomain domain, int blockRows, BabyBearExt4[]? alphaPowers = null)
    {
        if (blockRows % TP.Width != 0) throw new ArgumentException($"a block of {blockRows} rows is not a whole number of {TP.Width}-wide vectors", nameof(blockRows));
        (this.program, this.main, this.preprocessed, this.aux, this.domain, BlockRows) = (program, main, preprocessed, aux, domain, blockRows);
        buffer = new BabyBear[program.Units * blockRows];
        foreach (var (unit, value, isExtension) in program.Constants)
            for (int j = 0; j < (isExtension ? 4 : 1); j++)
                Unit(unit + j).Fill(value[j]);
        this.alphaPowers = [.. (alphaPowers ?? []).Select(PackedExtension<TP>.Broadcast)];
        fractions = [.. program.Fractions.Select(f => (PackedExtension<TP>.Broadcast(f.Constant), f.BetaPowers.Select(PackedExtension<TP>.Broadcast).ToArray()))];
    }

    public int BlockRows { get; }

    /// <summary>One block of base values of the scratch.</summary>
    public Span<BabyBear> Unit(int unit) => buffer.AsSpan(unit * BlockRows, BlockRows);

    /// <summary>The extension value at vector <paramref name="vector"/> of the four units from <paramref name="unit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PackedExtension<TP> LoadExtension(int unit, int vector) => Ext(ref At(unit), vector * TP.Width);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TP LoadBase(int unit, int vector) => TP.Load(ref Unsafe.Add(ref At(unit), vector * TP.Width));

    /// <summary>Runs the program on rows [first, first + BlockRows).</summary>
    public void Run(int first)
    {
        if (program.ConstraintCount > 0)
            for (int j = 0; j < 4; j++) Unit(program.Accumulator + j).Clear();
        foreach (ref readonly var instruction in program.Code.AsSpan())
            Execute(in instruction, first);
    }

    private ref BabyBear At(int unit) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(buffer), unit * BlockRows);

    private void Execute(in Instruction ins, int first)
    {
        int n = BlockRows;
        ref BabyBear d = ref At(ins.Dst);
        bool next = (ins.Flags & OperandFlags.Next) != 0;
        switch (ins.Op)
        {
            case OpCode.Load:
                Gather(ins.A == 0 ? main : preprocessed!, ins.B, next, first, ref d);
                return;
            case OpCode.LoadAux:
                for (int j = 0; j < 4; j++) Gather(aux!, 4 * ins.A + j, next, first, ref Unsafe.Add(ref d, j * n));
                return;
            case OpCode.Selector:
                BabyBear[] selector = ins.A switch { 0 => domain.First, 1 => domain.Last, _ => domain.Transition };
                selector.AsSpan(first, n).CopyTo(MemoryMarshal.CreateSpan(ref d, n));
                return;
            case OpCode.Accumulate:
                Accumulate(ref d, ref At(ins.A), (ins.Flags & OperandFlags.AExtension) != 0, alphaPowers[ins.B]);
                return;
            case OpCode.Fraction:
                Fraction(ins.B);
                return;
            case OpCode.Copy:
                Unit(ins.A).CopyTo(MemoryMarshal.CreateSpan(ref d, n));
                return;
        }
        ref BabyBear a = ref At(ins.A);
        ref BabyBear b = ref At(ins.B >= 0 ? ins.B : ins.A);
        bool aExt = (ins.Flags & OperandFlags.AExtension) != 0, bExt = (ins.Flags & OperandFlags.BExtension) != 0;
        if (!aExt && !bExt) BaseArithmetic(ins.Op, ref d, ref a, ref b);
        else if (ins.Op == OpCode.Mul) ExtensionProduct(ref d, ref a, aExt, ref b, bExt);
        else ExtensionSum(ins.Op, ref d, ref a, aExt, ref b, bExt);
    }

    /// <summary>Sums, differences and negations with an extension operand: the base parts pair up, a base operand's upper parts are zero.</summary>
    private void ExtensionSum(OpCode op, ref BabyBear d, ref BabyBear a, bool aExt, ref BabyBear b, bool bExt)
    {
        int n = BlockRows;
        TP zero = TP.Broadcast(BabyBear.Zero);
        for (int j = 0; j < 4; j++)
        {
            // A base operand contributes only to part 0.
            bool hasA = aExt || j == 0, hasB = op != OpCode.Neg && (bExt || j == 0);
            ref BabyBear aj = ref Unsafe.Add(ref a, aExt ? j * n : 0), bj = ref Unsafe.Add(ref b, bExt ? j * n : 0), dj = ref Unsafe.Add(ref d, j * n);
            for (int i = 0; i < n; i += TP.Width)
            {
                TP x = hasA ? L(ref aj, i) : zero, y = hasB ? L(ref bj, i) : zero;
                TP.Store(ref Unsafe.Add(ref dj, i), op switch { OpCode.Add => x + y, OpCode.Sub => x - y, _ => zero - x });
            }
        }
    }

    /// <summary>Products with an extension operand: four packed products for a base one, the schoolbook product (x⁴ = W) for two extension ones.</summary>
    private void ExtensionProduct(ref BabyBear d, ref BabyBear a, bool aExt, ref BabyBear b, bool bExt)
    {
        int n = BlockRows;
        if (!aExt || !bExt)
        {
            ref BabyBear e = ref aExt ? ref a : ref b, s = ref aExt ? ref b : ref a;
            for (int i = 0; i < n; i += TP.Width)
            {
                TP f = L(ref s, i);
                TP e0 = L(ref e, i), e1 = L(ref e, n + i), e2 = L(ref e, 2 * n + i), e3 = L(ref e, 3 * n + i);
                TP.Store(ref Unsafe.Add(ref d, i), e0 * f);
                TP.Store(ref Unsafe.Add(ref d, n + i), e1 * f);
                TP.Store(ref Unsafe.Add(ref d, 2 * n + i), e2 * f);
                TP.Store(ref Unsafe.Add(ref d, 3 * n + i), e3 * f);
            }
            return;
        }
        for (int i = 0; i < n; i += TP.Width)
        {
            Multiply(L(ref a, i), L(ref a, n + i), L(ref a, 2 * n + i), L(ref a, 3 * n + i), L(ref b, i), L(ref b, n + i), L(ref b, 2 * n + i), L(ref b, 3 * n + i),
                out TP c0, out TP c1, out TP c2, out TP c3);
            TP.Store(ref Unsafe.Add(ref d, i), c0);
            TP.Store(ref Unsafe.Add(ref d, n + i), c1);
            TP.Store(ref Unsafe.Add(ref d, 2 * n + i), c2);
            TP.Store(ref Unsafe.Add(ref d, 3 * n + i), c3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TP L(ref BabyBear p, int i) => TP.Load(ref Unsafe.Add(ref p, i));

    /// <summary>The schoolbook product of two packed extension values given by their parts; x⁴, x⁵, x⁶ fold back times W = 11.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(TP a0, TP a1, TP a2, TP a3, TP b0, TP b1, TP b2, TP b3, out TP c0, out TP c1, out TP c2, out TP c3)
    {
        TP w = TP.Broadcast(BabyBearExt4.W);
        c0 = a0 * b0 + w * (a1 * b3 + a2 * b2 + a3 * b1);
        c1 = a0 * b1 + a1 * b0 + w * (a2 * b3 + a3 * b2);
        c2 = a0 * b2 + a1 * b1 + a2 * b0 + w * (a3 * b3);
        c3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
    }

    private void BaseArithmetic(OpCode op, ref BabyBear d, ref BabyBear a, ref BabyBear b)
    {
        int n = BlockRows;
        switch (op)
        {
            case OpCode.Add:
                for (int i = 0; i < n; i += TP.Width) TP.Store(ref Unsafe.Add(ref d, i), TP.Load(ref Unsafe.Add(ref a, i)) + TP.Load(ref Unsafe.Add(ref b, i)));
                break;
            case OpCode.Sub:
                for (int i = 0; i < n; i += TP.Width) TP.Store(ref Unsafe.Add(ref d, i), TP.Load(ref Unsafe.Add(ref a, i)) - TP.Load(ref Unsafe.Add(ref b, i)));
                break;
            case OpCode.Mul:
                for (int i = 0; i < n; i += TP.Width) TP.Store(ref Unsafe.Add(ref d, i), TP.Load(ref Unsafe.Add(ref a, i)) * TP.Load(ref Unsafe.Add(ref b, i)));
                break;
            default:
                TP zero = TP.Broadcast(BabyBear.Zero);
                for (int i = 0; i < n; i += TP.Width) TP.Store(ref Unsafe.Add(ref d, i), zero - TP.Load(ref Unsafe.Add(ref a, i)));
                break;
        }
    }

    private void Accumulate(ref BabyBear accumulator, ref BabyBear value, bool isExtension, PackedExtension<TP> factor)
    {
        int n = BlockRows;
        if (isExtension)
        {
            TP f0 = factor.C0, f1 = factor.C1, f2 = factor.C2, f3 = factor.C3;
            for (int i = 0; i < n; i += TP.Width)
            {
                Multiply(f0, f1, f2, f3, L(ref value, i), L(ref value, n + i), L(ref value, 2 * n + i), L(ref value, 3 * n + i), out TP c0, out TP c1, out TP c2, out TP c3);
                TP.Store(ref Unsafe.Add(ref accumulator, i), L(ref accumulator, i) + c0);
                TP.Store(ref Unsafe.Add(ref accumulator, n + i), L(ref accumulator, n + i) + c1);
                TP.Store(ref Unsafe.Add(ref accumulator, 2 * n + i), L(ref accumulator, 2 * n + i) + c2);
                TP.Store(ref Unsafe.Add(ref accumulator, 3 * n + i), L(ref accumulator, 3 * n + i) + c3);
            }
            return;
        }
        for (int j = 0; j < 4; j++)
        {
            TP f = j switch { 0 => factor.C0, 1 => factor.C1, 2 => factor.C2, _ => factor.C3 };
            ref BabyBear acc = ref Unsafe.Add(ref accumulator, j * n);
            for (int i = 0; i < n; i += TP.Width) TP.Store(ref Unsafe.Add(ref acc, i), L(ref acc, i) + f * L(ref value, i));
        }
    }

    /// <summary>d = (α + c(bus)) + Σ βʲ⁺¹·vⱼ into the interaction's denominator units; its multiplicity copied beside.</summary>
    private void Fraction(int k)
    {
        var f = program.Fractions[k];
        var (constant, powers) = fractions[k];
        int n = BlockRows;
        ref BabyBear d = ref At(program.Denominators + 4 * k);
        for (int i = 0; i < n; i += TP.Width)
        {
            TP d0 = constant.C0, d1 = constant.C1, d2 = constant.C2, d3 = constant.C3;
            for (int v = 0; v < f.Values.Length; v++)
            {
                TP x = L(ref At(f.Values[v]), i);
                d0 += powers[v].C0 * x; d1 += powers[v].C1 * x; d2 += powers[v].C2 * x; d3 += powers[v].C3 * x;
            }
            TP.Store(ref Unsafe.Add(ref d, i), d0);
            TP.Store(ref Unsafe.Add(ref d, n + i), d1);
            TP.Store(ref Unsafe.Add(ref d, 2 * n + i), d2);
            TP.Store(ref Unsafe.Add(ref d, 3 * n + i), d3);
        }
        Unit(f.Multiplicity).CopyTo(Unit(program.Multiplicities + k));
    }

    private void Gather(RowMajorMatrix m, int column, bool next, int first, ref BabyBear d)
    {
        ref BabyBear values = ref MemoryMarshal.GetArrayDataReference(m.Values);
        int width = m.Width;
        if (!next)
        {
            ref BabyBear source = ref Unsafe.Add(ref values, first * width + column);
            for (int i = 0; i < BlockRows; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref source, i * width);
            return;
        }
        ref int rows = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(domain.NextRow), first);
        for (int i = 0; i < BlockRows; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref values, Unsafe.Add(ref rows, i) * width + column);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PackedExtension<TP> Ext(ref BabyBear planes, int i) => new(
        TP.Load(ref Unsafe.Add(ref planes, i)), TP.Load(ref Unsafe.Add(ref planes, BlockRows + i)),
        TP.Load(ref Unsafe.Add(ref planes, 2 * BlockRows + i)), TP.Load(ref Unsafe.Add(ref planes, 3 * BlockRows + i)));
}
