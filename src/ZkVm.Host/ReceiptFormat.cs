using System.Buffers.Binary;
using ZkVm.Machine;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm;

/// <summary>
/// The receipt format "ZKRC", version 4 (docs/PROTOCOL.md §9): magic, version, preset, ImageId, claim
/// (exit code, cycles, journal), program parts (entry, code base, ROM words, image words, memory map), the
/// names of the machine extensions beyond RV32IM, the shard size and one length-prefixed STARK proof ("ZKSP") per
/// shard with its boundary piece's first key. Every length is bounded before anything is allocated, every
/// field is validated, the ImageId must be the one the parts hash to and nothing may follow the last proof.
/// </summary>
internal static class ReceiptFormat
{
    public const uint Version = 4;

    /// <summary>Bounds on the extension names a receipt lists.</summary>
    public const int MaxExtensions = 16, MaxExtensionNameBytes = 64;

    /// <summary>No receipt file above this size is read.</summary>
    public const long MaxBytes = 512L << 20;

    static ReadOnlySpan<byte> Magic => "ZKRC"u8;

    /// <summary>The bytes every receipt starts with; tools use them to tell a receipt from an ELF or a bare proof.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    public static string PresetName(SecurityPreset preset) => preset switch
    {
        SecurityPreset.Proven100 => "proven100",
        SecurityPreset.Conjectured100 => "conjectured100",
        _ => throw new ArgumentOutOfRangeException(nameof(preset)),
    };

    public static byte[] Write(Receipt receipt)
    {
        var w = new ProofWriter();
        w.WriteBytes(Magic);
        w.WriteU32(Version);
        w.WriteU8((byte)receipt.Preset);
        Span<byte> id = stackalloc byte[ImageId.ByteLength];
        receipt.ImageId.WriteTo(id);
        w.WriteBytes(id);
        w.WriteU32(receipt.ExitCode);
        w.WriteU64(receipt.Cycles);
        w.WriteCount(receipt.Journal.Length);
        w.WriteBytes(receipt.Journal.Span);
        var program = receipt.Program;
        w.WriteU32(program.Entry);
        w.WriteU32(program.CodeBase);
        w.WriteCount(program.Words.Length);
        foreach (uint word in program.Words) w.WriteU32(word);
        w.WriteCount(program.Image.Count);
        foreach (var cell in program.Image)
        {
            w.WriteU32(cell.Space);
            w.WriteU32(cell.Index);
            w.WriteU32(cell.Value);
        }
        w.WriteCount(program.Map.Regions.Count);
        foreach (var region in program.Map.Regions)
        {
            w.WriteU32(region.Start);
            w.WriteU8((byte)region.Access);
        }
        var extensions = program.Extensions.Names;
        w.WriteCount(extensions.Count);
        foreach (string name in extensions)
        {
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(name);
            w.WriteCount(utf8.Length);
            w.WriteBytes(utf8);
        }
        w.WriteU64(receipt.ShardCycles);
        w.WriteCount(receipt.Shards.Count);
        foreach (var shard in receipt.Shards)
        {
            w.WriteU32(shard.FirstKey);
            byte[] proof = StarkProofFormat.Write(shard.Proof);
            w.WriteCount(proof.Length);
            w.WriteBytes(proof);
        }
        return w.ToArray();
    }

