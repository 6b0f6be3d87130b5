namespace ZkVm.Crypto;

/// <summary>
/// Parameters of the Poseidon2 permutation over BabyBear (p = 2013265921 = 15 * 2^27 + 1), width 16,
/// matching Plonky3's <c>default_babybear_poseidon2_16()</c>.
/// </summary>
/// <remarks>
/// <para>
/// Source of the numbers: Plonky3 repository (github.com/Plonky3/Plonky3), file
/// <c>baby-bear/src/poseidon2.rs</c>, constants <c>BABYBEAR_RC16_EXTERNAL_INITIAL</c>,
/// <c>BABYBEAR_RC16_EXTERNAL_FINAL</c>, <c>BABYBEAR_RC16_INTERNAL</c> (identical at commits
/// 00caf21870e731e04a1cc3f691ff33ae8ec7966f and 1e1c3ab87571d0d915d6b781f82c5742e44acb5e).
/// Plonky3 attributes these round constants to the Horizen Labs reference implementation
/// (poseidon2_instance_babybear.rs). Only the round constants are shared with Horizen Labs: the
/// linear layers below are Plonky3's own, so outputs differ from the Horizen Labs instance.
/// The same file also has width-24 constants and an rng-seeded test instance; neither is used here.
/// </para>
/// <para>
/// All values are canonical field elements in [0, p); Plonky3 converts them to Montgomery form
/// itself when it builds the constant arrays, so nothing here is in Montgomery form.
/// </para>
/// <para>
/// Permutation (S-box x -> x^7; 4 + 4 full rounds, 13 partial rounds):
/// <list type="number">
/// <item>Apply the external linear layer once before any round.</item>
/// <item>For r = 0..3: s[i] += ExternalInitial[r*16 + i]; s[i] = s[i]^7 for all i; apply the external linear layer.</item>
/// <item>For r = 0..12: s[0] += Internal[r]; s[0] = s[0]^7; apply the internal linear layer.</item>
/// <item>For r = 0..3: s[i] += ExternalFinal[r*16 + i]; s[i] = s[i]^7 for all i; apply the external linear layer.</item>
/// </list>
/// External linear layer: multiply every block of 4 (s[4k..4k+3]) by the 4x4 matrix
/// [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]], then for each i add
/// t[i mod 4] = sum over k of s[4k + (i mod 4)] (block sums taken after the 4x4 step),
/// so the whole layer is the block matrix circ(2*M4, M4, M4, M4).
/// Internal linear layer: with S = s[0] + ... + s[15] (taken before any update),
/// s[i] = InternalDiagonal[i] * s[i] + S. The matrix is J + diag(V), where J is the all-ones matrix;
/// InternalDiagonal holds V, not 1 + V.
/// </para>
/// </remarks>
public static class Poseidon2BabyBear16Constants
{
    public const uint Modulus = 2013265921u;
    public const int Width = 16;
    public const int HalfFullRounds = 4;
    public const int PartialRounds = 13;
    public const int SBoxDegree = 7;

    // Canonical (NOT Montgomery) u32 values, row-major: round r, lane i is at index r * 16 + i.
    public static ReadOnlySpan<uint> ExternalInitial =>
    [
        // round 0
        0x69CBB6AF, 0x46AD93F9, 0x60A00F4E, 0x6B1297CD, 0x23189AFE, 0x732E7BEF, 0x72C246DE, 0x2C941900,
        0x0557EEDE, 0x1580496F, 0x3A3EA77B, 0x54F3F271, 0x0F49B029, 0x47872FE1, 0x221E2E36, 0x1AB7202E,
        // round 1
        0x487779A6, 0x3851C9D8, 0x38DC17C0, 0x209F8849, 0x268DCEE8, 0x350C48DA, 0x5B9AD32E, 0x0523272B,
        0x3F89055B, 0x01E894B2, 0x13DDEDDE, 0x1B2EF334, 0x7507D8B4, 0x6CEEB94E, 0x52EB6BA2, 0x50642905,
        // round 2
        0x05453F3F, 0x06349EFC, 0x6922787C, 0x04BFFF9C, 0x768C714A, 0x3E9FF21A, 0x15737C9C, 0x2229C807,
        0x0D47F88C, 0x097E0ECC, 0x27EADBA0, 0x2D7D29E4, 0x3502AAA0, 0x0F475FD7, 0x29FBDA49, 0x018AFFFD,
        // round 3
        0x0315B618, 0x6D4497D1, 0x1B171D9E, 0x52861ABD, 0x2E5D0501, 0x3EC8646C, 0x6E5F250A, 0x148AE8E6,
        0x17F5FA4A, 0x3E66D284, 0x0051AA3B, 0x483F7913, 0x2CFE5F15, 0x023427CA, 0x2CC78315, 0x1E36EA47
    ];

