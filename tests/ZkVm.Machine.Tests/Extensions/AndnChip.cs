using ZkVm.Air;
using ZkVm.Field;
using ZkVm.Machine.Adapters;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Isa;
using ZkVm.Stark.Air;
using static ZkVm.Machine.Chips.ChipTrace;

namespace ZkVm.Machine.Tests.Extensions;

/// <summary>
/// Zbb's <c>andn rd, rs1, rs2</c> (rd = rs1 &amp; ~rs2; funct7 0100000, funct3 111, major opcode OP) as a machine of
/// its own: the one opcode line and the one core chip a new ALU-like instruction costs (docs/AIR_GENERATOR.md,
/// "A new ALU-like instruction: the files it touches").
/// </summary>
public sealed class AndnExtension : IMachineExtension
{
    public const Opcode Andn = (Opcode)0x90;

    public static uint Compute(uint a, uint b) => a & ~b;

    public string Name => "zbb-andn";

    public IReadOnlyList<ExtensionOpcode> Opcodes { get; } =
        [new(new OpcodeSpec(Andn, "andn", InstructionFormat.R, InstructionFamily.Extension, 0xFE00707F, 0x40007033), Compute)];

    public IReadOnlyList<IInstructionChip> Chips { get; } = [new AndnChip()];
}

/// <summary>
/// andn byte by byte: rs1, rs2 and rd are composed from bytes, and each result byte is looked up as
/// a &amp; (255 − b) in the byte table, which holds only bytes, so every byte is checked and the result fixed.
/// </summary>
[ZkAir("andn")]
public partial struct AndnChip : IRv32Chip<AndnChip>
{
    [Col] public BabyBear IsAndn;
    [Col(Name = "")] public Rv32Adapter Adapter;
    [Col(4)] public BabyBear[] ABytes;
    [Col(4)] public BabyBear[] BBytes;
    [Col(4)] public BabyBear[] ResBytes;

    [Constraints]
    private static void Constraints<TB, TE>(TB b, View<TB, TE> local, View<TB, TE> next)
        where TB : IAirBuilder<TE> where TE : IAirExpression<TE>
    {
        TE one = TE.From(1), zero = TE.From(0), ones = TE.From(0xFF);
        TE real = local.IsAndn;
        b.AssertBool(real);
        Rv32Adapter.Eval(b, local.Adapter, Rv32Operands.All, real, Rv32Adapter.Encode([local.IsAndn], Opcodes), zero, zero, local.Adapter.Pc + TE.From(4),
            real, Gadgets.ByteLimb(local.ABytes[0], local.ABytes[1]), Gadgets.ByteLimb(local.ABytes[2], local.ABytes[3]),
            real, Gadgets.ByteLimb(local.BBytes[0], local.BBytes[1]), Gadgets.ByteLimb(local.BBytes[2], local.BBytes[3]),
            Gadgets.ByteLimb(local.ResBytes[0], local.ResBytes[1]), Gadgets.ByteLimb(local.ResBytes[2], local.ResBytes[3]));
        for (int i = 0; i < 4; i++)
        {
            Gadgets.Bitwise(b, real, TE.From(ByteOp.And), local.ABytes[i], ones - local.BBytes[i], local.ResBytes[i]);
            Gadgets.ZeroWhen(b, one - real, local.ABytes[i], local.BBytes[i], local.ResBytes[i]);
        }
    }

    public static Opcode[] Opcodes { get; } = [AndnExtension.Andn];

    public static void FillCore(Span<BabyBear> cells, in MachineStep s)
    {
        var row = new MainRow<BabyBear>(cells);
        uint a = s.Record.Rs1Value, bv = s.Record.Rs2Value, res = AndnExtension.Compute(a, bv);
        for (int k = 0; k < 4; k++)
        {
            row.ABytes[k] = F((a >> (8 * k)) & 0xFF);
            row.BBytes[k] = F((bv >> (8 * k)) & 0xFF);
            row.ResBytes[k] = F((res >> (8 * k)) & 0xFF);
        }
    }
}