    /// <summary>
    /// Parses a receipt for a verifier whose machine is <paramref name="machine"/> (default: plain RV32IM). A receipt
    /// proven with other extensions is refused with <see cref="HostErrors.ExtensionMismatch"/>: its program would
    /// decode and prove differently.
    /// </summary>
    public static Receipt Read(ReadOnlySpan<byte> bytes, ExtensionSet? machine = null)
    {
        machine ??= ExtensionSet.Rv32im;
        var r = new Reader(bytes);
        r.ExpectMagic();
        int at = r.Position;
        uint version = r.U32("receipt version");
        if (version != Version)
            throw new ZkVmException(HostErrors.UnsupportedVersion, $"receipt version {version} at byte offset {at} is not supported (this reader reads version {Version})");

        at = r.Position;
        byte presetByte = r.U8("preset");
        if (presetByte > (byte)SecurityPreset.Conjectured100)
            throw Invalid($"preset at byte offset {at} is {presetByte}, allowed 0 (proven100) or 1 (conjectured100)");
        var preset = (SecurityPreset)presetByte;

        at = r.Position;
        ImageId stated;
        try
        {
            stated = ImageId.Read(r.Bytes(ImageId.ByteLength, "ImageId"), $"ImageId at byte offset {at}");
        }
        catch (ZkVmException e) when (e.Code == MachineErrors.BadImageId)
        {
            throw Invalid(e.Detail);
        }

        uint exitCode = r.U32("exit code");
        at = r.Position;
        ulong cycles = r.U64("cycles");
        if (cycles is 0 or > MachineLayout.MaxCycles)
            throw Invalid($"cycles at byte offset {at} is {cycles}, allowed 1…{MachineLayout.MaxCycles}");
        byte[] journal = r.Bytes(r.Count("journal bytes", MachineVerifier.MaxJournalBytes, 1), "journal").ToArray();

        uint entry = r.U32("entry");
        at = r.Position;
        uint codeBase = r.U32("code base");
        if (codeBase % 4 != 0)
            throw Invalid($"code base at byte offset {at} is 0x{codeBase:x8}, not 4-byte aligned");
        at = r.Position;
        var words = new uint[r.Count("ROM words", MachineProgram.MaxRomWords, 4)];
        if (words.Length == 0)
            throw Invalid($"ROM word count at byte offset {at} is 0; a program has at least one instruction");
        if (codeBase + 4UL * (ulong)words.Length > 1UL << 32)
            throw Invalid($"{words.Length} ROM words from code base 0x{codeBase:x8} (byte offset {at}) pass the end of the address space");
        if (entry % 4 != 0 || entry < codeBase || (entry - codeBase) / 4 >= (uint)words.Length)
            throw Invalid($"entry 0x{entry:x8} (byte offset {at - 8}) is not an aligned address inside the ROM");
        for (int i = 0; i < words.Length; i++) words[i] = r.U32("ROM word");

        int romAt = at;
        var image = new ImageWord[r.Count("image words", MachineProgram.MaxImageWords, 12)];
        for (int i = 0; i < image.Length; i++)
        {
            at = r.Position;
            var cell = new ImageWord(r.U32("image word space"), r.U32("image word index"), r.U32("image word value"));
            bool register = cell.Space == MachineLayout.RegisterSpace;
            if (!(register || cell.Space == MachineLayout.MemorySpace) || cell.Index >= (register ? 32u : 1u << 27) || cell.Value == 0
                || (i > 0 && image[i - 1].Key >= cell.Key))
                throw Invalid($"image word {i} at byte offset {at} (space {cell.Space}, index {cell.Index}, value 0x{cell.Value:x8}) is not a nonzero cell in increasing order");
            image[i] = cell;
        }

        // The memory map: canonical form is checked by MachineProgram below, its binding by the ImageId.
        var map = new MemoryRegion[r.Count("memory map regions", MemoryMap.MaxRegions, 5)];
        for (int i = 0; i < map.Length; i++)
            map[i] = new MemoryRegion(r.U32("region start"), (PageAccess)r.U8("region access"));

        at = r.Position;
        var extensions = new string[r.Count("extensions", MaxExtensions, 4)];
        for (int i = 0; i < extensions.Length; i++)
        {
            var name = r.Bytes(r.Count("extension name bytes", MaxExtensionNameBytes, 1), "extension name");
            try
            {
                extensions[i] = new System.Text.UTF8Encoding(false, true).GetString(name);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw Invalid($"extension name {i} (after byte offset {at}) is not UTF-8");
            }
        }
        if (!extensions.SequenceEqual(machine.Names))
            throw new ZkVmException(HostErrors.ExtensionMismatch,
                $"the receipt was proven on {string.Join("+", ["rv32im", .. extensions])} (byte offset {at}), but this verifier's machine is {machine}"
                + (extensions.Except(machine.Names).FirstOrDefault() is string missing ? $": load the '{missing}' extension (--extension)" : ""));

        at = r.Position;
        ulong shardCycles = r.U64("shard size");
        if (shardCycles is < MachineLayout.MinShardCycles or > MachineLayout.MaxShardCycles)
            throw Invalid($"shard size at byte offset {at} is {shardCycles}, allowed {MachineLayout.MinShardCycles}…{MachineLayout.MaxShardCycles}");
        at = r.Position;
        int shardCount = r.Count("shards", Stark.Air.Bus.MaxShards, 8);
        if (shardCount != ShardPosition.CountOf(cycles, shardCycles))
            throw Invalid($"shard count at byte offset {at} is {shardCount}; {cycles} cycles in shards of {shardCycles} make {ShardPosition.CountOf(cycles, shardCycles)}");
        var shards = new (uint FirstKey, int At, byte[] Bytes)[shardCount];
        for (int k = 0; k < shardCount; k++)
        {
            uint firstKey = r.U32("boundary piece first key");
            at = r.Position;
            shards[k] = (firstKey, at, r.Bytes(r.Count("proof bytes", int.MaxValue, 1), "STARK proof").ToArray());
        }
        r.ExpectEnd();

        MachineProgram program;
        try
        {
            program = new MachineProgram(entry, codeBase, words, image, map, machine);
        }
        catch (ZkVmException e)
        {
            throw Invalid($"the program at byte offset {romAt} is not valid: {e.Detail}");
        }
        if (program.ImageId != stated)
            throw new ZkVmException(HostErrors.ImageIdMismatch, $"the receipt states ImageId {stated} (byte offset 9), but its program parts hash to {program.ImageId}");

        var proofs = new ShardProof[shardCount];
        for (int k = 0; k < shardCount; k++)
        {
            Stark.Proving.StarkProof proof;
            try
            {
                proof = StarkProofFormat.Read(shards[k].Bytes);
            }
            catch (ZkVmException e)
            {
                throw new ZkVmException(e.Code, $"in the STARK proof of shard {k} at byte offset {shards[k].At + 4}: {e.Detail}", e);
            }
            // The label is only believed when the proof carries exactly that preset's parameters (a run in shards may raise
            // its queries), so editing byte 8 can neither dress a conjectured proof up as proven nor hide a proven one's strength.
            SecurityPreset? carried = SecurityPresets.Named(proof.Parameters);
            if (carried != preset)
                throw new ZkVmException(HostErrors.PresetMismatch,
                    $"the preset at byte offset 8 is {PresetName(preset)}, but shard {k}'s STARK proof's parameters ({Describe(proof.Parameters)}) are "
                    + (carried is SecurityPreset named ? PresetName(named) + "'s" : "those of no preset"));
            proofs[k] = new ShardProof(shards[k].FirstKey, proof);
        }
        return new Receipt(program, new MachineClaim(exitCode, cycles, journal), preset, shardCycles, proofs);
    }

