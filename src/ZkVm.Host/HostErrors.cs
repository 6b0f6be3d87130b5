namespace ZkVm;

/// <summary>Error codes of receipts (docs/ERRORS.md): ZK51xx a receipt is rejected, ZK52xx its bytes are not a well-formed receipt.</summary>
public static class HostErrors
{
    /// <summary>The receipt proves a run of another program than the expected ImageId.</summary>
    public const string WrongImage = "ZK5101";

    /// <summary>The STARK proof does not verify against the receipt's program and claim (the inner code says why).</summary>
    public const string ProofRejected = "ZK5102";

    /// <summary>The receipt's claim is one no proven run can have (no cycles, too many, an oversized journal).</summary>
    public const string BadClaim = "ZK5103";

    /// <summary>The proof's security parameters do not give 100 bits in the regime the verifier asked for.</summary>
    public const string InsufficientSecurity = "ZK5104";

    /// <summary>The receipt's program parts do not form a program.</summary>
    public const string BadProgram = "ZK5105";

    /// <summary>The proof verifies, but the guest halted with an exit code the verifier does not accept (only 0 by default; <see cref="VerificationPolicy"/>).</summary>
    public const string ExitCodeRefused = "ZK5106";

    /// <summary>The proof verifies, but the journal is not the one the verifier expects (<see cref="VerificationPolicy.ExpectedJournal"/>).</summary>
    public const string JournalMismatch = "ZK5107";

    /// <summary>Prover options no proof can be made with (a preset that is not one, no cycles, a shard size out of range), refused before any work.</summary>
    public const string BadOptions = "ZK5301";

    /// <summary>The receipt's bytes end inside a field.</summary>
    public const string Truncated = "ZK5201";

    /// <summary>A count in the receipt (shards, extensions, journal bytes) is out of its range.</summary>
    public const string CountOutOfRange = "ZK5202";

    /// <summary>Bytes follow the end of the receipt.</summary>
    public const string TrailingBytes = "ZK5203";

    /// <summary>The bytes do not start with the receipt's magic, "ZKRC".</summary>
    public const string BadMagic = "ZK5204";

    /// <summary>The receipt's format version is not one this build reads.</summary>
    public const string UnsupportedVersion = "ZK5205";

    /// <summary>A field of the receipt holds a value it may not (a preset that is not one, a non-canonical element, …).</summary>
    public const string InvalidValue = "ZK5206";

    /// <summary>The ImageId written in the receipt is not the one its program parts hash to.</summary>
    public const string ImageIdMismatch = "ZK5207";

    /// <summary>The receipt file cannot be read (missing, unreadable, too large).</summary>
    public const string Unreadable = "ZK5208";

    /// <summary>The preset byte does not name the parameter set the STARK proof carries (a relabelled receipt).</summary>
    public const string PresetMismatch = "ZK5209";

    /// <summary>The receipt was proven on other machine extensions than the verifier's.</summary>
    public const string ExtensionMismatch = "ZK5210";

    /// <summary>An extension assembly cannot be loaded or holds no extension.</summary>
    public const string BadExtensionAssembly = "ZK5211";
}
