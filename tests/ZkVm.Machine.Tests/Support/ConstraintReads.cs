using ZkVm.Field;
using ZkVm.Stark.Air;

namespace ZkVm.Machine.Tests.Support;

/// <summary>
/// The main columns each constraint of a table reads, in its own row and in the next, found by evaluating
/// the AIR over sets of columns: the cells a forger may solve for when that constraint fails.
/// </summary>
static class ConstraintReads
{
    public static (HashSet<int> Local, HashSet<int> Next)[] Of(IAir air)
    {
        var builder = new Builder();
        air.Eval<Builder, Reads>(builder);
        return [.. builder.Constraints];
    }

    /// <summary>The main columns (this row's and the next's together) each interaction reads: in its multiplicity, in its values.</summary>
    public static (HashSet<int> Multiplicity, HashSet<int> Values)[] OfInteractions(IAir air)
    {
        var builder = new Builder();
        air.Eval<Builder, Reads>(builder);
        return [.. builder.Interactions];
    }

    sealed class Reads(HashSet<int> local, HashSet<int> next) : IAirExpression<Reads>
    {
        public HashSet<int> Local => local;
        public HashSet<int> Next => next;
        public static readonly Reads None = new([], []);
        public static Reads Constant(BabyBear value) => None;
        static Reads Union(Reads a, Reads b) => new([.. a.Local, .. b.Local], [.. a.Next, .. b.Next]);
        public static Reads operator +(Reads a, Reads b) => Union(a, b);
        public static Reads operator -(Reads a, Reads b) => Union(a, b);
        public static Reads operator *(Reads a, Reads b) => Union(a, b);
        public static Reads operator -(Reads a) => a;
    }

    sealed class Builder : IAirBuilder<Reads>
    {
        public readonly List<(HashSet<int>, HashSet<int>)> Constraints = [];
        public readonly List<(HashSet<int>, HashSet<int>)> Interactions = [];
        public Reads Main(int column) => new([column], []);
        public Reads MainNext(int column) => new([], [column]);
        public Reads Preprocessed(int column) => Reads.None;
        public Reads PreprocessedNext(int column) => Reads.None;
        public Reads Public(int index) => Reads.None;
        public Reads IsFirstRow => Reads.None;
        public Reads IsLastRow => Reads.None;
        public Reads IsTransition => Reads.None;
        public void AssertZero(Reads constraint, string name = "") => Constraints.Add((constraint.Local, constraint.Next));
        public void Send(Bus bus, Reads multiplicity, params ReadOnlySpan<Reads> values) => Interaction(multiplicity, values);
        public void Receive(Bus bus, Reads multiplicity, params ReadOnlySpan<Reads> values) => Interaction(multiplicity, values);

        void Interaction(Reads multiplicity, ReadOnlySpan<Reads> values)
        {
            var read = new HashSet<int>();
            foreach (var v in values) read.UnionWith([.. v.Local, .. v.Next]);
            Interactions.Add(([.. multiplicity.Local, .. multiplicity.Next], read));
        }
    }
}
