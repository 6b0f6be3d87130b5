using ZkVm.Crypto;
using ZkVm.Field;
using ZkVm.Stark.Fri;
using ZkVm.Stark.Proving;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Serialization;

/// <summary>
/// The binary proof format, version 8: magic "ZKSP", version, then the proof's parts in the order of
/// <see cref="StarkProof"/>. Every count is bounded by what a valid proof can hold, every element must be
/// canonical and nothing may follow the last part; the reader never trusts a length it has not checked.
/// </summary>
public static class StarkProofFormat
{
    public const uint Version = 9;
    private static ReadOnlySpan<byte> Magic => "ZKSP"u8;

    /// <summary>Bounds that no honest proof reaches, so that forged counts fail before allocation.</summary>
    private const int MaxTables = 256, MaxColumns = 1 << 16, MaxLayers = 32, MaxPath = 32, MaxBatchPath = MaxPath * FriParameters.MaxQueries, MaxFinal = 1 << 16, MaxMatrices = 256;

    public static byte[] Write(StarkProof proof)
    {
        var w = new ProofWriter();
        w.WriteBytes(Magic);
        w.WriteU32(Version);
        WriteParameters(w, proof.Parameters);
        var shape = proof.Shape;
        w.WriteU32((uint)shape.LogMaxTraceLength);
        w.WriteU64((ulong)shape.NumConstraints);
        w.WriteU32((uint)shape.MaxConstraintDegree);
        w.WriteU32((uint)shape.NumOpeningPoints);
        w.WriteU64((ulong)shape.BatchSize);
        w.WriteU64((ulong)shape.NumLogUpFractions);
        w.WriteU64((ulong)shape.TotalBusRows);
        w.WriteU64((ulong)shape.MaxMultiplicity);
        w.WriteU32((uint)shape.MaxTupleArity);
        w.WriteU64((ulong)shape.TableLogHeights);
        w.WriteU64((ulong)shape.SharedBusRows);
        w.WriteCount(proof.LogHeights.Length);
        foreach (int h in proof.LogHeights) w.WriteU32((uint)h);
        w.WriteDigest(proof.MainRoot);
        w.WriteField(proof.LogUpPowWitness);
        w.WriteU8(proof.AuxRoot.HasValue ? (byte)1 : (byte)0);
        if (proof.AuxRoot is Digest aux) w.WriteDigest(aux);
        w.WriteExtensions(proof.CumulativeSums);
        w.WriteDigest(proof.QuotientRoot);
        w.WriteField(proof.DeepPowWitness);
        foreach (var o in proof.Openings)
            foreach (var values in o.Parts)
                w.WriteExtensions(values);
        w.WriteField(proof.BatchingPowWitness);
        w.WriteDigests(proof.Fri.Commitments);
        w.WriteFields(proof.Fri.CommitPowWitnesses);
        w.WriteExtensions(proof.Fri.FinalPolynomial);
        w.WriteField(proof.Fri.PowWitness);
        w.WriteCount(proof.Fri.Layers.Length);
        foreach (var layer in proof.Fri.Layers)
        {
            w.WriteExtensions(layer.Siblings);
            w.WriteDigests(layer.Path);
        }
        var q = proof.Queries;
        foreach (var opening in new[] { q.Main, q.Aux, q.Quotient })
        {
            w.WriteU8(opening is null ? (byte)0 : (byte)1);
            if (opening is null) continue;
            w.WriteCount(opening.Rows.Length);
            foreach (var rows in opening.Rows) // per matrix, the rows the queries reach, each once
            {
                w.WriteCount(rows.Length);
                if (rows.Length == 0) continue;
                int width = rows[0].Length;
                if (width == 0) throw new ArgumentException("an opened matrix without columns", nameof(proof));
                w.WriteCount(width);
                var values = new BabyBear[rows.Length * width];
                for (int j = 0; j < rows.Length; j++)
                {
                    if (rows[j].Length != width) throw new ArgumentException($"the rows of an opened matrix have {width} and {rows[j].Length} values", nameof(proof));
                    rows[j].CopyTo(values, j * width);
                }
                w.WritePacked(values);
            }
            w.WriteDigests(opening.Siblings);
        }
        w.WriteCount(proof.Clear.Count);
        foreach (var clear in proof.Clear) WriteClear(w, clear);
        return w.ToArray();
    }

