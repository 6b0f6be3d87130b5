using ZkVm.Field;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
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
/// <para>
/// As the syscall <see cref="Call"/> (a0 = 16 words, each a canonical BabyBear element), a row receives (number, ts, a0, a1)
/// from its ECALL and rewrites word i at ts + 3 from the input's limbs to the output's. Both sides are proven canonical
/// (below p, <see cref="Canonical"/>), so one field element has one word in memory; the output's limbs are range-checked.
/// </para>
/// </remarks>
public sealed class Poseidon2Chip : IPrecompileChip
{
    /// <summary>The syscall's number in a7 (docs/GUEST_ABI.md, "Accelerators").</summary>
    public const uint Number = 0x102;

    public const int Width = C.Width, FullRounds = 2 * C.HalfFullRounds, PartialRounds = C.PartialRounds;

    /// <summary>Column of the row's real flag, then the 16 inputs.</summary>
    public const int IsReal = 0, Inputs = 1;

    public const int Rounds = Inputs + Width + FullRounds * 2 * Width + 2 * PartialRounds;

    /// <summary>The call: the ECALL's ts, the state's word index a0/4, a1's limbs (unused, but part of the call).</summary>
    public const int Ts = Rounds, StateWord = Ts + 1, A1Lo = StateWord + 1, A1Hi = A1Lo + 1;

    /// <summary>Word i's access: input limbs, their canonicity witness, output limbs and theirs, when the word was last touched, the gap.</summary>
    public const int Words = A1Hi + 1, WordWidth = 9;
    public const int InLo = 0, InHi = 1, InTop = 2, OutLo = 3, OutHi = 4, OutTop = 5, PrevTs = 6, DiffLo = 7, DiffHi = 8;

    public const int Columns = Words + Width * WordWidth;

    /// <summary>The Poseidon2 permutation as an ECALL: a0 = 16 words, each below p, replaced by the permutation's output.</summary>
    public static ExtensionSyscall Call { get; } = new(Number, "poseidon2_permute", Width, 0, (state, _) =>
    {
        Span<BabyBear> s = stackalloc BabyBear[Width];
        for (int i = 0; i < Width; i++)
        {
            if (state[i] >= BabyBear.P) return $"word {i} (0x{state[i]:x8}) is not a BabyBear element (below 0x{BabyBear.P:x8})";
            s[i] = BabyBear.FromCanonical(state[i]);
        }
        ZkVm.Crypto.Poseidon2.Permute(s);
        for (int i = 0; i < Width; i++) state[i] = s[i].ToCanonical();
        return null;
    });

    public ExtensionSyscall Syscall => Call;

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
        var output = Permute<TB, TE>(b);

