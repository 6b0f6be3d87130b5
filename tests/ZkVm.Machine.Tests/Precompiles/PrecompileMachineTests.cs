using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ZkVm.Crypto.Tests;
using ZkVm.Field;
using ZkVm.Machine.Extensions;
using ZkVm.Machine.Precompiles;
using ZkVm.Machine.Tests.Support;
using ZkVm.Machine.Witness;
using ZkVm.Riscv.Execution;
using ZkVm.Riscv.Image;
using ZkVm.Riscv.Tests.Support;
using ZkVm.Stark.Air;
using ZkVm.Stark.Proving;

namespace ZkVm.Machine.Tests.Precompiles;

/// <summary>
/// The accelerators inside the machine (issue 17): known answers through a guest that is proven and verified, the
/// emulator's traps, buffers that alias, and forgeries of the calls between the ECALL rows, the tables and memory.
/// </summary>
public class PrecompileMachineTests
{
    static readonly ExtensionSet Accelerated = new([AcceleratorsExtension.Instance]);

    /// <summary>
    /// Reads records (u32 kind, u32 length, the bytes padded to 4) and commits, per record: kind 0 the SHA-256 of the bytes,
    /// 1 their Keccak-256, 2 the Poseidon2 permutation of their 16 words, 3 the SHA-256 of all but the first byte (an
    /// unaligned buffer), 4 one compression of its 8 state words with the block that starts at the same address (aliased).
    /// </summary>
    const string KnownAnswerGuest = """
        #include <string.h>
        #include "zkvm.h"
        #include "zkvm_io.h"
        #include "zkvm_accelerators.h"

        int main(void)
        {
            const uint8_t *in;
            size_t n;
            read_input(&in, &n);
            for (size_t at = 0; at + 8 <= n;)
            {
                uint32_t kind, len;
                memcpy(&kind, in + at, 4);
                memcpy(&len, in + at + 4, 4);
                const uint8_t *msg = in + at + 8;
                uint8_t digest[32];
                uint32_t words[16];
                switch (kind)
                {
                case 0: zkvm_sha256(msg, len, digest); write_output(digest, 32); break;
                case 1: zkvm_keccak256(msg, len, digest); write_output(digest, 32); break;
                case 2: memcpy(words, msg, 64); zkvm_poseidon2_permute(words); write_output((const uint8_t *)words, 64); break;
                case 3: zkvm_sha256(msg + 1, len - 1, digest); write_output(digest, 32); break;
                case 4: memcpy(words, msg, 64); zkvm_sha256_compress(words, words); write_output((const uint8_t *)words, 32); break;
                }
                at += 8 + ((len + 3) & ~3u);
            }
            return 0;
        }
        """;

    static readonly string Sha448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    static readonly string Sha896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    static readonly byte[] Counting200 = [.. Enumerable.Range(0, 200).Select(i => (byte)i)];
    static readonly byte[] Aliased = [.. Enumerable.Range(0, 64).Select(i => (byte)(7 * i + 1))];

    static readonly (uint Kind, byte[] Message)[] Records =
    [
        (0, Encoding.ASCII.GetBytes("abc")),
        (0, Encoding.ASCII.GetBytes(Sha448)),
        (0, Encoding.ASCII.GetBytes(Sha896)),
        (1, []),
        (1, Encoding.ASCII.GetBytes("abc")),
        (1, Counting200),
        (2, [.. Poseidon2Vectors.BabyBear16[0].Input.SelectMany(BitConverter.GetBytes)]),
        (3, Encoding.ASCII.GetBytes("x" + Sha896)),
        (4, Aliased),
    ];

    static byte[] Input()
    {
        var input = new List<byte>();
        foreach (var (kind, message) in Records)
        {
            input.AddRange(BitConverter.GetBytes(kind));
            input.AddRange(BitConverter.GetBytes((uint)message.Length));
            input.AddRange(message);
            input.AddRange(new byte[(4 - message.Length % 4) % 4]);
        }
        return [.. input];
    }