    /// <summary>Parses a proof; any defect is a <see cref="ZkVmException"/> (ZK30xx, or ZK1001 for a non-canonical element).</summary>
    public static StarkProof Read(ReadOnlySpan<byte> bytes)
    {
        var r = new ProofReader(bytes);
        r.ExpectMagic(Magic, "STARK proof");
        r.ReadVersion("STARK proof", Version);
        var parameters = ReadParameters(ref r);
        var shape = new CircuitShape(
            r.ReadBounded("log max trace length", 1, StarkVerifier.MaxLogHeight),
            r.ReadBounded64("constraint count", long.MaxValue),
            r.ReadBounded("max constraint degree", 1, 3),
            r.ReadBounded("opening points", 1, 2),
            r.ReadBounded64("batch size", long.MaxValue),
            r.ReadBounded64("LogUp fractions", long.MaxValue),
            r.ReadBounded64("bus rows", long.MaxValue),
            r.ReadBounded64("max multiplicity", long.MaxValue),
            r.ReadBounded("max tuple arity", 0, int.MaxValue),
            r.ReadBounded64("table log heights", long.MaxValue)) { SharedBusRows = r.ReadBounded64("shared bus rows", long.MaxValue) };
        var logHeights = new int[r.ReadCount("tables", MaxTables, 4)];
        for (int i = 0; i < logHeights.Length; i++) logHeights[i] = r.ReadBounded("table log height", 1, StarkVerifier.MaxLogHeight);
        Digest mainRoot = r.ReadDigest("main commitment");
        BabyBear logUpWitness = r.ReadField("LogUp proof-of-work witness");
        byte hasAux = r.ReadU8("LogUp commitment flag");
        if (hasAux > 1) throw new ZkVmException(ProofFormatErrors.InvalidValue, $"LogUp commitment flag at byte offset {r.Position - 1} is {hasAux}, allowed 0 or 1");
        Digest? auxRoot = hasAux == 1 ? r.ReadDigest("LogUp commitment") : null;
        BabyBearExt4[] sums = r.ReadExtensions("cumulative sums", MaxTables);
        Digest quotientRoot = r.ReadDigest("quotient commitment");
        BabyBear deepWitness = r.ReadField("proof-of-work witness before ζ");
        var openings = new TableOpenings[logHeights.Length];
        for (int i = 0; i < openings.Length; i++)
            openings[i] = new TableOpenings(
                r.ReadExtensions("fixed openings at ζ", MaxColumns), r.ReadExtensions("fixed openings at ζω", MaxColumns),
                r.ReadExtensions("main openings at ζ", MaxColumns), r.ReadExtensions("main openings at ζω", MaxColumns),
                r.ReadExtensions("LogUp openings at ζ", MaxColumns), r.ReadExtensions("LogUp openings at ζω", MaxColumns),
                r.ReadExtensions("quotient openings", MaxColumns));
        BabyBear batchingWitness = r.ReadField("proof-of-work witness before the DEEP coefficients");
        Digest[] layers = r.ReadDigests("FRI layer commitments", MaxLayers);
        BabyBear[] layerWitnesses = r.ReadFields("FRI layer proof-of-work witnesses", MaxLayers);
        BabyBearExt4[] finalPolynomial = r.ReadExtensions("FRI final polynomial", MaxFinal);
        BabyBear witness = r.ReadField("proof-of-work witness");
        var friLayers = new FriLayerOpening[r.ReadCount("FRI layers", MaxLayers, 8)];
        for (int k = 0; k < friLayers.Length; k++)
            friLayers[k] = new FriLayerOpening(r.ReadExtensions("FRI siblings", FriParameters.MaxQueries * ((1 << FriParameters.MaxSupportedLogArity) - 1)), r.ReadDigests("FRI path", MaxBatchPath));
        MerkleBatchOpening? main = ReadOpening(ref r, "main"), aux = ReadOpening(ref r, "LogUp"), quotient = ReadOpening(ref r, "quotient");
        var queries = new QueryOpenings(main ?? throw Missing(r, "main"), aux, quotient ?? throw Missing(r, "quotient"));
        var clear = new ClearTrace[r.ReadCount("tables in clear", logHeights.Length, 12)];
        long cells = 0;
        for (int i = 0; i < clear.Length; i++) clear[i] = ReadClear(ref r, logHeights, ref cells);
        r.ExpectEnd("STARK proof");
        return new StarkProof(parameters, shape, logHeights, mainRoot, logUpWitness, auxRoot, sums, quotientRoot, deepWitness, openings, batchingWitness, new FriProof(layers, finalPolynomial, witness, friLayers, layerWitnesses), queries)
        {
            Clear = clear,
        };
    }

