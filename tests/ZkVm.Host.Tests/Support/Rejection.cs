using ZkVm.Machine;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;
using ZkVm.Stark.Serialization;

namespace ZkVm.Host.Tests.Support;

/// <summary>
/// The one judge of "rejected" for these tests: bytes are verified the way users verify them (receipts through
/// <see cref="Receipt.VerifyBytes(ReadOnlySpan{byte}, ImageId, VerificationPolicy, ExtensionSet?)"/>, bare proofs through the strict reader and the STARK verifier) and the
/// verdict is the typed error's code, or null for acceptance. Any other exception fails the test: an untyped
/// escape from untrusted bytes is exactly the bug these tests look for.
/// </summary>
public static class Rejection
{
    /// <summary>Null when the receipt is accepted, else the code of its <see cref="VerificationException"/>.</summary>
    public static string? CodeOf(byte[] receipt, ImageId expected, SecurityRegime regime, string what)
    {
        try
        {
            // The bytes are judged here, not the guest's verdict: the exit-code policy has tests of its own.
            Receipt.VerifyBytes(receipt, expected, VerificationPolicy.AnyExitCode(regime));
            return null;
        }
        catch (VerificationException e)
        {
            Assert.True(IsCode(e.Code), $"{what}: rejected with a malformed code: {e.Message}");
            return e.Code;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of a typed rejection: {e}");
            throw;
        }
    }

    /// <summary>Null when the bare STARK proof is accepted for <paramref name="statement"/>, else its ZkVmException's code.</summary>
    public static string? CodeOfProof(byte[] proof, StarkStatement statement, double minimumBits, string what)
    {
        try
        {
            StarkVerifier.Verify(statement, StarkProofFormat.Read(proof), minimumBits, SecurityRegime.Conjectured);
            return null;
        }
        catch (ZkVmException e)
        {
            Assert.True(IsCode(e.Code), $"{what}: rejected with a malformed code: {e.Message}");
            return e.Code;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of a typed rejection: {e}");
            throw;
        }
    }

    /// <summary>Asserts a typed rejection and returns its code.</summary>
    public static string Expect(byte[] receipt, ImageId expected, SecurityRegime regime, string what) =>
        CodeOf(receipt, expected, regime, what) ?? throw new Xunit.Sdk.XunitException($"{what}: a changed receipt was accepted");

    static bool IsCode(string code) => code.Length == 6 && code.StartsWith("ZK", StringComparison.Ordinal) && code[2..].All(char.IsAsciiDigit);
}
