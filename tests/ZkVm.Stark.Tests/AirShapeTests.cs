using ZkVm.Field;
using ZkVm.Stark.Air;
using ZkVm.Stark.Tests.Airs;

namespace ZkVm.Stark.Tests;

public class AirShapeTests
{
    private sealed class DelegateAir(string name, int width, Action<IAirBuilder<SymbolicExpression>> eval) : IAir
    {
        public string Name => name;
        public int MainWidth => width;

        public void Eval<TB, TE>(TB b) where TB : IAirBuilder<TE> where TE : IAirExpression<TE> =>
            eval((IAirBuilder<SymbolicExpression>)b);
    }

    [Fact]
    public void Degrees_are_computed_with_selectors_counted()
    {
        var shape = AirShape.ForAir(new FibonacciAir());
        Assert.Equal(5, shape.Constraints.Count);
        Assert.All(shape.Constraints, c => Assert.Equal(2, c.Degree));
        Assert.Equal(2, AirShape.ForAir(new ByteValuesAir()).MaxDegree);
        var table = AirShape.ForAir(new ByteTableAir());
        Assert.Equal(new InteractionInfo(0, Buses.Byte, false, 1, 1, 1), table.Interactions[0]);
    }

    [Fact]
    public void A_constraint_above_degree_three_is_rejected_with_its_name()
    {
        var air = new DelegateAir("cubic", 1, b => b.AssertZero(b.IsTransition * b.Main(0) * b.Main(0) * b.Main(0)));
        var e = Assert.Throws<ZkVmException>(() => AirShape.ForAir(air));
        Assert.Equal(AirErrors.DegreeTooHigh, e.Code);
        Assert.Contains("degree 4", e.Message);
        Assert.Contains("b.IsTransition * b.Main(0) * b.Main(0) * b.Main(0)", e.Message);
    }

    [Fact]
    public void Reading_a_column_that_does_not_exist_is_rejected()
    {
        var e = Assert.Throws<ZkVmException>(() => AirShape.ForAir(new DelegateAir("narrow", 2, b => b.AssertZero(b.Main(2)))));
        Assert.Equal(AirErrors.ColumnOutOfRange, e.Code);
        Assert.Contains("main column 2", e.Message);
        Assert.Equal(AirErrors.ColumnOutOfRange, Assert.Throws<ZkVmException>(() => AirShape.ForAir(new DelegateAir("pre", 2, b => b.AssertZero(b.Preprocessed(0))))).Code);
        Assert.Equal(AirErrors.ColumnOutOfRange, Assert.Throws<ZkVmException>(() => AirShape.ForAir(new DelegateAir("pub", 2, b => b.AssertZero(b.Public(0))))).Code);
    }

    [Fact]
    public void Interaction_degrees_beyond_the_logup_budget_are_rejected()
    {
        var bus = new Bus(9, "b");
        var heavyMultiplicity = new DelegateAir("m", 1, b => b.Send(bus, b.Main(0) * b.Main(0), b.Main(0)));
        Assert.Equal(AirErrors.InteractionDegreeTooHigh, Assert.Throws<ZkVmException>(() => AirShape.ForAir(heavyMultiplicity)).Code);
        var heavyValue = new DelegateAir("v", 1, b => b.Send(bus, SymbolicExpression.Constant(BabyBear.One), b.Main(0) * b.Main(0) * b.Main(0)));
        Assert.Equal(AirErrors.InteractionDegreeTooHigh, Assert.Throws<ZkVmException>(() => AirShape.ForAir(heavyValue)).Code);
    }

    [Fact]
    public void A_bus_with_two_arities_is_rejected()
    {
        var bus = new Bus(3, "pairs");
        var one = new DelegateAir("one", 1, b => b.Send(bus, SymbolicExpression.Constant(BabyBear.One), b.Main(0)));
        var two = new DelegateAir("two", 2, b => b.Receive(bus, SymbolicExpression.Constant(BabyBear.One), b.Main(0), b.Main(1)));
        var e = Assert.Throws<ZkVmException>(() => AirShape.CheckBusArities([AirShape.ForAir(one), AirShape.ForAir(two)]));
        Assert.Equal(AirErrors.ArityMismatch, e.Code);
        Assert.Contains("bus 'pairs'", e.Message);
    }
}
