using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ZkVm.Field;
using ZkVm.Machine.Precompiles;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Machine.Tests.Precompiles;

/// <summary>The SHA-256 compression as a table (issue 17): FIPS 180-4's examples, .NET's SHA-256, every column bound, a proof of the table alone.</summary>
public class Sha256CompressChipTests
{
    /// <summary>FIPS 180-4 §5.3.3.</summary>
    static readonly uint[] InitialState = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>The message padded (FIPS 180-4 §5.1.1) and cut into blocks of 16 big-endian words.</summary>
    static List<uint[]> Blocks(byte[] message)
    {
        int length = (message.Length + 9 + 63) / 64 * 64;
        var padded = new byte[length];
        message.CopyTo(padded, 0);
        padded[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(padded.AsSpan(length - 8), (ulong)message.Length * 8);
        return [.. Enumerable.Range(0, length / 64).Select(k => Enumerable.Range(0, 16).Select(i => BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(64 * k + 4 * i))).ToArray())];
    }

    /// <summary>The digest through the table: one compression per block, each starting from the last one's output.</summary>
    static (byte[] Digest, TableTrace Trace) Hash(byte[] message)
    {
        var state = InitialState;
        var inputs = new List<(uint[], uint[])>();
        TableTrace trace = null!;
        foreach (var block in Blocks(message))
        {
            inputs.Add((state, block));
            trace = Sha256CompressChip.Trace(inputs, out var outputs);
            state = outputs[^1];
        }
        var digest = new byte[32];
        for (int k = 0; k < 8; k++) BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(4 * k), state[k]);
        return (digest, trace);
    }

    [Theory]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void FIPS_180_4s_examples_hash_through_the_table(string message, string digest)
    {
        var (actual, trace) = Hash(Encoding.ASCII.GetBytes(message));
        Assert.Equal(digest, Convert.ToHexStringLower(actual));
        TraceChecker.CheckConstraints(trace);
    }

    [Fact]
    public void Random_messages_hash_as_dotnets_SHA256_does()
    {
        var random = new Random(180);
        foreach (int length in new[] { 0, 1, 55, 56, 64, 119, 200 })
        {
            var message = new byte[length];
            random.NextBytes(message);
            var (actual, trace) = Hash(message);
            Assert.Equal(SHA256.HashData(message), actual);
            TraceChecker.CheckConstraints(trace);
        }
    }

    [Fact]
    public void Padding_compressions_are_valid_and_not_real()
    {
        var trace = Sha256CompressChip.Trace([(InitialState, Blocks([1, 2, 3])[0]), (InitialState, Blocks([4])[0]), (InitialState, Blocks([5])[0])], out _);
        Assert.Equal(4 * Sha256CompressChip.Rounds, trace.Height);
        for (int row = 0; row < trace.Height; row++)
            Assert.Equal(row < 3 * Sha256CompressChip.Rounds ? BabyBear.One : BabyBear.Zero, trace.Main[row, Sha256CompressChip.IsReal]);
        TraceChecker.CheckConstraints(trace);
    }

    [Fact]
    public void The_constraints_have_degree_three()
    {
        Assert.Equal(3, AirShape.ForAir(Sha256CompressChip.Instance).MaxDegree);
        // The rounds and H_in (391); two outputs per row on rounds 60–63 (H_in's word, the sum, its carries, the write's
        // witness); the call (ts, word indices, a1's limbs); a block word's read and bytes; the three bus multiplicities.
        Assert.Equal(391 + 2 * 9 + 5 + 8 + 3, Sha256CompressChip.Columns);
    }

    /// <summary>
    /// A forger's cell: every column, changed alone on the first, a middle and the last round, breaks a constraint, except a
    /// block word's read-only flag on a row that reads one, which only the memory bus binds (PrecompileMachineTests forges it).
    /// </summary>
    [Fact]
    public void Every_column_changed_alone_is_caught()
    {
        var (_, trace) = Hash(Encoding.ASCII.GetBytes("abc"));
        var missed = new List<(int Row, int Column)>();
        foreach (int row in new[] { 0, 37, Sha256CompressChip.Rounds - 1 })
            for (int column = 0; column < Sha256CompressChip.Columns; column++)
            {
                var forged = new TableTrace(trace.Air, trace.Main.Clone());
                forged.Main[row, column] += BabyBear.One;
                try
                {
                    TraceChecker.CheckConstraints(forged);
                    missed.Add((row, column));
                }
                catch (ZkVmException e) when (e.Code == AirErrors.ConstraintFailed) { }
            }
        Assert.Equal([(0, Sha256CompressChip.BlockReadOnly)], missed);
    }
}
