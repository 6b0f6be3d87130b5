using System.CommandLine;
using ZkVm.Riscv.Image;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Cli.Commands;

/// <summary>
/// <c>zkvm inspect &lt;elf&gt; [--blocks]</c>: what the loader made of an ELF; <c>zkvm inspect &lt;proof&gt;</c>:
/// a STARK proof's parameters, tables, size and security bit table.
/// </summary>
static class InspectCommand
{
    public static Command Create()
    {
        var elf = new Argument<string>("file") { Description = "a guest ELF or a STARK proof" };
        var blocks = new Option<bool>("--blocks") { Description = "list every basic block" };
        var command = new Command("inspect", "Show a guest's Harvard layout (code, data, symbols, basic blocks) or a proof's parameters and bit table") { elf, blocks };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(elf)!;
            if (IsProof(path)) return InspectProof(path);
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

    private static bool IsProof(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("ZKSP"u8);
        }
        catch (IOException)
        {
            return false; // the ELF loader reports unreadable files with its own typed error
        }
    }

    private static int InspectProof(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var proof = StarkProofFormat.Read(bytes);
        var p = proof.Parameters;
        Console.WriteLine($"STARK proof, format version {StarkProofFormat.Version}, {bytes.Length} bytes");
        Console.WriteLine($"parameters:   log blowup {p.LogBlowup}, {p.NumQueries} queries, {p.QueryPowBits} PoW bits, {p.ChallengePowBits} challenge PoW bits, {p.LogUpPowBits} LogUp PoW bits, final polynomial 2^{p.LogFinalPolyLength}, {p.Batching} batching");
        Console.WriteLine($"tables:       {proof.LogHeights.Length} (heights {string.Join(", ", proof.LogHeights.Select(h => $"2^{h}"))})");
        Console.WriteLine($"statement:    {proof.Shape.NumConstraints} constraints, batch of {proof.Shape.BatchSize} polynomials, {proof.Shape.NumLogUpFractions} LogUp fractions per row of arity <= {proof.Shape.MaxTupleArity}");
        Console.WriteLine("security (the verifier checks this statement summary against its own):");
        Console.WriteLine(SecurityCalculator.Compute(p, proof.Shape).ToTable());
        return Cli.Ok;
    }
}