    /// <summary>The journal the guest must commit: FIPS 180-4's and the Keccak team's known answers, Plonky3's Poseidon2 vector,
    /// .NET's SHA-256 for the unaligned buffer and the scalar compression for the aliased one.</summary>
    static byte[] ExpectedJournal()
    {
        var state = new uint[8];
        for (int k = 0; k < 8; k++) state[k] = BitConverter.ToUInt32(Aliased, 4 * k);
        var block = new uint[16];
        for (int i = 0; i < 16; i++) block[i] = BinaryPrimitives.ReadUInt32BigEndian(Aliased.AsSpan(4 * i));
        Sha256CompressChip.Compress(state, block);
        return
        [
            .. Convert.FromHexString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            .. Convert.FromHexString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            .. Convert.FromHexString("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
            .. Convert.FromHexString("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
            .. Convert.FromHexString("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
            .. Convert.FromHexString("bfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890"),
            .. Poseidon2Vectors.BabyBear16[0].Output.SelectMany(BitConverter.GetBytes),
            .. SHA256.HashData(Encoding.ASCII.GetBytes(Sha896)),
            .. state.SelectMany(BitConverter.GetBytes),
        ];
    }

    static readonly Lazy<string> Elf = new(() => Guests.FromText("accelerated_kat.c", KnownAnswerGuest, bare: false));

    static readonly Lazy<MachineProgram> Program = new(() => new MachineProgram(HarvardProgram.Load(Elf.Value, Accelerated.Isa), Accelerated));

    static readonly Lazy<MachineWitness> Witness = new(() => MachineProver.Witness(Program.Value, Input()));

    /// <summary>One proof of every known answer, shared by the tests that verify it.</summary>
    static readonly Lazy<MachineProof> Proof = new(() => MachineProver.Prove(Program.Value, Input()));

    [Fact]
    public void Known_answers_hash_through_a_guest_that_is_proven_and_verified()
    {
        var proof = Proof.Value;
        Assert.Equal(0u, proof.Claim.ExitCode);
        Assert.Equal(Convert.ToHexStringLower(ExpectedJournal()), Convert.ToHexStringLower(proof.Claim.Journal));
        MachineVerifier.Verify(Program.Value, proof.Claim, proof.Proof);
        // Four SHA-256 messages of 1, 2, 2 and 2 blocks and the aliased compression; four Keccak-256 absorptions of 1, 1 and 2; one permutation.
        var calls = Witness.Value.Calls;
        Assert.Equal(8, calls.Count(c => c.Number == Sha256CompressChip.Number));
        Assert.Equal(4, calls.Count(c => c.Number == KeccakFChip.Number));
        Assert.Equal(1, calls.Count(c => c.Number == Poseidon2Chip.Number));
    }

    /// <summary>The same run in shards: each shard's calls are its own, and the cells they rewrite page between shards.</summary>
    [Fact]
    public void Known_answers_prove_in_shards()
    {
        const ulong shardCycles = 8192;
        var proof = MachineProver.Prove(Program.Value, Input(), new MachineProverOptions { ShardCycles = shardCycles });
        Assert.True(proof.Shards.Count >= 3, $"{proof.Shards.Count} shards");
        Assert.Equal(ExpectedJournal(), proof.Claim.Journal);
        MachineVerifier.Verify(Program.Value, proof.Claim, shardCycles, proof.Shards);
    }

    /// <summary>samples/accelerators hashes as .NET's SHA-256 and as samples/keccak256 (Keccak-256 in software) do, on lengths around
    /// both block sizes.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(64)]
    [InlineData(135)]
    [InlineData(136)]
    [InlineData(137)]
    [InlineData(1000)]
    public void The_accelerated_sample_hashes_as_the_software_ones(int length)
    {
        byte[] input = [.. Enumerable.Range(0, length).Select(i => (byte)(31 * i + 5))];
        var accelerated = Interpreter.Run(HarvardProgram.Load(Guests.SampleElf("accelerators"), Accelerated.Isa), input);
        var keccak = Interpreter.Run(HarvardProgram.Load(Guests.SampleElf("keccak256")), input);
        Assert.Equal(0, accelerated.ExitCode);
        Assert.Equal([.. SHA256.HashData(input), .. keccak.Journal], accelerated.Journal);
    }

    [Fact]
    public void The_proof_does_not_verify_on_plain_RV32IM()
    {
        var p = Program.Value;
        var plain = new MachineProgram(p.Entry, p.CodeBase, p.Words, p.Image, p.Map.Regions);
        Assert.NotEqual(p.ImageId, plain.ImageId);
        Assert.ThrowsAny<ZkVmException>(() => MachineVerifier.Verify(plain, Proof.Value.Claim, Proof.Value.Proof));
    }

    [Fact]
    public void Without_the_extension_the_guest_traps_at_its_first_accelerated_call()
    {
        var result = Interpreter.Run(HarvardProgram.Load(Elf.Value), Input());
        Assert.Equal(TrapCause.UnknownSyscall, result.Trap?.Cause);
        Assert.Contains("--extension accelerators", result.Trap!.Message);
    }

    /// <summary>
    /// A call's buffers obey the rules of a word load and store: misaligned, unmapped, code or (for the state) read-only
    /// memory traps at the ECALL, as does a Poseidon2 word that is not a field element; the state is left as it was.
    /// </summary>
    [Theory]
    [InlineData(0, TrapCause.MisalignedAccess)]
    [InlineData(1, TrapCause.UnmappedAccess)]
    [InlineData(2, TrapCause.UnmappedAccess)]
    [InlineData(3, TrapCause.ReadOnlyWrite)]
    [InlineData(4, TrapCause.BadSyscallArgument)]
    [InlineData(5, TrapCause.MisalignedAccess)]
    [InlineData(6, null)]
    public void A_bad_buffer_traps_as_a_load_or_store_would(int @case, TrapCause? cause)
    {
        var result = Interpreter.Run(HarvardProgram.Load(TrapGuest.Value, Accelerated.Isa), new byte[] { (byte)@case });
        Assert.Equal(cause, result.Trap?.Cause);
        if (cause is null) Assert.Equal(0, result.ExitCode);
    }

    /// <summary>Case 0: a misaligned state; 1: an unmapped one (the page at 0); 2: the code of main; 3: a read-only state; 4: a Poseidon2 word
    /// of p; 5: a misaligned block; 6: a read-only block, which is allowed.</summary>
    const string TrapSource = """
        #include <stdint.h>
        #include "zkvm.h"
        #include "zkvm_accelerators.h"

        static const uint32_t constant[16] = { 1, 2, 3 };
        static uint32_t state[17];

        int main(void)
        {
            uint8_t c;
            zkvm_read(&c, 1);
            uint32_t *p = (uint32_t *)((uintptr_t)state + 2);
            switch (c)
            {
            case 0: zkvm_sha256_compress(p, state); break;
            case 1: zkvm_sha256_compress((uint32_t *)0x100u, state); break;
            case 2: zkvm_sha256_compress((uint32_t *)(uintptr_t)&main, state); break;
            case 3: zkvm_poseidon2_permute((uint32_t *)constant); break;
            case 4: state[5] = 0x78000001u; zkvm_poseidon2_permute(state); break;
            case 5: zkvm_sha256_compress(state, p); break;
            case 6: zkvm_sha256_compress(state, constant); break;
            }
            return 0;
        }
        """;

    static readonly Lazy<string> TrapGuest = new(() => Guests.FromText("accelerated_traps.c", TrapSource, bare: false));

    [Fact]
    public void A_trapping_call_leaves_its_state_unchanged()
    {
        // Case 4 traps on word 5 after reading every word: nothing was written.
        var trace = Interpreter.Run(HarvardProgram.Load(TrapGuest.Value, Accelerated.Isa), new byte[] { 4 });
        Assert.Equal(TrapCause.BadSyscallArgument, trace.Trap?.Cause);
        Assert.Contains("word 5", trace.Trap!.Message);
    }

    static MachineWitness With(MachineWitness w, PrecompileCall[] calls) => new(w.Steps, w.Transfers, w.Boundary, w.ExitCode, w.Journal) { Calls = calls };

    /// <summary>The honest run's traces with the main trace of its table of type <typeparamref name="TAir"/> edited as a forger would.</summary>
    static TableTrace[] Forged<TAir>(Action<RowMajorMatrix> edit) where TAir : IAir
    {
        var traces = new MachineCircuit(Program.Value).Traces(Witness.Value);
        int table = Array.FindIndex(traces, t => t.Air is TAir);
        var main = traces[table].Main.Clone();
        edit(main);
        traces[table] = new TableTrace(traces[table].Air, main, traces[table].PublicValues);
        return traces;
    }

    static ZkVmException Checked(TableTrace[] traces) =>
        Assert.Throws<ZkVmException>(() => TraceChecker.Check(traces, new MachineCircuit(Program.Value).PublicBus(MachineCircuit.ClaimOf(Witness.Value))));

    static void Unbalanced(MachineWitness forged) => Assert.Equal(AirErrors.BusUnbalanced, Checked(new MachineCircuit(Program.Value).Traces(forged)).Code);

    [Fact]
    public void The_honest_witness_passes_every_check()
    {
        new MachineCircuit(Program.Value).Check(Witness.Value);
    }

    /// <summary>A call whose table rows are dropped: its ECALL row sends on the precompile bus and nothing receives, and the
    /// state words it rewrote are never written; a proof of it is refused.</summary>
    [Fact]
    public void A_call_without_its_table_rows_is_refused()
    {
        var w = Witness.Value;
        var forged = With(w, [.. w.Calls.Where((c, i) => i != 2)]);
        Unbalanced(forged);
        var circuit = new MachineCircuit(Program.Value);
        Verdict.ProofRejected(StarkErrors.BusUnbalanced, circuit, circuit.Traces(forged), MachineCircuit.ClaimOf(forged));
    }

    /// <summary>Table rows without a call: a second copy of a real call, which no ECALL sent.</summary>
    [Fact]
    public void Table_rows_without_a_call_are_refused()
    {
        var w = Witness.Value;
        Unbalanced(With(w, [.. w.Calls, w.Calls[0]]));
    }

    /// <summary>An ECALL row that names another accelerator than the one its table proves: the numbers are the tables' constants.</summary>
    [Fact]
    public void A_call_claimed_as_another_accelerator_is_refused()
    {
        var traces = Forged<ZkVm.Machine.Chips.SyscallChip>(main =>
        {
            int number = Columns.Index(new ZkVm.Machine.Chips.SyscallChip(), "AccelNumber");
            int row = Enumerable.Range(0, main.Height).First(r => main[r, number] == BabyBear.FromCanonical(Poseidon2Chip.Number));
            main[row, number] = BabyBear.FromCanonical(KeccakFChip.Number);
        });
        Assert.Equal(AirErrors.BusUnbalanced, Checked(traces).Code);
    }

    /// <summary>
    /// A forged digest: the forger writes other state words than the compression gives (and the memory after them agrees, as
    /// the call's accesses carry them). The table's H_out is then not H_in plus the rounds' final variables.
    /// </summary>
    [Fact]
    public void A_forged_compression_output_is_refused()
    {
        var traces = Forged<Sha256CompressChip>(main => main[Sha256CompressChip.Rounds - 1, Sha256CompressChip.OutA + Sha256CompressChip.OutLo] += BabyBear.One);
        var e = Assert.Throws<ZkVmException>(() => TraceChecker.CheckConstraints(traces.Single(t => t.Air is Sha256CompressChip)));
        Assert.Equal(AirErrors.ConstraintFailed, e.Code);
    }

    /// <summary>
    /// A forged Poseidon2 output written as v + p (limbs of another u32 that is the same field element): its limbs are not a
    /// canonical value, so the range check of 0x7800 − hi finds no u16 in the byte table.
    /// </summary>
    [Fact]
    public void A_Poseidon2_output_above_p_is_refused()
    {
        var traces = Forged<Poseidon2Chip>(main =>
        {
            int word = Enumerable.Range(0, 16).First(i => Poseidon2Vectors.BabyBear16[0].Output[i] < uint.MaxValue - BabyBear.P);
            uint value = Poseidon2Vectors.BabyBear16[0].Output[word] + BabyBear.P;
            int at = Poseidon2Chip.Words + Poseidon2Chip.WordWidth * word;
            main[0, at + Poseidon2Chip.OutLo] = BabyBear.FromCanonical(value & 0xFFFF);
            main[0, at + Poseidon2Chip.OutHi] = BabyBear.FromCanonical(value >> 16);
        });
        var e = Checked(traces);
        Assert.True(e.Code is AirErrors.BusUnbalanced or AirErrors.ConstraintFailed, e.Message);
    }

    /// <summary>The block's read-only flag and a call's a1 are bound by the buses alone: forging either unbalances them.</summary>
    [Fact]
    public void Bus_bound_columns_are_caught_by_the_buses()
    {
        Action<RowMajorMatrix> Bump(int column) => main => main[0, column] += BabyBear.One;
        foreach (var (name, traces) in new (string, Func<TableTrace[]>)[]
        {
            ("sha256 block read-only", () => Forged<Sha256CompressChip>(Bump(Sha256CompressChip.BlockReadOnly))),
            ("poseidon2 a1", () => Forged<Poseidon2Chip>(Bump(Poseidon2Chip.A1Lo))),
            ("poseidon2 a0", () => Forged<Poseidon2Chip>(Bump(Poseidon2Chip.StateWord))),
            ("keccakf a1", () => Forged<KeccakFChip>(Bump(KeccakFChip.A1Hi))),
        })
        {
            var e = Checked(traces());
            Assert.True(e.Code is AirErrors.BusUnbalanced, $"{name}: {e.Code} {e.Message}");
        }
    }
}