    /// <summary>A PoW bit count the verifier can check; a larger one would only fail later, untyped, in the PoW check.</summary>
    /// <summary>The parameters as a proof starts with them (seven 32-bit words), also in the cluster's shard messages.</summary>
    public static void WriteParameters(ProofWriter w, SecurityParameters parameters)
    {
        w.WriteU32((uint)parameters.LogBlowup);
        w.WriteU32((uint)parameters.NumQueries);
        w.WriteU32((uint)parameters.QueryPowBits);
        w.WriteU32((uint)parameters.LogFinalPolyLength);
        w.WriteU32((uint)parameters.Batching);
        w.WriteU32((uint)parameters.LogUpPowBits);
        w.WriteU32((uint)parameters.ChallengePowBits);
    }

    /// <summary>Reads what <see cref="WriteParameters"/> wrote, each value checked against its range.</summary>
    public static SecurityParameters ReadParameters(ref ProofReader r) => new(
        r.ReadBounded("log blowup", 1, 26),
        r.ReadBounded("query count", 1, FriParameters.MaxQueries),
        ReadPowBits(ref r, "proof-of-work bits"),
        r.ReadBounded("log final polynomial length", 0, 26),
        (BatchingMode)r.ReadBounded("batching mode", 0, (int)BatchingMode.IndependentCoefficients),
        ReadPowBits(ref r, "LogUp proof-of-work bits"),
        ReadPowBits(ref r, "challenge proof-of-work bits"));

    private static int ReadPowBits(ref ProofReader r, string what)
    {
        int start = r.Position;
        uint bits = r.ReadU32(what);
        if (bits > SecurityParameters.MaxPowBits)
            throw new ZkVmException(ProofFormatErrors.PowBitsOutOfRange, $"{what} at byte offset {start} is {bits}, allowed 0…{SecurityParameters.MaxPowBits}");
        return (int)bits;
    }

    internal static MerkleBatchOpening? ReadOpening(ref ProofReader r, string tree)
    {
        byte present = r.ReadU8($"{tree} opening flag");
        if (present > 1) throw new ZkVmException(ProofFormatErrors.InvalidValue, $"{tree} opening flag at byte offset {r.Position - 1} is {present}, allowed 0 or 1");
        if (present == 0) return null;
        var rows = new BabyBear[r.ReadCount($"{tree} opened matrices", MaxMatrices, 4)][][];
        string rowsOfMatrix = $"{tree} opened rows", row = $"{tree} opened row";
        for (int m = 0; m < rows.Length; m++)
        {
            int count = r.ReadCount(rowsOfMatrix, FriParameters.MaxQueries, 0);
            if (count == 0)
            {
                rows[m] = [];
                continue;
            }
            // A matrix with rows has columns: every row costs bytes, checked before anything is allocated.
            int start = r.Position;
            int width = r.ReadBounded(row + " width", 1, MaxColumns);
            if ((long)count * width * ProofWriter.FieldBits > 8L * r.Remaining)
                throw new ZkVmException(ProofFormatErrors.Truncated, $"{tree} opened rows: {count} rows of {width} values at byte offset {start} need {ProofWriter.PackedBytes((long)count * width)} bytes, {r.Remaining} remain");
            rows[m] = new BabyBear[count][];
            var values = new BabyBear[count * width];
            r.ReadPacked(values, row);
            for (int j = 0; j < count; j++) rows[m][j] = values.AsSpan(j * width, width).ToArray();
        }
        return new MerkleBatchOpening(rows, r.ReadDigests($"{tree} path", MaxBatchPath));
    }

