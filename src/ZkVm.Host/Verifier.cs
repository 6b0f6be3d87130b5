using ZkVm.Machine;
using ZkVm.Machine.Extensions;

namespace ZkVm;

/// <summary>
/// Verifies receipts for one machine (<see cref="Machine"/>) under one <see cref="VerificationPolicy"/>, as many as asked, from
/// any number of threads at once. What a verification needs beside the receipt (the program's circuit, its verification key:
/// the fixed columns' commitments) is built on the first receipt of each ImageId and kept, so later ones verify in
/// milliseconds (docs/PERFORMANCE.md, "Verifier"). Every method is safe to call concurrently.
/// </summary>
public sealed class Verifier(ExtensionSet? machine = null, VerificationPolicy? policy = null)
{
    /// <summary>The machine receipts must have been proven on: plain RV32IM by default.</summary>
    public ExtensionSet Machine { get; } = machine ?? ExtensionSet.Rv32im;

    /// <summary>What is accepted beyond a valid proof: proven bits and exit code 0 by default.</summary>
    public VerificationPolicy Policy { get; } = policy ?? VerificationPolicy.Default;

    /// <summary>Reads and verifies a receipt's bytes (<see cref="Receipt.VerifyBytes(ReadOnlySpan{byte}, ImageId, VerificationPolicy, ExtensionSet?)"/>): the receipt when accepted, else a <see cref="VerificationException"/>.</summary>
    public Receipt Verify(ReadOnlySpan<byte> receipt, ImageId expected) => Receipt.VerifyBytes(receipt, expected, Policy, Machine);

    /// <summary>Verifies a receipt already read (<see cref="Receipt.Verify(ImageId, VerificationPolicy)"/>).</summary>
    public void Verify(Receipt receipt, ImageId expected) => receipt.Verify(expected, Policy);

    /// <summary>Reads and verifies a receipt file; only a file that cannot be read is a plain <see cref="ZkVmException"/> (ZK5208).</summary>
    public Receipt VerifyFile(string path, ImageId expected) => Receipt.VerifyFile(path, expected, Policy, Machine);
}
