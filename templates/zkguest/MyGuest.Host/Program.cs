// Proves the guest on an input and checks the proof, as a service that hands out proofs would:
//   dotnet run --project ZKGUEST_PROJECT.Host -- [input file]     (without one, the input is "20")
using ZkVm;

byte[] input = args.Length > 0 ? File.ReadAllBytes(args[0]) : "20"u8.ToArray();
var program = ZkProgram.Load(Path.Combine(AppContext.BaseDirectory, MyGuest.Guest.ElfFileName));
Console.WriteLine($"proving {MyGuest.Guest.ElfFileName} (image id {program.ImageId}) on {input.Length} bytes of private input");
try
{
    var receipt = program.Prove(input, new ProverOptions(), new ConsoleProgress());
    receipt.Save("receipt.zkproof");

    // What a verifier does, knowing only the program's image id: check the proof, then the claim.
    receipt.Verify(ImageId.Parse(MyGuest.Guest.ImageId));
    if (receipt.ExitCode != 0)
    {
        Console.Error.WriteLine($"the proof is valid, but the guest failed with exit code {receipt.ExitCode}");
        return 1;
    }
    ulong fib = BitConverter.ToUInt64(receipt.Journal.Span);
    Console.WriteLine($"verified: exit code 0, {receipt.Cycles} cycles, journal {Convert.ToHexStringLower(receipt.Journal.Span)} (fib = {fib}); receipt.zkproof written");
    return 0;
}
catch (ZkVmException e)
{
    Console.Error.WriteLine($"error {e.Code}: {e.Message}");
    return 1;
}

/// <summary>One line per proving stage on stderr.</summary>
sealed class ConsoleProgress : IProgress<ProofProgress>
{
    public void Report(ProofProgress value) => Console.Error.WriteLine($"  {value.Fraction,4:P0} {value.Stage}");
}
