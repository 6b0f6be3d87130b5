namespace ZkVm.Machine.Adapters;

/// <summary>An operand register (rs1 or rs2): its index, fixed by the ROM, and the witness of its read.</summary>
[ZkColumns]
public partial struct RegisterRead
{
    [Col] public BabyBear Index;
    [Col(Name = "")] public ReadAccess Access;

    /// <summary>
    /// Where <paramref name="reads"/> is 1 the register holds (lo, hi) at ts; where it is 0 the access
    /// columns are 0 (the index stays the ROM's). With <paramref name="pairedHi"/> the caller checks the
    /// gap's high byte together with another register's.
    /// </summary>
    [ZkGadget]
    public static void Eval<TB, TE>(TB b, View<TB, TE> register, TE reads, TE lo, TE hi, TE ts, bool pairedHi)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        if (pairedHi) ReadAccess.ReadPairingHi(b, register.Access, reads, TE.From(MachineLayout.RegisterSpace), register.Index, lo, hi, ts);
        else ReadAccess.Read(b, register.Access, reads, TE.From(MachineLayout.RegisterSpace), register.Index, lo, hi, ts);
        ReadAccess.ZeroUnless(b, register.Access, reads);
    }

    /// <summary>The register's index and, if the step made it, its read.</summary>
    public static void Fill(Row<BabyBear> row, uint index, in AccessRecord access)
    {
        row.Index = F(index);
        if (access.Ts != 0) ReadAccess.Fill(row.Access, access);
    }
}

/// <summary>The destination register: its index, fixed by the ROM, and the witness of its write.</summary>
[ZkColumns]
public partial struct RegisterWrite
{
    [Col] public BabyBear Index;
    [Col(Name = "")] public WriteAccess Access;

    /// <summary>
    /// Where <paramref name="writes"/> is 1 the register is given (lo, hi) at ts (the caller range-checks
    /// them); where it is 0 the access columns are 0.
    /// </summary>
    [ZkGadget]
    public static void Eval<TB, TE>(TB b, View<TB, TE> register, TE writes, TE lo, TE hi, TE ts)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        WriteAccess.Write(b, register.Access, writes, TE.From(MachineLayout.RegisterSpace), register.Index, lo, hi, ts);
        WriteAccess.ZeroUnless(b, register.Access, writes);
    }

    /// <summary>The register's index and, if the step made it, its write.</summary>
    public static void Fill(Row<BabyBear> row, uint index, in AccessRecord access)
    {
        row.Index = F(index);
        if (access.Ts != 0) WriteAccess.Fill(row.Access, access);
    }
}