    // Canonical (NOT Montgomery) u32 values, row-major: round r, lane i is at index r * 16 + i.
    public static ReadOnlySpan<uint> ExternalFinal =>
    [
        // round 0
        0x7290A80D, 0x6F7E5329, 0x598EC8A8, 0x76A859A0, 0x6559E868, 0x657B83AF, 0x13271D3F, 0x1F876063,
        0x0AEEAE37, 0x706E9CA6, 0x46400CEE, 0x72A05C26, 0x2C589C9E, 0x20BD37A7, 0x6A2D3D10, 0x20523767,
        // round 1
        0x5B8FE9C4, 0x2AA501D6, 0x1E01AC3E, 0x1448BC54, 0x5CE5AD1C, 0x4918A14D, 0x2C46A83F, 0x4FCF6876,
        0x61D8D5C8, 0x6DDF4FF9, 0x11FDA4D3, 0x02933A8F, 0x170EAF81, 0x5A9C314F, 0x49A12590, 0x35EC52A1,
        // round 2
        0x58EB1611, 0x5E481E65, 0x367125C9, 0x0EBA33BA, 0x1FC28DED, 0x066399AD, 0x0CBEC0EA, 0x75FD1AF0,
        0x50F5BF4E, 0x643D5F41, 0x6F4FE718, 0x5B3CBBDE, 0x1E3AFB3E, 0x296FB027, 0x45E1547B, 0x4A8DB2AB,
        // round 3
        0x59986D19, 0x30BCDFA3, 0x1DB63932, 0x1D7C2824, 0x53B33681, 0x0673B747, 0x038A98A3, 0x2C5BCE60,
        0x351979CD, 0x5008FB73, 0x547BCA78, 0x711AF481, 0x3F93BF64, 0x644D987B, 0x3C8BCD87, 0x608758B8
    ];

    // Canonical (NOT Montgomery) u32 values, one per partial round; added to lane 0 only.
    public static ReadOnlySpan<uint> Internal =>
    [
        0x5A8053C0, 0x693BE639, 0x3858867D, 0x19334F6B, 0x128F0FD8, 0x4E2B1CCB, 0x61210CE0,
        0x3C318939, 0x0B5B2F22, 0x2EDB11D5, 0x213EFFDF, 0x0CAC4606, 0x241AF16D
    ];

    // V in the internal matrix J + diag(V), as canonical field elements (p = 2013265921).
    // Rational form (as Plonky3 documents it):
    // V = [-2, 1, 2, 1/2, 3, 4, -1/2, -3, -4, 1/2^8, 1/4, 1/8, 1/2^27, -1/2^8, -1/16, -1/2^27]
    // Since p - 1 = 15 * 2^27, -1/2^n = (p - 1) / 2^n for n <= 27, which gives the closed forms below.
    public static ReadOnlySpan<uint> InternalDiagonal =>
    [
        2013265919u,    // [ 0] -2       = p - 2
        1u,             // [ 1] 1        = 1
        2u,             // [ 2] 2        = 2
        1006632961u,    // [ 3] 1/2      = (p + 1) / 2
        3u,             // [ 4] 3        = 3
        4u,             // [ 5] 4        = 4
        1006632960u,    // [ 6] -1/2     = (p - 1) / 2
        2013265918u,    // [ 7] -3       = p - 3
        2013265917u,    // [ 8] -4       = p - 4
        2005401601u,    // [ 9] 1/2^8    = p - (p - 1) / 2^8
        1509949441u,    // [10] 1/4      = p - (p - 1) / 4
        1761607681u,    // [11] 1/8      = p - (p - 1) / 8
        2013265906u,    // [12] 1/2^27   = p - 15
        7864320u,       // [13] -1/2^8   = (p - 1) / 2^8
        125829120u,     // [14] -1/16    = (p - 1) / 16
        15u             // [15] -1/2^27  = 15
    ];
}
