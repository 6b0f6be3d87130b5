namespace ZkVm.Stark.Air;

/// <summary>A constraint of a table as the symbolic builder saw it.</summary>
public sealed record ConstraintInfo(int Index, string Name, int Degree);

/// <summary>A bus interaction of a table: direction, arity and degrees.</summary>
public sealed record InteractionInfo(int Index, Bus Bus, bool IsSend, int Arity, int MultiplicityDegree, int MaxValueDegree);

/// <summary>
/// Everything the engine derives from an AIR before seeing a trace: its constraints and
/// interactions with their degrees. Building it validates the AIR (degree ≤ 3, columns in range,
/// interaction degrees within the LogUp budget); <see cref="ForAir"/> throws a typed error naming the
/// table and constraint otherwise.
/// </summary>
public sealed class AirShape
{
    public const int MaxConstraintDegree = 3;
    /// <summary>LogUp needs h·d = m with h a column: values of degree ≤ 2 and multiplicities of degree ≤ 1.</summary>
    public const int MaxInteractionValueDegree = 2;
    public const int MaxMultiplicityDegree = 1;

    private AirShape(IAir air, IReadOnlyList<ConstraintInfo> constraints, IReadOnlyList<InteractionInfo> interactions, int[] mainNext, int[] preprocessedNext)
    {
        Air = air;
        Constraints = constraints;
        Interactions = interactions;
        MainNext = mainNext;
        PreprocessedNext = preprocessedNext;
    }

    public IAir Air { get; }
    public IReadOnlyList<ConstraintInfo> Constraints { get; }
    public IReadOnlyList<InteractionInfo> Interactions { get; }
    public int MaxDegree => Constraints.Count == 0 ? 0 : Constraints.Max(c => c.Degree);

    /// <summary>The main columns the constraints read on the next row, ascending: the only main columns opened at ζω.</summary>
    public int[] MainNext { get; }

    /// <summary>The fixed columns the constraints read on the next row, ascending.</summary>
    public int[] PreprocessedNext { get; }

    /// <summary>
    /// The shape of <paramref name="air"/>, derived once per AIR object: an AIR's constraints are fixed, and a verifier
    /// that checks many proofs of one program would otherwise evaluate every chip symbolically for each.
    /// </summary>
    public static AirShape ForAir(IAir air) => Shapes.GetValue(air, Derive);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IAir, AirShape> Shapes = new();

    private static AirShape Derive(IAir air)
    {
        var builder = new SymbolicBuilder(air);
        air.Eval<SymbolicBuilder, SymbolicExpression>(builder);
        return new AirShape(air, builder.Constraints, builder.Interactions, [.. builder.MainNext], [.. builder.PreprocessedNext]);
    }

    /// <summary>Every bus must carry tuples of one arity in every table that uses it.</summary>
    public static void CheckBusArities(IEnumerable<AirShape> shapes)
    {
        var arity = new Dictionary<uint, (int Arity, string Where)>();
        foreach (var shape in shapes)
            foreach (var i in shape.Interactions)
            {
                string where = $"table '{shape.Air.Name}' interaction {i.Index}";
                if (i.Bus.Id >= Bus.MaxIds)
                    throw new ZkVmException(AirErrors.ArityMismatch, $"bus '{i.Bus.Name}' has id {i.Bus.Id} in {where}; ids are below {Bus.MaxIds}");
                if (arity.TryGetValue(i.Bus.Id, out var seen) && seen.Arity != i.Arity)
                    throw new ZkVmException(AirErrors.ArityMismatch, $"bus '{i.Bus.Name}' ({i.Bus.Id}) carries {i.Arity} values in {where} but {seen.Arity} in {seen.Where}");
                arity.TryAdd(i.Bus.Id, (i.Arity, where));
            }
    }

    private sealed class SymbolicBuilder(IAir air) : IAirBuilder<SymbolicExpression>
    {
        public readonly List<ConstraintInfo> Constraints = [];
        public readonly List<InteractionInfo> Interactions = [];
        public readonly SortedSet<int> MainNext = [], PreprocessedNext = [];

        private SymbolicExpression Column(int column, int width, string kind)
        {
            if ((uint)column >= (uint)width)
                throw new ZkVmException(AirErrors.ColumnOutOfRange, $"table '{air.Name}' reads {kind} column {column}, but it has {width}");
            return SymbolicExpression.Variable;
        }

        public SymbolicExpression Main(int column) => Column(column, air.MainWidth, "main");
        SymbolicExpression IAirBuilder<SymbolicExpression>.MainNext(int column)
        {
            MainNext.Add(column);
            return Column(column, air.MainWidth, "main");
        }
        public SymbolicExpression Preprocessed(int column) => Column(column, air.PreprocessedWidth, "preprocessed");
        SymbolicExpression IAirBuilder<SymbolicExpression>.PreprocessedNext(int column)
        {
            PreprocessedNext.Add(column);
            return Column(column, air.PreprocessedWidth, "preprocessed");
        }

        public SymbolicExpression Public(int index)
        {
            if ((uint)index >= (uint)air.PublicValueCount)
                throw new ZkVmException(AirErrors.ColumnOutOfRange, $"table '{air.Name}' reads public value {index}, but it has {air.PublicValueCount}");
            return SymbolicExpression.Zero;
        }

        public SymbolicExpression IsFirstRow => SymbolicExpression.Variable;
        public SymbolicExpression IsLastRow => SymbolicExpression.Variable;
        public SymbolicExpression IsTransition => SymbolicExpression.Variable;

        public void AssertZero(SymbolicExpression constraint, string name = "")
        {
            if (constraint.Degree > MaxConstraintDegree)
                throw new ZkVmException(AirErrors.DegreeTooHigh, $"table '{air.Name}' constraint {Constraints.Count} ({name}) has degree {constraint.Degree}, above {MaxConstraintDegree}");
            Constraints.Add(new ConstraintInfo(Constraints.Count, name, constraint.Degree));
        }

        public void Send(Bus bus, SymbolicExpression multiplicity, params ReadOnlySpan<SymbolicExpression> values) => Interact(bus, true, multiplicity, values);
        public void Receive(Bus bus, SymbolicExpression multiplicity, params ReadOnlySpan<SymbolicExpression> values) => Interact(bus, false, multiplicity, values);

        private void Interact(Bus bus, bool isSend, SymbolicExpression multiplicity, ReadOnlySpan<SymbolicExpression> values)
        {
            int maxValueDegree = 0;
            foreach (var v in values) maxValueDegree = Math.Max(maxValueDegree, v.Degree);
            string where = $"table '{air.Name}' interaction {Interactions.Count} on bus '{bus.Name}'";
            if (multiplicity.Degree > MaxMultiplicityDegree)
                throw new ZkVmException(AirErrors.InteractionDegreeTooHigh, $"{where}: multiplicity has degree {multiplicity.Degree}, above {MaxMultiplicityDegree}");
            if (maxValueDegree > MaxInteractionValueDegree)
                throw new ZkVmException(AirErrors.InteractionDegreeTooHigh, $"{where}: a value has degree {maxValueDegree}, above {MaxInteractionValueDegree}");
            Interactions.Add(new InteractionInfo(Interactions.Count, bus, isSend, values.Length, multiplicity.Degree, maxValueDegree));
        }
    }
}