    static string Describe(SecurityParameters p) =>
        $"log blowup {p.LogBlowup}, {p.NumQueries} queries, {p.QueryPowBits} PoW bits, LogUp {p.LogUpPowBits} PoW bits";

    static ZkVmException Invalid(string message) => new(HostErrors.InvalidValue, message);

    /// <summary>A strict little-endian reader whose errors are ZK52xx with the byte offset.</summary>
    ref struct Reader(ReadOnlySpan<byte> data)
    {
        readonly ReadOnlySpan<byte> data = data;
        int position;

        public readonly int Position => position;
        readonly int Remaining => data.Length - position;

        public ReadOnlySpan<byte> Bytes(int length, string what)
        {
            if (length > Remaining)
                throw new ZkVmException(HostErrors.Truncated, $"{what} at byte offset {position} needs {length} bytes, {Remaining} remain");
            var slice = data.Slice(position, length);
            position += length;
            return slice;
        }

        public byte U8(string what) => Bytes(1, what)[0];

        public uint U32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, what));

        public ulong U64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, what));

        /// <summary>A count in [0, max] whose elements fit in what remains, checked before anything is allocated.</summary>
        public int Count(string what, int max, int elementBytes)
        {
            int start = position;
            uint count = U32($"count of {what}");
            if (count > (uint)max)
                throw new ZkVmException(HostErrors.CountOutOfRange, $"{what}: count {count} at byte offset {start} exceeds the limit {max}");
            if ((long)count * elementBytes > Remaining)
                throw new ZkVmException(HostErrors.Truncated, $"{what}: {count} at byte offset {start} need {(long)count * elementBytes} bytes, {Remaining} remain");
            return (int)count;
        }

        public void ExpectMagic()
        {
            if (Remaining < 4 || !data[..4].SequenceEqual(Magic))
                throw new ZkVmException(HostErrors.BadMagic, "not a receipt: the bytes at offset 0 are not \"ZKRC\"");
            position = 4;
        }

        public readonly void ExpectEnd()
        {
            if (Remaining != 0)
                throw new ZkVmException(HostErrors.TrailingBytes, $"{Remaining} unexpected bytes after the receipt at byte offset {position}");
        }
    }
}
