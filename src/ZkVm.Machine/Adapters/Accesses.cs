namespace ZkVm.Machine.Adapters;

/// <summary>
/// The witness of an access that leaves the cell's value as it was (a read): when the cell was last
/// touched, and ts − prevTs − 1 as a u16 and a byte (<see cref="Gadgets.Access"/>).
/// </summary>
[ZkColumns]
public partial struct ReadAccess
{
    [Col] public BabyBear PrevTs, DiffLo, DiffHi;

    /// <summary>Reads (lo, hi) from cell (space, index) at ts, <paramref name="multiplicity"/> times (0 or 1).</summary>
    [ZkGadget]
    public static void Read<TB, TE>(TB b, View<TB, TE> access, TE multiplicity, TE space, TE index, TE lo, TE hi, TE ts)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        Gadgets.Access(b, multiplicity, space, index, lo, hi, access.PrevTs, lo, hi, ts, access.DiffLo, access.DiffHi);

    /// <summary><see cref="Read"/> whose caller checks DiffHi as a byte, paired with another (<see cref="Gadgets.AccessPairingHi"/>).</summary>
    [ZkGadget]
    public static void ReadPairingHi<TB, TE>(TB b, View<TB, TE> access, TE multiplicity, TE space, TE index, TE lo, TE hi, TE ts)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        Gadgets.AccessPairingHi(b, multiplicity, space, index, lo, hi, access.PrevTs, lo, hi, ts, access.DiffLo, access.DiffHi);

    /// <summary>The columns are 0 where <paramref name="active"/> is 0, so an access a row does not make leaves none free.</summary>
    [ZkGadget]
    public static void ZeroUnless<TB, TE>(TB b, View<TB, TE> access, TE active)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE idle = TE.From(1) - active;
        b.When(idle).AssertZero(access.PrevTs);
        b.When(idle).AssertZero(access.DiffLo);
        b.When(idle).AssertZero(access.DiffHi);
    }


    public static void Fill(Row<BabyBear> row, in AccessRecord access)
    {
        row.PrevTs = F(access.PrevTs);
        row.DiffLo = F(access.DiffLo);
        row.DiffHi = F(access.DiffHi);
    }
}

/// <summary>
/// The witness of an access that gives the cell a new value (a write): its previous value, and what a
/// read's witness holds (when the cell was last touched, the gap's limbs).
/// </summary>
[ZkColumns]
public partial struct WriteAccess
{
    [Col] public BabyBear PrevLo, PrevHi;
    [Col(Name = "")] public ReadAccess Time;

    /// <summary>Writes (lo, hi) to cell (space, index) at ts, <paramref name="multiplicity"/> times (0 or 1); the caller range-checks the value.</summary>
    [ZkGadget]
    public static void Write<TB, TE>(TB b, View<TB, TE> access, TE multiplicity, TE space, TE index, TE lo, TE hi, TE ts)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
        Gadgets.Access(b, multiplicity, space, index, access.PrevLo, access.PrevHi, access.Time.PrevTs, lo, hi, ts, access.Time.DiffLo, access.Time.DiffHi);

    /// <summary>The columns are 0 where <paramref name="active"/> is 0, so an access a row does not make leaves none free.</summary>
    [ZkGadget]
    public static void ZeroUnless<TB, TE>(TB b, View<TB, TE> access, TE active)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE idle = TE.From(1) - active;
        b.When(idle).AssertZero(access.PrevLo);
        b.When(idle).AssertZero(access.PrevHi);
        ReadAccess.ZeroUnless(b, access.Time, active);
    }


    public static void Fill(Row<BabyBear> row, in AccessRecord access)
    {
        (row.PrevLo, row.PrevHi) = Limbs(access.PrevValue);
        ReadAccess.Fill(row.Time, access);
    }
}
