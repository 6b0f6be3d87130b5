using System.Text.Json;
using System.Text.Json.Nodes;
using ZkVm.Machine;
using ZkVm.Machine.Extensions;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm;

/// <summary>
/// A proof that a program, known by its <see cref="ImageId"/>, ran on some private input for
/// <see cref="Cycles"/> cycles, halted with <see cref="ExitCode"/> and committed <see cref="Journal"/>.
/// It carries the program's parts (entry, code base, ROM words, image words), so it can be verified
/// from an ImageId alone, and it is saved in the strict "ZKRC" format (docs/PROTOCOL.md §9). Immutable: safe to read and
/// verify from any number of threads.
/// </summary>
public sealed class Receipt
{
    /// <summary>A run proven as one shard.</summary>
    internal Receipt(MachineProgram program, MachineClaim claim, SecurityPreset preset, StarkProof proof)
        : this(program, claim, preset, MachineLayout.MaxShardCycles, [new ShardProof(0, proof)])
    {
    }

    /// <summary>A run proven in shards of <paramref name="shardCycles"/>.</summary>
    internal Receipt(MachineProgram program, MachineClaim claim, SecurityPreset preset, ulong shardCycles, IReadOnlyList<ShardProof> shards)
    {
        // The label must follow from the proofs, as ReceiptFormat.Read requires of a receipt's bytes.
        if (shards.Count == 0 || shards.Any(s => SecurityPresets.Named(s.Proof.Parameters) != preset))
            throw new ArgumentException($"the proofs' parameters are not those of {preset}", nameof(preset));
        Program = program;
        Claim = claim;
        Preset = preset;
        ShardCycles = shardCycles;
        Shards = shards;
    }

    /// <summary>The program rebuilt from the receipt's parts (it cannot be run: it has no ELF).</summary>
    internal MachineProgram Program { get; }

    internal MachineClaim Claim { get; }

    /// <summary>The program the receipt claims a run of; <see cref="Verify(ImageId, VerificationPolicy)"/> checks it is the one expected.</summary>
    public ImageId ImageId => Program.ImageId;

    /// <summary>The guest's exit code (a0 at HALT), as the 32-bit value the proof commits to.</summary>
    public uint ExitCode => Claim.ExitCode;

    /// <summary>The instructions the run retired, HALT included.</summary>
    public ulong Cycles => Claim.Cycles;

    /// <summary>The bytes the guest committed, in order.</summary>
    public ReadOnlyMemory<byte> Journal => Claim.Journal;

    /// <summary>The parameter set the run was proven with; a verifier refuses one weaker than its policy's regime.</summary>
    public SecurityPreset Preset { get; }

    /// <summary>The shard size the run was proven with: every shard but the last covers this many cycles.</summary>
    public ulong ShardCycles { get; }

    /// <summary>How many shards the run was proven in: one proof each.</summary>
    public int ShardCount => Shards.Count;

    /// <summary>One proof per shard, in order, each with where its piece of the memory boundary starts.</summary>
    internal IReadOnlyList<ShardProof> Shards { get; }

    /// <summary>The proof of a run proven as one shard (<see cref="InvalidOperationException"/> for a run in several: see <see cref="Shards"/>).</summary>
    internal StarkProof Proof => Shards is [var only] ? only.Proof : throw new InvalidOperationException($"the run was proven in {Shards.Count} shards");

    /// <summary>Where the prover's time went; empty for a receipt that was read rather than proven here.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Time)> ProvingPhases { get; init; } = [];

    /// <summary>Per table, its size and the prover's time on it; empty for a receipt read from bytes.</summary>
    internal IReadOnlyList<TableCost> ProvingTables { get; init; } = [];

    /// <summary>
    /// Accepts by returning: the receipt's program must hash to <paramref name="expected"/>, its proof must
    /// verify for that program and the receipt's claim with 100 bits in the <paramref name="minimum"/> regime,
    /// which the verifier chooses (a receipt cannot lower it by naming a weaker preset), and the guest must have
    /// halted with exit code 0. Otherwise throws <see cref="VerificationException"/> (ZK51xx). Another exit code is
    /// accepted through a <see cref="VerificationPolicy"/>.
    /// </summary>
    public void Verify(ImageId expected, SecurityRegime minimum = SecurityRegime.Proven) =>
        Verify(expected, minimum == SecurityRegime.Proven ? VerificationPolicy.Default : VerificationPolicy.Default with { Minimum = minimum });

    /// <summary>Verifies as <see cref="Verify(ImageId, SecurityRegime)"/>, then applies <paramref name="policy"/>: its regime, exit codes (ZK5106) and journal (ZK5107).</summary>
    public void Verify(ImageId expected, VerificationPolicy policy)
    {
        VerifyProof(expected, policy.Minimum);
        policy.Check(this);
    }

    void VerifyProof(ImageId expected, SecurityRegime minimum)
    {
        if (ImageId != expected)
            throw new VerificationException(HostErrors.WrongImage, $"proof is for image {ImageId}, expected {expected}");
        try
        {
            MachineVerifier.Verify(Program, Claim, ShardCycles, Shards, minimum);
        }
        catch (ZkVmException e) when (e is not VerificationException)
        {
            string code = e.Code switch
            {
                MachineErrors.BadClaim => HostErrors.BadClaim,
                MachineErrors.BadProgram => HostErrors.BadProgram,
                MachineErrors.BadShards => HostErrors.BadClaim,
                _ when e.Code.StartsWith("ZK32", StringComparison.Ordinal) => HostErrors.InsufficientSecurity,
                _ => HostErrors.ProofRejected,
            };
            string what = code switch
            {
                HostErrors.BadClaim => "the receipt's claim is impossible",
                HostErrors.BadProgram => "the receipt's program is malformed",
                HostErrors.InsufficientSecurity => $"the proof's parameters ({Preset}) do not give 100 {minimum.ToString().ToLowerInvariant()} bits",
                _ => "the proof does not verify",
            };
            throw new VerificationException(code, $"{what} ({e.Code}: {e.Detail})", e);
        }
    }

