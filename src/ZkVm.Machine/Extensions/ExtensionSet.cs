using System.Text;
using ZkVm.Crypto;
using ZkVm.Machine.Chips;
using ZkVm.Machine.Precompiles;

using ZkVm.Machine;
using ZkVm.Machine.Extensions;

namespace ZkVm;

/// <summary>
/// The machine a program runs on: RV32IM and the extensions beyond it, in a canonical order (RV32IM,
/// then by name), so the same set always gives the same tables, verification key and ImageId.
/// </summary>
public sealed class ExtensionSet
{
    /// <summary>Table names the machine's own tables take; no extension chip may reuse them.</summary>
    static readonly string[] MachineTables = ["program", "image", "boundary", "transfer", "bytes"];

    readonly int[] chipOfOpcode = new int[256];

    /// <summary>The first id an extension's own bus may take; ids below are the machine's (<see cref="MachineBuses"/>).</summary>
    public const uint FirstExtensionBus = 64;

    /// <summary>Plain RV32IM.</summary>
    public static ExtensionSet Rv32im { get; } = new([]);

    /// <summary>
    /// RV32IM with <paramref name="extensions"/>. Fails with <see cref="IsaError.BadExtension"/> when names repeat,
    /// lines collide (<see cref="InstructionSet"/>), an opcode has no chip or two, or a chip takes a table name already used.
    /// </summary>
    public ExtensionSet(IEnumerable<IMachineExtension> extensions)
    {
        var added = extensions.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (added.Any(e => e.Name == Rv32imExtension.Instance.Name))
            throw Bad($"'{Rv32imExtension.Instance.Name}' is the base machine, not an extension to add");
        Extensions = [Rv32imExtension.Instance, .. added];
        Isa = added.Count == 0 ? InstructionSet.Rv32im : new InstructionSet(added);
        Chips = [.. Extensions.SelectMany(e => e.Chips)];
        Precompiles = [.. Extensions.SelectMany(e => e.Precompiles)];

        var tables = new HashSet<string>(MachineTables, StringComparer.Ordinal);
        Array.Fill(chipOfOpcode, -1);
        for (int c = 0; c < Chips.Count; c++)
        {
            if (!tables.Add(Chips[c].Name))
                throw Bad($"two tables are named '{Chips[c].Name}'");
            foreach (var op in Chips[c].Opcodes)
            {
                if (chipOfOpcode[(int)op] >= 0)
                    throw Bad($"{OpcodeTable.Get(op).Mnemonic} is proven by both '{Chips[chipOfOpcode[(int)op]].Name}' and '{Chips[c].Name}'");
                chipOfOpcode[(int)op] = c;
            }
        }
        foreach (var table in Precompiles)
            if (!tables.Add(table.Name))
                throw Bad($"two tables are named '{table.Name}'");
        foreach (var call in added.SelectMany(e => e.Syscalls))
            if (Precompiles.Count(p => p.Syscall.Number == call.Number) != 1)
                throw Bad($"syscall '{call.Name}' ({call.Number}) needs exactly one table of the set to prove it");
        foreach (var line in added.SelectMany(e => e.Opcodes))
            if (chipOfOpcode[(int)line.Spec.Opcode] < 0)
                throw Bad($"no chip of the set proves '{line.Spec.Mnemonic}'");
        // An extension may use the machine's buses as they are, and its own from FirstExtensionBus up, never another bus under a machine id.
        foreach (IAir chip in added.SelectMany(e => e.Chips).Concat<IAir>(Precompiles))
            foreach (var bus in AirShape.ForAir(chip).Interactions.Select(i => i.Bus).Distinct())
                if (bus.Id < FirstExtensionBus && !MachineBuses.All.Contains(bus))
                    throw Bad($"table '{chip.Name}' uses bus {bus.Id} ('{bus.Name}'), an id the machine keeps; an extension's own buses take ids from {FirstExtensionBus}");
        Commitment = Commit(added);
    }

    /// <summary>RV32IM first, then the added extensions by name.</summary>
    public IReadOnlyList<IMachineExtension> Extensions { get; }

    /// <summary>The names of the extensions beyond RV32IM, in order; what a receipt records.</summary>
    public IReadOnlyList<string> Names => [.. Extensions.Skip(1).Select(e => e.Name)];

    /// <summary>Decodes a program's ROM and executes its extension instructions.</summary>
    public InstructionSet Isa { get; }

    /// <summary>Every extension's chips, in extension order: the instruction tables of the machine.</summary>
    public IReadOnlyList<IInstructionChip> Chips { get; }

    /// <summary>Every extension's precompile tables, in extension order, one per extension syscall: tables after the instruction chips.</summary>
    public IReadOnlyList<IPrecompileChip> Precompiles { get; }

    /// <summary>The Poseidon2 hash of the added extensions' names (each as its length and UTF-8 bytes), bound into every ImageId.</summary>
    public Digest Commitment { get; }

    /// <summary>The index in <see cref="Chips"/> of the chip that proves <paramref name="op"/>, or −1.</summary>
    public int ChipOf(Opcode op) => chipOfOpcode[(int)op];

    public override string ToString() => string.Join("+", Extensions.Select(e => e.Name));

    static Digest Commit(List<IMachineExtension> added)
    {
        var elements = new List<BabyBear> { BabyBear.FromCanonical((uint)added.Count) };
        foreach (var extension in added)
        {
            byte[] name = Encoding.UTF8.GetBytes(extension.Name);
            elements.Add(BabyBear.FromCanonical((uint)name.Length));
            elements.AddRange(name.Select(b => BabyBear.FromCanonical(b)));
        }
        return Poseidon2Hash.HashRow([.. elements]);
    }

    static ZkVmException Bad(string detail) => new(IsaError.BadExtension, detail);
}