    /// <summary>
    /// A table in clear: its index, rows and width, then column by column the bits b of its largest value and its rows'
    /// values in b bits each, least significant bit first, padded with zero bits to a byte. The encoding is unique: b is
    /// exactly the largest value's bit length and the last row is not zero.
    /// </summary>
    private static void WriteClear(ProofWriter w, ClearTrace clear)
    {
        w.WriteU32((uint)clear.Table);
        w.WriteU32((uint)clear.Rows);
        w.WriteU32((uint)clear.Width);
        for (int c = 0; c < clear.Width; c++)
        {
            int bits = clear.ColumnBits(c);
            w.WriteU8((byte)bits);
            var column = new uint[clear.Rows];
            for (int r = 0; r < clear.Rows; r++) column[r] = clear.Values[r * clear.Width + c].ToCanonical();
            w.WriteBits(column, bits);
        }
    }

    /// <summary>Reads what <see cref="WriteClear"/> wrote; every count bounded before allocation, every value canonical, the encoding unique.</summary>
    private static ClearTrace ReadClear(ref ProofReader r, int[] logHeights, ref long cells)
    {
        int start = r.Position;
        int table = r.ReadBounded("table in clear", 0, logHeights.Length - 1);
        int rows = r.ReadBounded("rows in clear", 0, 1 << logHeights[table]);
        int width = r.ReadBounded("columns in clear", 1, MaxColumns);
        cells += (long)rows * width;
        if (cells > ClearTables.MaxCells)
            throw new ZkVmException(ProofFormatErrors.CountOutOfRange, $"tables in clear: more than {ClearTables.MaxCells} values by the one at byte offset {start}");
        var values = new BabyBear[rows * width];
        for (int c = 0; c < width; c++)
        {
            int bitsAt = r.Position;
            int bits = r.ReadU8("bits of a column in clear");
            if (bits > 31) throw new ZkVmException(ProofFormatErrors.InvalidValue, $"bits of a column in clear at byte offset {bitsAt} is {bits}, allowed 0…31");
            var column = new uint[rows];
            r.ReadBits(column, bits, "column in clear");
            uint all = 0;
            for (int row = 0; row < rows; row++)
            {
                uint value = column[row];
                if (value >= BabyBear.P)
                    throw new ZkVmException(FieldErrors.NonCanonical, $"column in clear at byte offset {bitsAt + 1}: non-canonical BabyBear value 0x{value:x8} in row {row} (must be < 0x{BabyBear.P:x8})");
                values[row * width + c] = BabyBear.FromCanonical(value);
                all |= value;
            }
            if (32 - System.Numerics.BitOperations.LeadingZeroCount(all) != bits)
                throw new ZkVmException(ProofFormatErrors.InvalidValue, $"column in clear at byte offset {bitsAt} is sent in {bits} bits, its largest value has {32 - System.Numerics.BitOperations.LeadingZeroCount(all)}");
        }
        if (rows > 0 && !values.AsSpan((rows - 1) * width, width).ContainsAnyExcept(BabyBear.Zero))
            throw new ZkVmException(ProofFormatErrors.InvalidValue, $"table in clear at byte offset {start}: its last row is zero (zero rows at the end are left out)");
        return new ClearTrace(table, rows, width, values);
    }

    private static ZkVmException Missing(ProofReader r, string tree) =>
        new(ProofFormatErrors.InvalidValue, $"query openings without the {tree} tree before byte offset {r.Position}");
}
