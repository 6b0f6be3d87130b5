using ZkVm.Machine.Chips;
using ZkVm.Machine.Extensions;

namespace ZkVm.Machine.Precompiles;

/// <summary>
/// The hash accelerators (docs/GUEST_ABI.md, "Accelerators"; docs/MACHINE.md §7b): SHA-256's compression, Keccak-f[1600] and the
/// Poseidon2 permutation as syscalls, each proven by its own table. Built in, and named "accelerators" wherever an extension is given
/// (<c>--extension accelerators</c>, the SDK's <c>ZkExtension</c> items); a receipt proven with it names it.
/// </summary>
public sealed class AcceleratorsExtension : IMachineExtension
{
    public static AcceleratorsExtension Instance { get; } = new();

    AcceleratorsExtension() { }

    public const string ExtensionName = "accelerators";

    public string Name => ExtensionName;

    public IReadOnlyList<ExtensionOpcode> Opcodes => [];

    public IReadOnlyList<IInstructionChip> Chips => [];

    public IReadOnlyList<IPrecompileChip> Precompiles { get; } = [Sha256CompressChip.Instance, KeccakFChip.Instance, Poseidon2Chip.Instance];
}
