namespace ZkVm.Stark.Fri;

/// <summary>Stable error codes of the FRI verifier (docs/PROTOCOL.md §7.7, range ZK31xx).</summary>
public static class FriErrors
{
    /// <summary>The proof object has the wrong shape: a null part, a wrong count or a wrong length.</summary>
    public const string MalformedProof = "ZK3101";
    /// <summary>The verifier's own parameters, shift or input heights are invalid.</summary>
    public const string BadConfiguration = "ZK3102";
    /// <summary>The proof-of-work witness does not verify.</summary>
    public const string ProofOfWork = "ZK3103";
    /// <summary>A query's opening of a layer does not hash to that layer's commitment.</summary>
    public const string LayerOpening = "ZK3104";
    /// <summary>A query's folded value differs from the final polynomial at that query's point.</summary>
    public const string FinalPolynomial = "ZK3105";
    /// <summary>The caller's openInputs callback returned no array or one of the wrong length.</summary>
    public const string InputValues = "ZK3106";
    /// <summary>A folding round's proof-of-work witness does not verify.</summary>
    public const string CommitProofOfWork = "ZK3107";
}