        TE one = TE.From(1), limb = TE.From(1 << 16), idle = one - real, ts = b.Main(Ts), stateWord = b.Main(StateWord);
        foreach (int column in new[] { Ts, StateWord, A1Lo, A1Hi })
            b.AssertZero(idle * b.Main(column), "a padding row has no call");
        b.Receive(MachineBuses.Precompile, real, TE.From(Number), ts, TE.From(4) * stateWord, b.Main(A1Lo), b.Main(A1Hi));
        for (int i = 0; i < Width; i++)
        {
            int at = Words + WordWidth * i;
            TE inLo = b.Main(at + InLo), inHi = b.Main(at + InHi), outLo = b.Main(at + OutLo), outHi = b.Main(at + OutHi);
            b.AssertZero(b.Main(Inputs + i) - inLo - limb * inHi, $"input {i} is its word");
            b.AssertZero(output[i] - outLo - limb * outHi, $"output {i} is its word");
            // The input's limbs are memory's (u16 by every writer's checks); the output's are checked here.
            Gadgets.RangeU16(b, real, outLo);
            Gadgets.RangeU16(b, real, outHi);
            Canonical(b, real, inLo, inHi, b.Main(at + InTop), $"input {i}");
            Canonical(b, real, outLo, outHi, b.Main(at + OutTop), $"output {i}");
            Gadgets.Access(b, real, TE.From(MachineLayout.MemorySpace), stateWord + TE.From((uint)i), inLo, inHi, b.Main(at + PrevTs), outLo, outHi,
                ts + TE.From(MachineLayout.SlotPrecompileState), b.Main(at + DiffLo), b.Main(at + DiffHi));
            foreach (int column in new[] { PrevTs, DiffLo, DiffHi })
                b.AssertZero(idle * b.Main(at + column), "a padding row makes no access");
        }
    }

    /// <summary>
    /// lo + 2^16·hi &lt; p = 0x7800·2^16 + 1 for u16 limbs: hi ≤ 0x7800 (0x7800 − hi is a u16), and hi = 0x7800 only with lo = 0.
    /// <paramref name="top"/> is the inverse of 0x7800 − hi, or 0 where that is 0, so 1 − (0x7800 − hi)·top says "hi = 0x7800".
    /// </summary>
    static void Canonical<TB, TE>(TB b, TE real, TE lo, TE hi, TE top, string what) where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE below = TE.From(0x7800) - hi, atTop = TE.From(1) - below * top;
        Gadgets.RangeU16(b, real, below);
        b.AssertZero(below * atTop, $"{what}: the top flag says hi = 0x7800");
        b.AssertZero(top * atTop, $"{what}: the top witness is 0 where hi = 0x7800");
        b.AssertZero(lo * atTop, $"{what}: hi = 0x7800 only with lo = 0");
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
    /// The table for <paramref name="inputs"/> (16 elements each), one row each as a call of its own
    /// (<see cref="PrecompileCall.Standalone"/>), padded with permutations of zero to a power of two; <paramref name="outputs"/>
    /// gets each permutation's result.
    /// </summary>
    public static TableTrace Trace(IReadOnlyList<BabyBear[]> inputs, out BabyBear[][] outputs)
    {
        outputs = new BabyBear[inputs.Count][];
        var calls = new PrecompileCall[inputs.Count];
        for (int c = 0; c < inputs.Count; c++)
        {
            if (inputs[c].Length != Width) throw new ArgumentException($"input {c} has {inputs[c].Length} elements, not {Width}", nameof(inputs));
            outputs[c] = [.. inputs[c]];
            ZkVm.Crypto.Poseidon2.Permute(outputs[c]);
            calls[c] = PrecompileCall.Standalone(Number, c, [.. inputs[c].Select(v => v.ToCanonical())], [], [.. outputs[c].Select(v => v.ToCanonical())]);
        }
        return new TableTrace(Instance, Instance.Fill(calls));
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
        BabyBear[] output = [.. s.Select(v => v.Value.C0)];
        for (int i = 0; i < Width; i++)
        {
            var word = row.Slice(Words + WordWidth * i, WordWidth);
            SplitCanonical(word, InLo, input[i].ToCanonical());
            SplitCanonical(word, OutLo, output[i].ToCanonical());
        }
        return output;
    }

    /// <summary>A canonical value's limbs and top witness, at <paramref name="at"/> (lo, hi, top) of a word's columns.</summary>
    static void SplitCanonical(Span<BabyBear> word, int at, uint value)
    {
        word[at] = BabyBear.FromCanonical(value & 0xFFFF);
        word[at + 1] = BabyBear.FromCanonical(value >> 16);
        uint below = 0x7800 - (value >> 16);
        word[at + 2] = below == 0 ? BabyBear.Zero : BabyBear.FromCanonical(below).Inverse();
    }

    public RowMajorMatrix Fill(IReadOnlyList<PrecompileCall> calls)
    {
        int height = (int)Math.Max(2u, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(calls.Count, 1)));
        var m = new RowMajorMatrix(Columns, height);
        var zero = new BabyBear[Width];
        ChipTrace.ForEachRow(height, r =>
        {
            var row = m.Row(r);
            if (r >= calls.Count)
            {
                Fill(row, zero);
                return;
            }
            var call = calls[r];
            var output = Fill(row, [.. call.StateIn.Select(BabyBear.FromCanonical)]);
            for (int i = 0; i < Width; i++)
                if (output[i].ToCanonical() != call.State[i].Value)
                    throw new ZkVmException(MachineErrors.WitnessMismatch, $"poseidon2_permute at ts {call.Ts} wrote other words than the permutation gives");
            row[IsReal] = BabyBear.One;
            row[Ts] = BabyBear.FromCanonical(call.Ts);
            row[StateWord] = BabyBear.FromCanonical(call.StateAddress >> 2);
            row[A1Lo] = BabyBear.FromCanonical(call.InputAddress & 0xFFFF);
            row[A1Hi] = BabyBear.FromCanonical(call.InputAddress >> 16);
            for (int i = 0; i < Width; i++)
            {
                var word = row.Slice(Words + WordWidth * i, WordWidth);
                var access = call.State[i];
                word[PrevTs] = BabyBear.FromCanonical(access.PrevTs);
                word[DiffLo] = BabyBear.FromCanonical(access.DiffLo);
                word[DiffHi] = BabyBear.FromCanonical(access.DiffHi);
            }
        });
        return m;
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
