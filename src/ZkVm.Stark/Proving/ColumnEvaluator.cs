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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreExtension(int unit, int vector, PackedExtension<TP> value) => Store(ref At(unit), vector * TP.Width, value);

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
        }
        ref BabyBear a = ref At(ins.A);
        ref BabyBear b = ref At(ins.B >= 0 ? ins.B : ins.A);
        bool aExt = (ins.Flags & OperandFlags.AExtension) != 0, bExt = (ins.Flags & OperandFlags.BExtension) != 0;
        if (!aExt && !bExt)
        {
            BaseArithmetic(ins.Op, ref d, ref a, ref b);
            return;
        }
        for (int i = 0; i < n; i += TP.Width)
        {
            PackedExtension<TP> x = aExt ? Ext(ref a, i) : new(TP.Load(ref Unsafe.Add(ref a, i)));
            PackedExtension<TP> y = ins.Op == OpCode.Neg ? x : bExt ? Ext(ref b, i) : new(TP.Load(ref Unsafe.Add(ref b, i)));
            PackedExtension<TP> r = ins.Op switch
            {
                OpCode.Add => x + y,
                OpCode.Sub => x - y,
                OpCode.Mul => x * y,
                _ => -x,
            };
            Store(ref d, i, r);
        }
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
        for (int i = 0; i < BlockRows; i += TP.Width)
        {
            PackedExtension<TP> c = isExtension ? Ext(ref value, i) : new(TP.Load(ref Unsafe.Add(ref value, i)));
            Store(ref accumulator, i, Ext(ref accumulator, i) + factor * c);
        }
    }

    /// <summary>d = (α + c(bus)) + Σ βʲ⁺¹·vⱼ into the interaction's denominator units; its multiplicity copied beside.</summary>
    private void Fraction(int k)
    {
        var f = program.Fractions[k];
        var (constant, powers) = fractions[k];
        ref BabyBear d = ref At(program.Denominators + 4 * k);
        for (int i = 0; i < BlockRows; i += TP.Width)
        {
            PackedExtension<TP> sum = constant;
            for (int v = 0; v < f.Values.Length; v++)
                sum += powers[v] * new PackedExtension<TP>(TP.Load(ref Unsafe.Add(ref At(f.Values[v]), i)));
            Store(ref d, i, sum);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(ref BabyBear planes, int i, PackedExtension<TP> value)
    {
        TP.Store(ref Unsafe.Add(ref planes, i), value.C0);
        TP.Store(ref Unsafe.Add(ref planes, BlockRows + i), value.IsBase ? TP.Broadcast(BabyBear.Zero) : value.C1);
        TP.Store(ref Unsafe.Add(ref planes, 2 * BlockRows + i), value.IsBase ? TP.Broadcast(BabyBear.Zero) : value.C2);
        TP.Store(ref Unsafe.Add(ref planes, 3 * BlockRows + i), value.IsBase ? TP.Broadcast(BabyBear.Zero) : value.C3);
    }
}
