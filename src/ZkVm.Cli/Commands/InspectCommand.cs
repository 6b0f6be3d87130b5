using System.CommandLine;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cli.Commands;

/// <summary>
/// <c>zkvm inspect &lt;elf&gt; [--blocks]</c>: what the loader made of an ELF; <c>zkvm inspect &lt;proof&gt;</c>:
/// a STARK proof's parameters, tables, size and security bit table; <c>zkvm inspect &lt;receipt&gt; [--extension &lt;dll&gt;]</c>:
/// a receipt's claim and its shards (each one's cycles, boundary piece, proof size, parameters and tallest table).
/// </summary>
static class InspectCommand
{
    public static Command Create()
    {
        var elf = new Argument<string>("file") { Description = "a guest ELF, a receipt or a STARK proof" };
        var blocks = new Option<bool>("--blocks") { Description = "list every basic block" };
        var extensions = ExtensionOption.Create();
        var command = new Command("inspect", "Show a guest's Harvard layout (code, data, symbols, basic blocks), a receipt's claim and shards, or a proof's parameters and bit table") { elf, blocks, extensions };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(elf)!;
            string? magic = Magic(path);
            if (magic == "ZKSP") return InspectProof(path);
            if (magic == "ZKRC") return InspectReceipt(path, ExtensionOption.Machine(parsed, extensions));
            var program = HarvardProgram.Load(path);
            Console.WriteLine($"entry:        0x{program.Entry:x8}");
            foreach (var (start, end) in program.CodeSegments)
                Console.WriteLine($"code (ROM):   0x{start:x8}..0x{end:x8}  {(end - start) / 4} instructions");
            foreach (var data in program.Data)
                Console.WriteLine($"data ({(data.Writable ? "rw" : "r-")}):    0x{data.Address:x8}..0x{data.Address + data.Size:x8}  {data.Bytes.Length} bytes initialised, {data.Size - data.Bytes.Length} zeroed");
            Console.WriteLine($"symbols:      {program.Symbols.Count} ({program.Symbols.Count(s => s.IsFunction)} functions)");
            Console.WriteLine($"basic blocks: {program.Blocks.Count}");
            if (parsed.GetValue(blocks))
                foreach (var block in program.Blocks)
                    Console.WriteLine($"  0x{block.Start:x8}..0x{block.End:x8}  {block.InstructionCount,5}  {program.SymbolAt(block.Start)}");
            return Cli.Ok;
        });
        return command;
    }

    /// <summary>The file's first four bytes as text, or null when it is shorter or unreadable.</summary>
    private static string? Magic(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 ? System.Text.Encoding.ASCII.GetString(magic) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the ELF loader reports unreadable files with its own typed error
        }
    }

    /// <summary>The receipt's claim, then one line per shard; it is read (every field checked), not verified.</summary>
    private static int InspectReceipt(string path, ExtensionSet machine)
    {
        var receipt = Receipt.Load(path, machine);
        Console.WriteLine($"receipt, format version {ReceiptFormat.Version}, {new FileInfo(path).Length} bytes (read, not verified: zkvm verify checks it)");
        Console.WriteLine($"image id:     {receipt.ImageId}");
        Console.WriteLine($"preset:       {ReceiptFormat.PresetName(receipt.Preset)}");
        Console.WriteLine($"exit code:    {receipt.ExitCode}");
        Console.WriteLine($"cycles:       {receipt.Cycles}");
        Console.WriteLine($"journal:      {receipt.Journal.Length} bytes");
        Console.WriteLine($"shards:       {receipt.Shards.Count} of at most {receipt.ShardCycles} cycles, {receipt.ProofBytes} proof bytes in all");
        for (int k = 0; k < receipt.Shards.Count; k++)
        {
            var shard = receipt.Shards[k];
            var position = ZkVm.Machine.Witness.ShardPosition.Of(k, receipt.Cycles, receipt.ShardCycles);
            uint end = k + 1 < receipt.Shards.Count ? receipt.Shards[k + 1].FirstKey : ZkVm.Machine.MachineLayout.KeyEnd;
            var p = shard.Proof.Parameters;
            Console.WriteLine($"  shard {k}: cycles {position.FirstCycle}..{position.FirstCycle + position.Cycles - 1}, boundary keys 0x{shard.FirstKey:x8}..0x{end:x8}, "
                + $"{StarkProofFormat.Write(shard.Proof).Length} bytes, {shard.Proof.LogHeights.Length} tables (tallest 2^{shard.Proof.LogHeights.Max()}, {InClear(shard.Proof)}), "
                + $"{p.NumQueries} queries, LogUp PoW {p.LogUpPowBits}, challenge PoW {p.ChallengePowBits}");
        }
        return Cli.Ok;
    }

    /// <summary>Which tables the proof sends in clear (docs/PROTOCOL.md §8.6), by index, and their bytes.</summary>
    private static string InClear(StarkProof proof) => proof.Clear.Count == 0 ? "none in clear"
        : $"{proof.Clear.Count} in clear: {string.Join(" ", proof.Clear.Select(c => c.Table))}, {proof.Clear.Sum(c => c.EncodedBytes())} bytes";

    private static int InspectProof(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var proof = StarkProofFormat.Read(bytes);
        var p = proof.Parameters;
        Console.WriteLine($"STARK proof, format version {StarkProofFormat.Version}, {bytes.Length} bytes");
        Console.WriteLine($"parameters:   log blowup {p.LogBlowup}, {p.NumQueries} queries, {p.QueryPowBits} PoW bits, {p.ChallengePowBits} challenge PoW bits, {p.LogUpPowBits} LogUp PoW bits, final polynomial 2^{p.LogFinalPolyLength}, {p.Batching} batching");
        Console.WriteLine($"tables:       {proof.LogHeights.Length} (heights {string.Join(", ", proof.LogHeights.Select(h => $"2^{h}"))}), {InClear(proof)}");
        Console.WriteLine($"bytes:        {string.Join(", ", proof.PartSizes().Where(x => x.Bytes > 0).Select(x => $"{x.Part} {x.Bytes}"))}");
        Console.WriteLine($"statement:    {proof.Shape.NumConstraints} constraints, batch of {proof.Shape.BatchSize} polynomials, {proof.Shape.NumLogUpFractions} LogUp fractions per row of arity <= {proof.Shape.MaxTupleArity}");
        Console.WriteLine("security (the verifier checks this statement summary against its own):");
        Console.WriteLine(SecurityCalculator.Compute(p, proof.Shape).ToTable());
        return Cli.Ok;
    }
}