    /// <summary>Verifies against the ImageId of <paramref name="program"/>.</summary>
    public void Verify(ZkProgram program, SecurityRegime minimum = SecurityRegime.Proven) => Verify(program.ImageId, minimum);

    /// <summary>Verifies against the ImageId of <paramref name="program"/> under <paramref name="policy"/>.</summary>
    public void Verify(ZkProgram program, VerificationPolicy policy) => Verify(program.ImageId, policy);

    /// <summary>
    /// Reads and verifies a receipt's bytes, returning it when accepted. Bytes that are not a valid receipt are a
    /// rejection whatever is wrong with them: a <see cref="VerificationException"/> whose code is the reader's
    /// own (ZK52xx, or ZK30xx / ZK1001 inside the STARK proof) when they do not parse, ZK51xx when they parse
    /// but do not verify. Nothing else is thrown for any input.
    /// </summary>
    /// <remarks>A verifier whose guests use machine extensions passes them as <paramref name="machine"/>; a receipt proven
    /// on another set is rejected (ZK5210).</remarks>
    public static Receipt VerifyBytes(ReadOnlySpan<byte> bytes, ImageId expected, SecurityRegime minimum = SecurityRegime.Proven, ExtensionSet? machine = null) =>
        VerifyBytes(bytes, expected, VerificationPolicy.Default with { Minimum = minimum }, machine);

    /// <summary><see cref="VerifyBytes(ReadOnlySpan{byte}, ImageId, SecurityRegime, ExtensionSet?)"/> under <paramref name="policy"/>.</summary>
    public static Receipt VerifyBytes(ReadOnlySpan<byte> bytes, ImageId expected, VerificationPolicy policy, ExtensionSet? machine = null)
    {
        Receipt receipt;
        try
        {
            receipt = Read(bytes, machine);
        }
        catch (ZkVmException e)
        {
            throw new VerificationException(e.Code, e.Detail, e);
        }
        receipt.Verify(expected, policy);
        return receipt;
    }

    /// <summary>
    /// <see cref="VerifyBytes(ReadOnlySpan{byte}, ImageId, SecurityRegime, ExtensionSet?)"/> on a file. Only a file that cannot be read at all (missing, no permission, I/O
    /// error, above 512 MiB) is a plain <see cref="ZkVmException"/> (ZK5208); its contents are judged, never "unreadable".
    /// </summary>
    public static Receipt VerifyFile(string path, ImageId expected, SecurityRegime minimum = SecurityRegime.Proven, ExtensionSet? machine = null) =>
        VerifyBytes(ReadFile(path), expected, minimum, machine);

    /// <summary><see cref="VerifyFile(string, ImageId, SecurityRegime, ExtensionSet?)"/> under <paramref name="policy"/>.</summary>
    public static Receipt VerifyFile(string path, ImageId expected, VerificationPolicy policy, ExtensionSet? machine = null) =>
        VerifyBytes(ReadFile(path), expected, policy, machine);

    /// <summary>The "ZKRC" encoding (<see cref="ReceiptFormat"/>).</summary>
    public byte[] ToBytes() => ReceiptFormat.Write(this);

    /// <summary>Parses a receipt; any defect is a <see cref="ZkVmException"/> naming the byte offset (ZK52xx; ZK30xx or ZK1001 inside the STARK proof).</summary>
    public static Receipt Read(ReadOnlySpan<byte> bytes, ExtensionSet? machine = null) => ReceiptFormat.Read(bytes, machine);

    /// <summary>Writes <see cref="ToBytes"/> to <paramref name="path"/>, replacing the file.</summary>
    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    /// <summary>Reads a receipt file (ZK5208 when it cannot be read or is too large).</summary>
    public static Receipt Load(string path, ExtensionSet? machine = null) => Read(ReadFile(path), machine);

    /// <summary>A receipt file's bytes, or ZK5208 when it is missing, unreadable or too large.</summary>
    static byte[] ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ZkVmException(HostErrors.Unreadable, $"receipt file '{path}' not found");
            if (info.Length > ReceiptFormat.MaxBytes)
                throw new ZkVmException(HostErrors.Unreadable, $"receipt file '{path}' is {info.Length} bytes, above the limit of {ReceiptFormat.MaxBytes}");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZkVmException(HostErrors.Unreadable, $"receipt file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>A one-object JSON summary for tools: image id, exit code, cycles, journal (hex), preset, proof bytes, shard size and shards.</summary>
    public string SummaryJson(bool indented = true)
    {
        var root = new JsonObject
        {
            ["imageId"] = ImageId.ToString(),
            ["exitCode"] = ExitCode,
            ["cycles"] = Cycles,
            ["journal"] = Convert.ToHexStringLower(Claim.Journal),
            ["journalBytes"] = Claim.Journal.Length,
            ["preset"] = ReceiptFormat.PresetName(Preset),
            ["proofBytes"] = ProofBytes,
            ["shardCycles"] = ShardCycles,
            ["shards"] = Shards.Count,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
    }

    /// <summary>The size of the STARK proofs of all shards in their binary format.</summary>
    public int ProofBytes => proofBytes ??= Shards.Sum(s => Stark.Serialization.StarkProofFormat.Write(s.Proof).Length);

    int? proofBytes;
}
