namespace ZkVm.Crypto.Tests;

/// <summary>
/// Published test vectors for Poseidon2 over BabyBear, width 16, default instance
/// (Plonky3 <c>default_babybear_poseidon2_16()</c>). Source: Plonky3 repository
/// (github.com/Plonky3/Plonky3), file <c>baby-bear/src/poseidon2.rs</c>
/// (commit 00caf21870e731e04a1cc3f691ff33ae8ec7966f), test <c>test_default_babybear_poseidon2_width_16</c>.
/// Input and output are canonical field elements in [0, 2013265921), lane 0 first.
/// </summary>
internal static class Poseidon2Vectors
{
    public static readonly (uint[] Input, uint[] Output, string Source)[] BabyBear16 =
    [
        (
            new uint[]
            {
                894848333u, 1437655012u, 1200606629u, 1690012884u, 71131202u, 1749206695u, 1717947831u, 120589055u,
                19776022u, 42382981u, 1831865506u, 724844064u, 171220207u, 1299207443u, 227047920u, 1783754913u,
            },
            new uint[]
            {
                516096821u, 90309867u, 1101817252u, 1660784290u, 360715097u, 1789519026u, 1788910906u, 563338433u,
                319524748u, 1741414159u, 1650859320u, 894311162u, 1121347488u, 1692793758u, 1052633829u, 1344246938u,
            },
            "Plonky3 baby-bear/src/poseidon2.rs @ 00caf21870e731e04a1cc3f691ff33ae8ec7966f, test test_default_babybear_poseidon2_width_16"
        ),
    ];
}
