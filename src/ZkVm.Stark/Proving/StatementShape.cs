using ZkVm.Stark.Air;
using ZkVm.Stark.LogUp;
using ZkVm.Stark.Security;

namespace ZkVm.Stark.Proving;

/// <summary>
/// What a statement contributes to the soundness error, computed from its AIRs and heights. The proof
/// carries it (so a proof file can show its bit table) and the verifier rejects a proof whose copy differs.
/// </summary>
/// <remarks>
/// The LogUp wrap bound counts every interaction row with multiplicity at most 1: AIR authors constrain
/// the multiplicities of the sides that must not be forged (a lookup's requests) to be boolean or
/// constant; a table's free multiplicity column needs no bound (docs/SECURITY.md).
/// </remarks>
internal static class StatementShape
{
    public static CircuitShape Of(AirShape[] shapes, LogUpLayout[] layouts, int[] logHeights)
    {
        long constraints = 0, batch = 0, fractions = 0, busRows = 0, sharedRows = 0;
        int arity = 0;
        for (int i = 0; i < shapes.Length; i++)
        {
            var air = shapes[i].Air;
            constraints += shapes[i].Constraints.Count + layouts[i].Groups.Count;
            batch += air.PreprocessedWidth + air.MainWidth + 4 * layouts[i].Width;
            fractions += shapes[i].Interactions.Count;
            busRows += (long)shapes[i].Interactions.Count << logHeights[i];
            sharedRows += (long)shapes[i].Interactions.Count(x => !x.Bus.PerShard) << logHeights[i];
            foreach (var interaction in shapes[i].Interactions) arity = Math.Max(arity, interaction.Arity);
        }
        // One quotient for all tables (PROTOCOL §8.3).
        batch += 4 * StarkProver.QuotientChunks;
        return new CircuitShape(logHeights.Max(), constraints, AirShape.MaxConstraintDegree, 2, batch, fractions, busRows, 1,
            arity, CircuitShape.HeightsOf(logHeights)) { SharedBusRows = sharedRows };
    }

}
